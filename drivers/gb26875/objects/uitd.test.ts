import { describe, expect, it } from 'vitest';
import { ApplicationData } from '../adu.js';
import { DataType } from '../codes.js';
import { flagsOf, UITD_OPERATION_BITS, UITD_STATUS_BITS } from '../status-bits.js';
import { EVENT, expectRoundTrip } from '../testing/fixtures.js';

describe('type 21: UITD running status (1 B + time, n = 1)', () => {
  it('round-trips a failed link to the centre', () => {
    expectRoundTrip({ type: DataType.UitdStatus, objects: [{ status: 0x21, time: EVENT }] }, `15 01  21  3A 1D 0E 12 05 18   // normal watch + centre link fault (bit 5)`);
    expect(flagsOf(UITD_STATUS_BITS, 0x21)).toMatchObject({ normal: true, centreLinkFault: true, fire: false });
  });
});

describe('type 24: UITD operation record (2 B + time, n ≤ 127)', () => {
  it('round-trips a duty-check answer', () => {
    expectRoundTrip(
      { type: DataType.UitdOperation, objects: [{ operation: 0x20, operator: 3, time: EVENT }] },
      `18 01  20 03  3A 1D 0E 12 05 18   // 查岗应答 (bit 5), operator 3`,
    );
    expect(flagsOf(UITD_OPERATION_BITS, 0x20).dutyCheckAnswer).toBe(true);
  });

  it('carries 127 records in 1018 bytes', () => {
    const r = { operation: 1, operator: 1, time: EVENT };
    expect(ApplicationData.serialize({ type: 24, objects: Array(127).fill(r) }).length).toBe(1018);
  });
});

describe('type 25: UITD software version (2 B, n = 1)', () => {
  it('round-trips V1.4', () => {
    expectRoundTrip({ type: DataType.UitdSoftwareVersion, objects: [{ major: 1, minor: 4 }] }, `19 01  01 04`);
  });
});

describe('type 26: UITD configuration (1 + L B, n = 1)', () => {
  it('round-trips a Chinese text', () => {
    expectRoundTrip(
      { type: DataType.UitdConfig, objects: [{ description: 'Vigil 网关' }] },
      `1A 01  0A  56 69 67 69 6C 20 CD F8 B9 D8   // L = 10: "Vigil " + 网 (CD F8) 关 (B9 D8)`,
    );
  });

  it('round-trips an empty text (L = 0)', () => {
    expectRoundTrip({ type: DataType.UitdConfig, objects: [{ description: '' }] }, `1A 01  00`);
  });
});

describe('type 28: UITD system time (6 B, n = 1)', () => {
  it('round-trips the clock', () => {
    expectRoundTrip({ type: DataType.UitdSystemTime, objects: [{ time: EVENT }] }, `1C 01  3A 1D 0E 12 05 18`);
  });

  it('refuses a second object', () => {
    expect(() => ApplicationData.serialize({ type: 28, objects: [{ time: EVENT }, { time: EVENT }] })).toThrow(/at most 1 objects, got 2/);
  });
});
