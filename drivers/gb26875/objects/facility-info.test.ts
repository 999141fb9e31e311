import { describe, expect, it } from 'vitest';
import { ApplicationData } from '../adu.js';
import { DataType } from '../codes.js';
import { FACILITY_OPERATION_BITS, flagsOf } from '../status-bits.js';
import { EVENT, expectRoundTrip } from '../testing/fixtures.js';

describe('type 4: facility operation record (4 B + time, n ≤ 102)', () => {
  it('round-trips a silence and a reset by operator 7', () => {
    expectRoundTrip(
      {
        type: DataType.FacilityOperation,
        objects: [
          { systemType: 1, systemAddress: 1, operation: 0x02, operator: 7, time: EVENT },
          { systemType: 1, systemAddress: 1, operation: 0x01, operator: 7, time: EVENT },
        ],
      },
      `04 02
       01 01  02  07  3A 1D 0E 12 05 18   // silence (bit 1), operator 7
       01 01  01  07  3A 1D 0E 12 05 18   // reset (bit 0)`,
    );
    expect(flagsOf(FACILITY_OPERATION_BITS, 0x22)).toMatchObject({ silence: true, confirm: true, reset: false });
  });
});

describe('type 5: facility software version (4 B, n = 1)', () => {
  it('round-trips V2.13', () => {
    expectRoundTrip(
      { type: DataType.FacilitySoftwareVersion, objects: [{ systemType: 1, systemAddress: 1, major: 2, minor: 13 }] },
      `05 01  01 01  02 0D   // system 1/1, version 2.13, no time label`,
    );
  });
});

describe('type 6: facility system configuration (3 + L B, n ≤ 3)', () => {
  it('round-trips two texts of different lengths', () => {
    expectRoundTrip(
      {
        type: DataType.FacilitySystemConfig,
        objects: [
          { systemType: 1, systemAddress: 1, description: 'JB-QB-A' },
          { systemType: 10, systemAddress: 1, description: '联动' },
        ],
      },
      `06 02
       01 01  07  4A 42 2D 51 42 2D 41   // L = 7, "JB-QB-A"
       0A 01  04  C1 AA B6 AF            // L = 4, "联动"`,
    );
  });

  it('keeps at most 255 bytes, cut at a character boundary', () => {
    const adu = ApplicationData.serialize({ type: 6, objects: [{ systemType: 1, systemAddress: 1, description: '火'.repeat(200) }] });
    expect(adu[4]).toBe(254); // 127 characters × 2 bytes; the 128th would make 256
    expect(adu.length).toBe(2 + 3 + 254);
  });

  it('refuses a fourth system', () => {
    const c = { systemType: 1, systemAddress: 1, description: 'x' };
    expect(() => ApplicationData.serialize({ type: 6, objects: [c, c, c, c] })).toThrow(/at most 3 objects, got 4/);
  });
});

describe('type 7: component configuration (38 B, n ≤ 26)', () => {
  it('round-trips a manual call point', () => {
    expectRoundTrip(
      {
        type: DataType.ComponentConfig,
        objects: [{ systemType: 1, systemAddress: 2, componentType: 23, componentAddress: { zone: 1, position: 300 }, description: '二层手报' }],
      },
      `07 01
       01 02  17  01 00 2C 01             // manual call point, zone 1, position 300 (0x012C)
       B6 FE B2 E3 CA D6 B1 A8            // 二层手报
       00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   // 23 NULs: 31 bytes, no time label`,
    );
  });
});

describe('type 8: facility system time (2 + 6 B, n = 1)', () => {
  it('round-trips the panel clock', () => {
    expectRoundTrip(
      { type: DataType.FacilitySystemTime, objects: [{ systemType: 1, systemAddress: 1, time: EVENT }] },
      `08 01  01 01  3A 1D 0E 12 05 18`,
    );
  });

  it('refuses an impossible clock value on encode', () => {
    expect(() => ApplicationData.serialize({ type: 8, objects: [{ systemType: 1, systemAddress: 1, time: { ...EVENT, minute: 60 } }] })).toThrow(
      /^objects\[0\]\.time: minute 60 is outside 0–59/,
    );
  });
});
