/**
 * A protocol's framing rules, as pure functions over bytes. The Framer (framer.ts) owns the
 * buffer, the resynchronisation, the timeouts and the counting; a spec only answers three
 * questions about the bytes in front of it, so adding a protocol means writing these three
 * functions and a table test — never another buffer loop.
 *
 * Every function receives the framer's buffer and an offset into it (no copies on the hot
 * path); the bytes available are `buf[start .. buf.length)`. A spec must not keep `buf`, must
 * not write to it, and must not throw (the framer catches a throw, drops what it was looking
 * at and counts a 'spec-fault', but that is a bug in the spec).
 */

/** Why a candidate frame was turned down; `detail` names the field and the value for the log. */
export interface FrameReject {
  error: 'bad-length' | 'bad-check' | 'bad-end';
  /** e.g. "ADU length 1500 > 1024". The framer prefixes the protocol name and the stream offset. */
  detail: string;
}

export interface FrameSpec {
  /** For logs and metrics, e.g. "GB/T 26875.3". */
  readonly name: string;
  /**
   * The longest whole frame the protocol allows. It is also the framer's memory bound: no more
   * than this many bytes are ever kept between two reads, whatever arrives.
   */
  readonly maxFrameBytes: number;
  /**
   * The first index ≥ `from` where a frame could start, or -1 when there is none before
   * `buf.length`. A start marker cut off by the end of `buf` (e.g. a lone '@' at the end for an
   * '@@' marker) is a possible start: return its index, so the framer keeps it for the next read.
   */
  findStart(buf: Uint8Array, from: number): number;
  /**
   * With a start at `start`: the whole frame's length once enough of the header is in,
   * 'need-more' while it is not, or a reject when the header cannot belong to a frame (a length
   * field over the protocol's limit). Lengths over maxFrameBytes are rejected by the framer as
   * 'oversize', so a spec need not repeat that check.
   */
  frameLength(buf: Uint8Array, start: number): number | 'need-more' | FrameReject;
  /** The whole candidate `buf[start .. start + length)`: null when the end marker and check are right. */
  check(buf: Uint8Array, start: number, length: number): FrameReject | null;
}
