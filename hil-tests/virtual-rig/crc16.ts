/**
 * CRC-16/Modbus, the error check of every RTU frame (Modbus over Serial Line V1.02 §2.5.1.2
 * and Appendix B): initial value 0xFFFF, polynomial 0xA001 (0x8005 reflected), and the CRC is
 * sent LOW byte first — the one field of a Modbus frame that is little-endian.
 * Example (standards.md §7): 01 03 00 02 00 01 → CRC 0xCA25, on the wire 25 CA.
 */

/** The CRC register after each possible byte, bit by bit (the table form of Appendix B's loop). */
const TABLE = Uint16Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  return crc;
});

export const CRC_INIT = 0xffff;

/** Feeds one byte into a running CRC (lets a framer test many frame lengths in one pass). */
export function crc16Update(crc: number, byte: number): number {
  return (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
}

/** CRC of `bytes[start, end)`, as a 16-bit number (the wire order is low byte, then high byte). */
export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = CRC_INIT;
  for (let i = start; i < end; i++) crc = crc16Update(crc, bytes[i]!);
  return crc;
}

/** `body` followed by its CRC, low byte first: a complete RTU frame. */
export function withCrc(body: Uint8Array): Buffer {
  const frame = Buffer.alloc(body.length + 2);
  frame.set(body, 0);
  frame.writeUInt16LE(crc16(body), body.length);
  return frame;
}

/** Whether the last two bytes of `frame` are the CRC of the bytes before them. */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 3) return false;
  const n = frame.length - 2;
  return crc16(frame, 0, n) === (frame[n]! | (frame[n + 1]! << 8));
}
