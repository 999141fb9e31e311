/**
 * Modbus TCP framing: the MBAP header (Modbus Messaging on TCP/IP Implementation Guide
 * V1.0b §3.1.3) — transaction id (2), protocol id (2, always 0 for Modbus), length (2: the
 * bytes that follow, unit id + PDU), unit id (1) — then the PDU. TCP is a byte stream: one
 * chunk may carry several requests or part of one, so requests are cut by the length field.
 */

export interface MbapFrame {
  transactionId: number;
  unitId: number;
  pdu: Buffer;
}

/** 7-byte MBAP header. */
export const MBAP_HEADER = 7;
/** The length field counts unit id + PDU; a PDU is 1..253 bytes (V1.1b3 §4.1). */
const MIN_LENGTH = 2;
const MAX_LENGTH = 254;

export class MbapDecoder {
  private pending = Buffer.alloc(0);

  /**
   * Requests completed by `chunk`. Throws when a length field is impossible: the stream can
   * no longer be cut into frames, and the server closes the connection (§4.4.1.1 leaves an
   * invalid MBAP to the implementation; a stream cannot be resynchronised).
   * Frames with a protocol id other than 0 are not Modbus and are dropped unanswered.
   */
  push(chunk: Uint8Array): MbapFrame[] {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    const frames: MbapFrame[] = [];
    while (buf.length >= 6) {
      const length = buf.readUInt16BE(4);
      if (length < MIN_LENGTH || length > MAX_LENGTH) throw new Error(`MBAP length ${length} is outside ${MIN_LENGTH}..${MAX_LENGTH}`);
      if (buf.length < 6 + length) break;
      if (buf.readUInt16BE(2) === 0) {
        frames.push({ transactionId: buf.readUInt16BE(0), unitId: buf[6]!, pdu: Buffer.from(buf.subarray(MBAP_HEADER, 6 + length)) });
      }
      buf = buf.subarray(6 + length);
    }
    this.pending = Buffer.from(buf);
    return frames;
  }
}

/** An MBAP response: the request's transaction id echoed, protocol 0, the unit id and the PDU. */
export function encodeMbap(transactionId: number, unitId: number, pdu: Uint8Array): Buffer {
  const out = Buffer.alloc(MBAP_HEADER + pdu.length);
  out.writeUInt16BE(transactionId, 0);
  out.writeUInt16BE(0, 2);
  out.writeUInt16BE(pdu.length + 1, 4);
  out[6] = unitId;
  out.set(pdu, MBAP_HEADER);
  return out;
}
