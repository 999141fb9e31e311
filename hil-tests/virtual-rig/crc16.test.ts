import { describe, expect, it } from 'vitest';
import { crc16, hasValidCrc, withCrc } from './crc16.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('CRC-16/Modbus', () => {
  it('computes the standards.md §7 example: 01 03 00 02 00 01 → 25 CA on the wire', () => {
    expect(crc16(hex('01 03 00 02 00 01'))).toBe(0xca25);
    // low byte first
    expect(withCrc(hex('01 03 00 02 00 01')).toString('hex')).toBe('01030002000125ca');
  });

  it('matches the Modbus over Serial Line spec example and a common read request', () => {
    // slave 0x11, FC03, start 0x006B, quantity 3 → CRC 76 87
    expect(withCrc(hex('11 03 00 6B 00 03')).subarray(-2).toString('hex')).toBe('7687');
    // slave 1, FC03, start 0, quantity 10 → CRC C5 CD
    expect(withCrc(hex('01 03 00 00 00 0A')).subarray(-2).toString('hex')).toBe('c5cd');
  });

  it('accepts a frame with its CRC and rejects one with a changed byte or swapped CRC bytes', () => {
    expect(hasValidCrc(hex('01 03 00 02 00 01 25 CA'))).toBe(true);
    expect(hasValidCrc(hex('01 03 00 02 00 02 25 CA'))).toBe(false);
    expect(hasValidCrc(hex('01 03 00 02 00 01 CA 25'))).toBe(false);
    expect(hasValidCrc(hex('25 CA'))).toBe(false);
  });
});
