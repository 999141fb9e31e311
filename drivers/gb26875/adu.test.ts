import { describe, expect, it } from 'vitest';
import { codecOf, isDataTypeFlag } from './adu.js';
import { DataType, isUserDefinedType } from './codes.js';

describe('type flags (GB/T 26875.3 表3)', () => {
  it('knows exactly the flags the standard defines, and 128–254 as user-defined', () => {
    const defined = [1, 2, 3, 4, 5, 6, 7, 8, 21, 24, 25, 26, 28, 61, 62, 63, 64, 65, 66, 67, 68, 81, 84, 85, 86, 88, 89, 90, 91];
    for (let flag = 0; flag <= 255; flag++) {
      const kind = isDataTypeFlag(flag) ? 'defined' : isUserDefinedType(flag) ? 'user' : 'reserved';
      const expected = defined.includes(flag) ? 'defined' : flag >= 128 && flag <= 254 ? 'user' : 'reserved';
      expect(kind, `flag ${flag}`).toBe(expected);
    }
    expect(Object.values(DataType).sort((a, b) => a - b)).toEqual(defined);
  });

  it('keeps every fixed-size type within the 1024-byte ADU at its object limit', () => {
    for (const flag of Object.values(DataType)) {
      const codec = codecOf(flag);
      if (typeof codec.size === 'number') expect(2 + codec.maxCount * codec.size, codec.name).toBeLessThanOrEqual(1024);
    }
    // the limits standards.md §3.2 checked: 1022, 1014, 1010, 1018
    expect([1, 2, 3, 24].map((f) => 2 + codecOf(f as 1).maxCount * (codecOf(f as 1).size as number))).toEqual([1022, 1014, 1010, 1018]);
  });
});
