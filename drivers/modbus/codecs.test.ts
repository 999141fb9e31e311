import { describe, expect, it } from 'vitest';
import { decodeBit, decodeRegisters, encodeRegisters, resolvePoints, type ResolvedPoint } from './codecs.js';
import { ProfileSchema, type ByteOrder, type PointDef, type ValueType } from '../profiles/schema.js';
import { VigilError } from '../../gateway/errors.js';

function point(over: Partial<ResolvedPoint> & { type: ValueType }): ResolvedPoint {
  const width = over.type === 'u32' || over.type === 'i32' || over.type === 'f32' ? 2 : 1;
  return { name: 'p', table: 'holding', address: 0, byteOrder: 'ABCD', scale: 1, offset: 0, width, ...over };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof VigilError ? e.code : `not a VigilError: ${String(e)}`;
  }
  return 'did not throw';
}

function profile(points: PointDef[], byteOrder: ByteOrder = 'ABCD') {
  return ProfileSchema.parse({
    id: 'acme/gd-1',
    vendor: 'Acme',
    model: 'GD-1',
    category: 'gas-combustible',
    description: 'test detector',
    source: { generic: true, notes: 'test' },
    modbus: { byteOrder },
    points,
  });
}

describe('byte orders (value bytes A B C D, big-endian)', () => {
  // Each row: the words on the wire for one value in each of the four orders.
  const cases: { type: ValueType; value: number; words: Record<ByteOrder, number[]> }[] = [
    // f32 123.456 = 0x42F6E979 → A=42 B=F6 C=E9 D=79
    { type: 'f32', value: 123.456, words: { ABCD: [0x42f6, 0xe979], CDAB: [0xe979, 0x42f6], BADC: [0xf642, 0x79e9], DCBA: [0x79e9, 0xf642] } },
    // u32 0x12345678 = 305419896 → A=12 B=34 C=56 D=78
    { type: 'u32', value: 305419896, words: { ABCD: [0x1234, 0x5678], CDAB: [0x5678, 0x1234], BADC: [0x3412, 0x7856], DCBA: [0x7856, 0x3412] } },
    // i32 -2 = 0xFFFFFFFE → A=FF B=FF C=FF D=FE
    { type: 'i32', value: -2, words: { ABCD: [0xffff, 0xfffe], CDAB: [0xfffe, 0xffff], BADC: [0xffff, 0xfeff], DCBA: [0xfeff, 0xffff] } },
    // i32 -123456789 = 0xF8A432EB → A=F8 B=A4 C=32 D=EB
    { type: 'i32', value: -123456789, words: { ABCD: [0xf8a4, 0x32eb], CDAB: [0x32eb, 0xf8a4], BADC: [0xa4f8, 0xeb32], DCBA: [0xeb32, 0xa4f8] } },
    // u16 0x1234 = 4660 → A=12 B=34; only the byte swap matters
    { type: 'u16', value: 4660, words: { ABCD: [0x1234], CDAB: [0x1234], BADC: [0x3412], DCBA: [0x3412] } },
    // i16 -200 = 0xFF38 → A=FF B=38
    { type: 'i16', value: -200, words: { ABCD: [0xff38], CDAB: [0xff38], BADC: [0x38ff], DCBA: [0x38ff] } },
  ];
  for (const c of cases) {
    for (const order of ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const) {
      const words = c.words[order];
      it(`${c.type} ${c.value} in ${order} is ${words.map((w) => w.toString(16).padStart(4, '0')).join(' ')}`, () => {
        const p = point({ type: c.type, byteOrder: order });
        const decoded = decodeRegisters(p, words);
        expect(decoded.quality).toBe('good');
        if (c.type === 'f32') expect(decoded.value).toBeCloseTo(c.value, 4);
        else expect(decoded.value).toBe(c.value);
        expect(encodeRegisters(p, c.value)).toEqual(words);
      });
    }
  }
});

describe('decodeRegisters', () => {
  it('applies raw × scale + offset without binary noise', () => {
    // 0x007B = 123 raw; ×0.1 → 12.3 %LEL, not 12.300000000000001
    expect(decodeRegisters(point({ type: 'u16', scale: 0.1 }), [0x007b])).toEqual({ value: 12.3, quality: 'good' });
    // 0x0190 = 400 raw; ×0.1 − 20 → 20 °C
    expect(decodeRegisters(point({ type: 'i16', scale: 0.1, offset: -20 }), [0x0190]).value).toBe(20);
  });

  it('marks a value outside the measuring range bad but keeps it', () => {
    const p = point({ type: 'u16', range: { min: 0, max: 100 } });
    expect(decodeRegisters(p, [0x0064])).toEqual({ value: 100, quality: 'good' }); // 100 = max, inside
    expect(decodeRegisters(p, [0x0065])).toEqual({ value: 101, quality: 'bad' });
  });

  it('marks f32 NaN and infinities bad with no value', () => {
    const p = point({ type: 'f32' });
    expect(decodeRegisters(p, [0x7fc0, 0x0000])).toEqual({ value: null, quality: 'bad' }); // NaN
    expect(decodeRegisters(p, [0x7f80, 0x0000])).toEqual({ value: null, quality: 'bad' }); // +Inf
    expect(decodeRegisters(p, [0xff80, 0x0000])).toEqual({ value: null, quality: 'bad' }); // −Inf
  });

  it('maps enumerations to labels; an unknown state is bad with no value', () => {
    const p = point({ type: 'u16', enum: { '0': 'normal', '1': 'alarm-1', '2': 'alarm-2', '16': 'sensor-fault' } });
    expect(decodeRegisters(p, [0x0002])).toEqual({ value: 'alarm-2', quality: 'good' });
    expect(decodeRegisters(p, [0x0010])).toEqual({ value: 'sensor-fault', quality: 'good' });
    expect(decodeRegisters(p, [0x0007])).toEqual({ value: null, quality: 'bad' });
  });

  it('extracts a bit of a register, counting from the least significant bit of the value', () => {
    // 0x0104: bits 2 and 8 set
    expect(decodeRegisters(point({ type: 'bool', bit: 2 }), [0x0104]).value).toBe(true);
    expect(decodeRegisters(point({ type: 'bool', bit: 8 }), [0x0104]).value).toBe(true);
    expect(decodeRegisters(point({ type: 'bool', bit: 0 }), [0x0104]).value).toBe(false);
    // BADC: the wire word 0x0401 is the value 0x0104
    expect(decodeRegisters(point({ type: 'bool', bit: 8, byteOrder: 'BADC' }), [0x0401]).value).toBe(true);
  });

  it('decodes coils and discrete inputs as booleans', () => {
    const coil = point({ type: 'bool', table: 'coil' });
    expect(decodeRegisters(coil, [1])).toEqual({ value: true, quality: 'good' });
    expect(decodeBit(coil, false)).toEqual({ value: false, quality: 'good' });
  });

  it('refuses the wrong number of words or a non-register value, naming the point', () => {
    expect(() => decodeRegisters(point({ type: 'f32', name: 'ch4' }), [0x42f6])).toThrow(/ch4: expected 2 register/);
    expect(() => decodeRegisters(point({ type: 'u16' }), [0x10000])).toThrow(VigilError);
  });
});

describe('encodeRegisters', () => {
  it('inverts scale and offset', () => {
    expect(encodeRegisters(point({ type: 'u16', scale: 0.1 }), 12.3)).toEqual([0x007b]);
    expect(encodeRegisters(point({ type: 'i16', scale: 0.1, offset: -20 }), 20)).toEqual([0x0190]);
  });

  it('round-trips every decoded integer value exactly', () => {
    for (const order of ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const) {
      const p = point({ type: 'i32', byteOrder: order, scale: 0.01 });
      for (const words of [[0x0000, 0x0001], [0x8000, 0x0000], [0x7fff, 0xffff], [0x1234, 0xabcd]]) {
        const { value } = decodeRegisters(p, words);
        expect(encodeRegisters(p, value as number), `${order} ${words}`).toEqual(words);
      }
    }
  });

  it('refuses values that do not fit the type, naming the point and value', () => {
    expect(() => encodeRegisters(point({ type: 'u16', name: 'setpoint' }), 65536)).toThrow(/setpoint: cannot write 65536/);
    expect(() => encodeRegisters(point({ type: 'u16' }), -1)).toThrow(VigilError);
    expect(() => encodeRegisters(point({ type: 'i16' }), 32768)).toThrow(VigilError);
    expect(() => encodeRegisters(point({ type: 'u16', scale: 0.1 }), 12.34)).toThrow(/not a whole multiple of scale 0.1/);
    expect(() => encodeRegisters(point({ type: 'u16' }), '12')).toThrow(/takes a finite number/);
    expect(() => encodeRegisters(point({ type: 'f32' }), 1e39)).toThrow(/outside the f32 range/);
    expect(() => encodeRegisters(point({ type: 'u16' }), true)).toThrow(VigilError);
    expect(codeOf(() => encodeRegisters(point({ type: 'u16' }), 70000))).toBe('CONFIG_INVALID');
  });

  it('accepts an enumeration label or its raw number, nothing else', () => {
    const p = point({ type: 'u16', enum: { '0': 'closed', '1': 'open' } });
    expect(encodeRegisters(p, 'open')).toEqual([0x0001]);
    expect(encodeRegisters(p, 0)).toEqual([0x0000]);
    expect(() => encodeRegisters(p, 'ajar')).toThrow(/not one of its labels \(closed, open\)/);
    expect(() => encodeRegisters(p, 2)).toThrow(/not one of its enumeration values/);
  });

  it('merges a register bit into the current word, keeping the other bits', () => {
    const p = point({ type: 'bool', bit: 3 });
    expect(encodeRegisters(p, true, [0x8001])).toEqual([0x8009]);
    expect(encodeRegisters(p, false, [0xffff])).toEqual([0xfff7]);
    // BADC: wire 0x0180 is the value 0x8001; set bit 3 → 0x8009 → wire 0x0980
    expect(encodeRegisters(point({ type: 'bool', bit: 3, byteOrder: 'BADC' }), true, [0x0180])).toEqual([0x0980]);
    expect(() => encodeRegisters(p, true)).toThrow(/needs the register's current value/);
  });

  it('writes coils as 1/0', () => {
    const coil = point({ type: 'bool', table: 'coil' });
    expect(encodeRegisters(coil, true)).toEqual([1]);
    expect(encodeRegisters(coil, 0)).toEqual([0]);
    expect(() => encodeRegisters(coil, 2)).toThrow(VigilError);
  });
});

describe('resolvePoints', () => {
  const points: PointDef[] = [
    { name: 'ch4', table: 'holding', address: 0, type: 'u16', scale: 0.1, unit: '%LEL', range: { min: 0, max: 100 } },
    { name: 'temp', table: 'holding', address: 1, type: 'f32', byteOrder: 'ABCD' },
    { name: 'state', table: 'holding', address: 3, type: 'u16', enum: { '0': 'normal' } },
    { name: 'relay', table: 'coil', address: 0, type: 'bool' },
  ];

  it('uses the profile byte order as the default and fills widths and scaling', () => {
    const [ch4, temp, state, relay] = resolvePoints(profile(points, 'CDAB'));
    expect(ch4).toMatchObject({ name: 'ch4', byteOrder: 'CDAB', scale: 0.1, offset: 0, width: 1, unit: '%LEL' });
    expect(temp).toMatchObject({ byteOrder: 'ABCD', scale: 1, width: 2 });
    expect(state).toMatchObject({ width: 1 });
    expect(relay).toMatchObject({ width: 1 });
  });

  it('applies overrides and drops disabled points', () => {
    const resolved = resolvePoints(profile(points), {
      ch4: { unit: 'ppm', scale: 1, offset: 5, range: { min: 0, max: 1000 } },
      temp: { enabled: false },
    });
    expect(resolved.map((p) => p.name)).toEqual(['ch4', 'state', 'relay']);
    expect(resolved[0]).toMatchObject({ unit: 'ppm', scale: 1, offset: 5, range: { min: 0, max: 1000 } });
  });

  it('names an override of a point the profile does not have', () => {
    expect(() => resolvePoints(profile(points), { co: { unit: 'ppm' } })).toThrow(/points.co: profile acme\/gd-1 has no point "co"/);
    expect(codeOf(() => resolvePoints(profile(points), { co: {} }))).toBe('CONFIG_INVALID');
  });

  it('refuses scale on an enumeration and an inverted range', () => {
    expect(() => resolvePoints(profile(points), { state: { scale: 2 } })).toThrow(/numeric points only/);
    expect(() => resolvePoints(profile(points), { ch4: { range: { min: 5, max: 1 } } })).toThrow(/min \(5\) must be below max \(1\)/);
  });
});
