/**
 * The application layer of a simulated slave: one request PDU in, one response PDU out
 * (Modbus Application Protocol V1.1b3 §6). Pure — no I/O, no time — so every transport
 * (RTU on a pty, TCP) and every test shares it.
 *
 * Checks run in the order of the spec's per-function state diagrams (§6.1–6.12):
 * function code supported? (else exception 1) → quantity / value / length valid? (else 3)
 * → address range valid? (else 2) → execute. A length that does not match the function code
 * is "the structure of the remainder of a complex request is incorrect" → exception 3 (§7).
 */
import type { RegisterTableName } from '../../drivers/profiles/schema.js';
import type { RegisterBank } from './register-bank.js';

/** Exception codes (§7). */
export const EXCEPTION = {
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SERVER_DEVICE_FAILURE: 0x04,
  ACKNOWLEDGE: 0x05,
  SERVER_DEVICE_BUSY: 0x06,
  GATEWAY_PATH_UNAVAILABLE: 0x0a,
  GATEWAY_TARGET_FAILED_TO_RESPOND: 0x0b,
} as const;

/** Quantity limits per request (§6.1–6.4, §6.11, §6.12). */
export const LIMITS = { readBits: 2000, readRegisters: 125, writeCoils: 1968, writeRegisters: 123 } as const;

/** An exception response: the function code with its high bit set, then the code (§7). */
export function exceptionPdu(functionCode: number, code: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, code]);
}

/** Whether a response PDU is an exception response. */
export function isException(pdu: Uint8Array): boolean {
  return pdu.length === 2 && (pdu[0]! & 0x80) !== 0;
}

/** Handles one request PDU (function code + data) against `bank`; returns the response PDU. */
export function handlePdu(bank: RegisterBank, pdu: Uint8Array): Buffer {
  if (pdu.length < 1) throw new RangeError('a request PDU has at least a function code');
  const req = Buffer.from(pdu.buffer, pdu.byteOffset, pdu.length);
  const fc = req[0]!;
  switch (fc) {
    case 0x01:
      return readBits(bank, 'coil', req);
    case 0x02:
      return readBits(bank, 'discrete', req);
    case 0x03:
      return readRegisters(bank, 'holding', req);
    case 0x04:
      return readRegisters(bank, 'input', req);
    case 0x05:
      return writeSingleCoil(bank, req);
    case 0x06:
      return writeSingleRegister(bank, req);
    case 0x0f:
      return writeMultipleCoils(bank, req);
    case 0x10:
      return writeMultipleRegisters(bank, req);
    default:
      return exceptionPdu(fc, EXCEPTION.ILLEGAL_FUNCTION);
  }
}

/** The address range check of every state diagram: start + quantity must stay within 0..65535. */
const beyondAddressSpace = (start: number, quantity: number): boolean => start + quantity > 0x10000;

// FC 01/02 (§6.1, §6.2): request FC, start(2), quantity(2) with 1 ≤ quantity ≤ 2000.
// Response FC, byte count, bits packed LSB first; the last byte is padded with zeros.
function readBits(bank: RegisterBank, table: RegisterTableName, req: Buffer): Buffer {
  const fc = req[0]!;
  if (req.length !== 5) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_VALUE);
  const start = req.readUInt16BE(1);
  const quantity = req.readUInt16BE(3);
  if (quantity < 1 || quantity > LIMITS.readBits) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_VALUE);
  if (beyondAddressSpace(start, quantity)) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  const bits = bank.read(table, start, quantity);
  if (!bits) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  const byteCount = Math.ceil(quantity / 8);
  const res = Buffer.alloc(2 + byteCount);
  res[0] = fc;
  res[1] = byteCount;
  bits.forEach((b, i) => {
    if (b) res[2 + (i >> 3)]! |= 1 << (i & 7);
  });
  return res;
}

// FC 03/04 (§6.3, §6.4): request FC, start(2), quantity(2) with 1 ≤ quantity ≤ 125.
// Response FC, byte count (2 × quantity), registers high byte first.
function readRegisters(bank: RegisterBank, table: RegisterTableName, req: Buffer): Buffer {
  const fc = req[0]!;
  if (req.length !== 5) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_VALUE);
  const start = req.readUInt16BE(1);
  const quantity = req.readUInt16BE(3);
  if (quantity < 1 || quantity > LIMITS.readRegisters) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_VALUE);
  if (beyondAddressSpace(start, quantity)) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  const words = bank.read(table, start, quantity);
  if (!words) return exceptionPdu(fc, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  const res = Buffer.alloc(2 + 2 * quantity);
  res[0] = fc;
  res[1] = 2 * quantity;
  words.forEach((w, i) => res.writeUInt16BE(w, 2 + 2 * i));
  return res;
}

// FC 05 (§6.5): request FC, address(2), value(2) where FF 00 = ON and 00 00 = OFF; any other
// value is exception 3. The normal response echoes the request.
function writeSingleCoil(bank: RegisterBank, req: Buffer): Buffer {
  if (req.length !== 5) return exceptionPdu(0x05, EXCEPTION.ILLEGAL_DATA_VALUE);
  const address = req.readUInt16BE(1);
  const value = req.readUInt16BE(3);
  if (value !== 0xff00 && value !== 0x0000) return exceptionPdu(0x05, EXCEPTION.ILLEGAL_DATA_VALUE);
  if (!bank.write('coil', address, [value === 0xff00 ? 1 : 0])) return exceptionPdu(0x05, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  return Buffer.from(req);
}

// FC 06 (§6.6): request FC, address(2), value(2); the normal response echoes the request.
function writeSingleRegister(bank: RegisterBank, req: Buffer): Buffer {
  if (req.length !== 5) return exceptionPdu(0x06, EXCEPTION.ILLEGAL_DATA_VALUE);
  const address = req.readUInt16BE(1);
  if (!bank.write('holding', address, [req.readUInt16BE(3)])) return exceptionPdu(0x06, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  return Buffer.from(req);
}

// FC 15 (§6.11): request FC, start(2), quantity(2) with 1 ≤ quantity ≤ 1968 (0x7B0), byte
// count N = ⌈quantity / 8⌉, then N bytes of bits LSB first. Response FC, start, quantity.
function writeMultipleCoils(bank: RegisterBank, req: Buffer): Buffer {
  if (req.length < 6) return exceptionPdu(0x0f, EXCEPTION.ILLEGAL_DATA_VALUE);
  const start = req.readUInt16BE(1);
  const quantity = req.readUInt16BE(3);
  const byteCount = req[5]!;
  if (quantity < 1 || quantity > LIMITS.writeCoils || byteCount !== Math.ceil(quantity / 8) || req.length !== 6 + byteCount) {
    return exceptionPdu(0x0f, EXCEPTION.ILLEGAL_DATA_VALUE);
  }
  if (beyondAddressSpace(start, quantity)) return exceptionPdu(0x0f, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  const bits = Array.from({ length: quantity }, (_, i) => (req[6 + (i >> 3)]! >> (i & 7)) & 1);
  if (!bank.write('coil', start, bits)) return exceptionPdu(0x0f, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  return Buffer.from(req.subarray(0, 5));
}

// FC 16 (§6.12): request FC, start(2), quantity(2) with 1 ≤ quantity ≤ 123 (0x7B), byte count
// 2 × quantity, then the registers high byte first. Response FC, start, quantity.
function writeMultipleRegisters(bank: RegisterBank, req: Buffer): Buffer {
  if (req.length < 6) return exceptionPdu(0x10, EXCEPTION.ILLEGAL_DATA_VALUE);
  const start = req.readUInt16BE(1);
  const quantity = req.readUInt16BE(3);
  const byteCount = req[5]!;
  if (quantity < 1 || quantity > LIMITS.writeRegisters || byteCount !== 2 * quantity || req.length !== 6 + byteCount) {
    return exceptionPdu(0x10, EXCEPTION.ILLEGAL_DATA_VALUE);
  }
  if (beyondAddressSpace(start, quantity)) return exceptionPdu(0x10, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  const words = Array.from({ length: quantity }, (_, i) => req.readUInt16BE(6 + 2 * i));
  if (!bank.write('holding', start, words)) return exceptionPdu(0x10, EXCEPTION.ILLEGAL_DATA_ADDRESS);
  return Buffer.from(req.subarray(0, 5));
}
