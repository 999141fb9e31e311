/**
 * RTU request framing on a byte stream (Modbus over Serial Line V1.02 §2.5.1).
 *
 * A real slave finds frame boundaries by line silence (t3.5, §2.5.1.1). A pty has no line
 * timing and may deliver a frame in several chunks or several frames in one, so the
 * boundary is computed from the request itself instead:
 *  - FC 01–06: fixed 8 bytes (address, FC, 2 × 2 bytes, CRC);
 *  - FC 15/16: 9 + the byte count at offset 6 (Modbus Application Protocol V1.1b3 §6.11/6.12);
 *  - any other FC: the shortest length whose last two bytes are a valid CRC, so a request
 *    with an unsupported function code can still be answered with exception 1.
 * A candidate with a bad CRC is dropped silently — a slave never answers a frame it cannot
 * trust (§2.5.1.2) — and parsing resumes one byte later, which resynchronises after garbage.
 * While the head of the buffer is incomplete, a complete valid frame further on wins: on a
 * real line the silence before it would have ended the broken one.
 */
import { CRC_INIT, crc16Update, hasValidCrc } from './crc16.js';

/** Largest RTU ADU: address + 253-byte PDU + CRC (§2.5.1). */
export const MAX_RTU_ADU = 256;
/** Highest individual slave address; 248–255 are reserved (§2.2). */
export const MAX_UNIT_ID = 247;

export interface RtuFrame {
  /** The slave address; 0 is a broadcast (§2.1). */
  unitId: number;
  /** Function code and data, without address and CRC. */
  pdu: Buffer;
}

type Candidate = { kind: 'frame'; length: number } | { kind: 'invalid' } | { kind: 'incomplete' };

/** Classifies the bytes at `pos` as a complete valid request, an impossible one, or too short. */
export function requestAt(buf: Uint8Array, pos: number): Candidate {
  const avail = buf.length - pos;
  if (avail < 1) return { kind: 'incomplete' };
  if (buf[pos]! > MAX_UNIT_ID) return { kind: 'invalid' };
  if (avail < 2) return { kind: 'incomplete' };
  const fc = buf[pos + 1]!;
  // Function codes are 1–127; the high bit marks an exception *response* (V1.1b3 §4.1, §7).
  if (fc === 0 || fc & 0x80) return { kind: 'invalid' };
  const length = fixedLength(buf, pos, fc);
  if (length === 'needs-more') return { kind: 'incomplete' };
  if (length === undefined) return scanForCrc(buf, pos);
  if (length > MAX_RTU_ADU) return { kind: 'invalid' };
  if (avail < length) return { kind: 'incomplete' };
  return hasValidCrc(buf.subarray(pos, pos + length)) ? { kind: 'frame', length } : { kind: 'invalid' };
}

function fixedLength(buf: Uint8Array, pos: number, fc: number): number | 'needs-more' | undefined {
  if (fc >= 0x01 && fc <= 0x06) return 8;
  if (fc === 0x0f || fc === 0x10) return buf.length - pos < 7 ? 'needs-more' : 9 + buf[pos + 6]!;
  return undefined;
}

function scanForCrc(buf: Uint8Array, pos: number): Candidate {
  const end = Math.min(buf.length, pos + MAX_RTU_ADU);
  // Running CRC of address + FC + data so far; a frame ends where the next two bytes equal it.
  let crc = crc16Update(crc16Update(CRC_INIT, buf[pos]!), buf[pos + 1]!);
  for (let stop = pos + 4; stop <= end; stop++) {
    if (crc === (buf[stop - 2]! | (buf[stop - 1]! << 8))) return { kind: 'frame', length: stop - pos };
    crc = crc16Update(crc, buf[stop - 2]!);
  }
  return buf.length - pos >= MAX_RTU_ADU ? { kind: 'invalid' } : { kind: 'incomplete' };
}

/** Turns the chunks read from a serial port into request frames. One instance per port. */
export class RtuRequestDecoder {
  private pending = Buffer.alloc(0);
  /** Bytes thrown away (bad CRC, garbage, a frame cut short by a later one) — for diagnostics. */
  discardedBytes = 0;

  push(chunk: Uint8Array): RtuFrame[] {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    const frames: RtuFrame[] = [];
    let pos = 0;
    while (pos < buf.length) {
      const c = requestAt(buf, pos);
      if (c.kind === 'frame') {
        frames.push({ unitId: buf[pos]!, pdu: Buffer.from(buf.subarray(pos + 1, pos + c.length - 2)) });
        pos += c.length;
      } else if (c.kind === 'invalid') {
        pos += 1;
        this.discardedBytes += 1;
      } else {
        const next = this.nextCompleteFrame(buf, pos + 1);
        if (next === undefined) break;
        this.discardedBytes += next - pos;
        pos = next;
      }
    }
    this.pending = Buffer.from(buf.subarray(pos));
    return frames;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.pending.length;
  }

  private nextCompleteFrame(buf: Uint8Array, from: number): number | undefined {
    for (let p = from; p + 4 <= buf.length; p++) if (requestAt(buf, p).kind === 'frame') return p;
    return undefined;
  }
}
