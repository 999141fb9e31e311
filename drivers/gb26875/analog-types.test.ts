import { describe, expect, it } from 'vitest';
import { analogRaw, analogValue } from './analog-types.js';
import { Gb26875EncodeError } from './errors.js';

describe('analog types (表6)', () => {
  it('scales raw counts by the type’s resolution', () => {
    expect(analogValue(6, 1000)).toMatchObject({ value: 100, unit: '%LEL', withinRange: true });
    expect(analogValue(2, 32000)).toMatchObject({ value: 320, unit: 'm' });
    expect(analogValue(9, 15)).toMatchObject({ value: 1.5, unit: 'A' });
    expect(analogValue(1, 7)).toMatchObject({ value: 7, unit: '件' });
  });

  it('flags a value outside the valid range instead of hiding it', () => {
    expect(analogValue(6, 1001)).toMatchObject({ value: 100.1, withinRange: false });
    expect(analogValue(3, -2731)).toMatchObject({ value: -273.1, withinRange: false });
  });

  it('gives no unit for unused, reserved and user-defined types', () => {
    for (const t of [0, 13, 127, 128, 255]) expect(analogValue(t, 5), `type ${t}`).toBeUndefined();
  });

  it('turns an engineering value back into the raw count, refusing what an i16 cannot hold', () => {
    expect(analogRaw(6, 25.3)).toBe(253);
    expect(analogRaw(3, -10.5)).toBe(-105);
    expect(() => analogRaw(8, 3300)).toThrow(/3300 V at 0.1 V per count is 33000, outside the i16 range/);
    expect(() => analogRaw(200, 1)).toThrow(Gb26875EncodeError);
  });
});
