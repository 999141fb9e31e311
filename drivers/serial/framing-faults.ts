/**
 * What the framer reports: one event per fault (so the owner can log it or, where the protocol
 * says so, deny the frame — GB/T 26875.3 answers a bad checksum, a bad length or bad end
 * characters with command 6), and counters for metrics.
 */

export const FRAMING_FAULT_KINDS = [
  /** Bytes skipped while looking for a start: line noise, a frame whose start was damaged, the tail of a rejected candidate. */
  'garbage',
  /** The header's length field cannot belong to a frame (the spec's own limit, e.g. ADU > 1024). */
  'bad-length',
  /** The check (checksum, CRC) does not match. */
  'bad-check',
  /** The end marker is not where the length says. */
  'bad-end',
  /** The spec claimed more than maxFrameBytes, or found no length within maxFrameBytes. */
  'oversize',
  /** An incomplete frame waited longer than partialTimeoutMs (the sender stopped mid-frame, or a length field was damaged). */
  'partial-timeout',
  /**
   * A frame broke off: a whole frame started inside it (the sender gave up mid-frame), or the
   * stream ended inside it (link closed, owner called end()).
   */
  'truncated',
  /** The spec threw or answered something impossible: a bug in the spec, never in the input. */
  'spec-fault',
] as const;

export type FramingFaultKind = (typeof FRAMING_FAULT_KINDS)[number];

export interface FramingFault {
  kind: FramingFaultKind;
  /** The spec's name, e.g. "GB/T 26875.3". */
  protocol: string;
  /**
   * Stream offset of the first byte concerned: bytes received by this framer before it
   * (counted from construction, across end()), so a log line can be matched to a capture.
   */
  offset: number;
  /**
   * 'garbage': bytes skipped. Rejected candidates ('bad-*', 'oversize', 'partial-timeout',
   * 'truncated'): the candidate's length — the claimed length when the header was in, else the
   * bytes that were there. Only the candidate's first byte is dropped: the rest is searched again,
   * because a real frame may hide behind a false start.
   */
  bytes: number;
  /**
   * How many rejects this event stands for: rejects of the same kind at consecutive bytes (a burst
   * of start characters, a flood of noise that looks like starts) are one event, whose offset,
   * bytes and head are the first one's. 1 for everything else. Counters count each reject.
   */
  count: number;
  /** Human text naming the protocol, what and where, e.g. "GB/T 26875.3 frame at byte 1200: checksum 0x46, computed 0x47". */
  message: string;
  /**
   * A copy of the candidate as far as it was in (capped at maxFrameBytes) — a codec can read the
   * serial number from it to deny the frame; for 'garbage' the first 16 skipped bytes, for a log.
   */
  head: Buffer;
}

export interface FramerCounters {
  /** Every byte pushed in. Always bytesIn = frameBytes + skippedBytes + bufferedBytes. */
  bytesIn: number;
  /** Whole frames delivered. */
  frames: number;
  frameBytes: number;
  /** Bytes dropped for any reason (never delivered, no longer buffered). */
  skippedBytes: number;
  /** Bytes held for a frame not complete yet; never more than maxFrameBytes - 1 between reads. */
  bufferedBytes: number;
  /** Faults by kind, not bytes: each reject; 'garbage' counts runs of skipped bytes. The events' `count`s add up to these. */
  faults: Record<FramingFaultKind, number>;
}

export function emptyFaultCounts(): Record<FramingFaultKind, number> {
  return Object.fromEntries(FRAMING_FAULT_KINDS.map((k) => [k, 0])) as Record<FramingFaultKind, number>;
}
