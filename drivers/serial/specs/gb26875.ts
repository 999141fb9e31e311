/**
 * GB/T 26875.3-2011 framing: the envelope only, enough to find frames in a byte stream. The
 * codec (drivers/gb26875/) decodes what is inside and reuses this spec for its link.
 *
 * Layout (reference/standards.md §3.2; byte numbers 1-based in the standard, offsets 0-based here):
 *
 *   offset  bytes  field
 *   0       2      start '@@' (0x40 0x40)
 *   2       2      business serial number, u16 LE
 *   4       2      protocol version (main, user)
 *   6       6      time label
 *   12      6      source address
 *   18      6      destination address
 *   24      2      ADU length n, u16 LE, ≤ 1024
 *   26      1      command byte
 *   27      n      application data unit
 *   27+n    1      checksum: sum of offsets 2 .. 26+n (bytes 3–27 and the ADU) mod 256
 *   28+n    2      end '##' (0x23 0x23)
 *
 * Frame size = 30 + n. The standard counts a bad checksum, an ADU length over the limit and bad
 * start or end characters as check errors, answered with command 6 (deny); a frame whose start
 * is damaged cannot be told from noise, so it is skipped as garbage.
 */
import type { FrameReject, FrameSpec } from '../frame-spec.js';

export const GB26875_START_BYTE = 0x40; // '@'
export const GB26875_END_BYTE = 0x23; // '#'
/** Start (2) + control unit (25: serial … command) + checksum (1) + end (2). */
export const GB26875_FIXED_BYTES = 30;
/** Offset of the u16 LE ADU length. */
export const GB26875_ADU_LENGTH_OFFSET = 24;
/** Offset of the first ADU byte (right after the command byte). */
export const GB26875_ADU_OFFSET = 27;
export const GB26875_MAX_ADU_BYTES = 1024;
export const GB26875_MAX_FRAME_BYTES = GB26875_FIXED_BYTES + GB26875_MAX_ADU_BYTES;

/** Sum of buf[from .. to) mod 256: the GB/T 26875.3 checksum when from = start + 2, to = the checksum's offset. */
export function gb26875Checksum(buf: Uint8Array, from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += buf[i]!;
  return sum & 0xff;
}

function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

export const gb26875FrameSpec: FrameSpec = {
  name: 'GB/T 26875.3',
  maxFrameBytes: GB26875_MAX_FRAME_BYTES,

  findStart(buf: Uint8Array, from: number): number {
    const end = buf.length;
    let i = buf.indexOf(GB26875_START_BYTE, from);
    while (i !== -1) {
      // A lone '@' at the very end may be the first half of '@@': keep it for the next read.
      if (i + 1 === end || buf[i + 1] === GB26875_START_BYTE) return i;
      i = buf.indexOf(GB26875_START_BYTE, i + 2);
    }
    return -1;
  },

  frameLength(buf: Uint8Array, start: number): number | 'need-more' | FrameReject {
    const at = start + GB26875_ADU_LENGTH_OFFSET;
    if (buf.length < at + 2) return 'need-more';
    const adu = buf[at]! | (buf[at + 1]! << 8);
    if (adu > GB26875_MAX_ADU_BYTES) return { error: 'bad-length', detail: `ADU length ${adu} > ${GB26875_MAX_ADU_BYTES} (bytes 25–26)` };
    return GB26875_FIXED_BYTES + adu;
  },

  check(buf: Uint8Array, start: number, length: number): FrameReject | null {
    const last = start + length - 1;
    if (buf[last - 1] !== GB26875_END_BYTE || buf[last] !== GB26875_END_BYTE) {
      return { error: 'bad-end', detail: `end characters ${hex(buf[last - 1]!)} ${hex(buf[last]!)}, expected '##' (0x23 0x23)` };
    }
    const at = last - 2;
    const sum = gb26875Checksum(buf, start + 2, at);
    if (sum !== buf[at]) return { error: 'bad-check', detail: `checksum ${hex(buf[at]!)}, computed ${hex(sum)}` };
    return null;
  },
};
