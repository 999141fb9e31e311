import { describe, expect, it } from 'vitest';
import { bitsOf, COMPONENT_STATUS_BITS, flagsOf, SYSTEM_STATUS_BITS, UITD_STATUS_BITS } from './status-bits.js';

describe('status bits', () => {
  it('names each bit of a system status', () => {
    const all = flagsOf(SYSTEM_STATUS_BITS, 0x3fff);
    expect(Object.values(all).every(Boolean)).toBe(true);
    expect(flagsOf(SYSTEM_STATUS_BITS, 1 << 10)).toMatchObject({ busFault: true, fault: false, normal: false });
    expect(flagsOf(SYSTEM_STATUS_BITS, 1 << 13).reset).toBe(true);
  });

  it('builds raw values from flags, ignoring reserved bits', () => {
    expect(bitsOf(COMPONENT_STATUS_BITS, { normal: true, fire: true })).toBe(0x0003);
    expect(bitsOf(COMPONENT_STATUS_BITS, { fault: true, powerFault: true })).toBe(0x0104);
    expect(bitsOf(UITD_STATUS_BITS, { centreLinkFault: true, normal: false })).toBe(0x20);
    expect(flagsOf(COMPONENT_STATUS_BITS, 0xfe00)).toEqual(flagsOf(COMPONENT_STATUS_BITS, 0)); // bits 9–15 reserved
  });
});
