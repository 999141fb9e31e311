import { describe, expect, it } from 'vitest';
import { ApplicationData } from '../adu.js';
import { analogValue } from '../analog-types.js';
import { DataType } from '../codes.js';
import { COMPONENT_STATUS_BITS, flagsOf, SYSTEM_STATUS_BITS } from '../status-bits.js';
import { EVENT, expectRoundTrip } from '../testing/fixtures.js';

describe('type 1: system status (4 B + time, n ≤ 102)', () => {
  it('round-trips two systems', () => {
    expectRoundTrip(
      {
        type: DataType.SystemStatus,
        objects: [
          { systemType: 1, systemAddress: 1, status: 0x0003, time: EVENT },
          { systemType: 10, systemAddress: 2, status: 0x0901, time: EVENT },
        ],
      },
      `01 02                 // type 1, 2 objects
       01 01  03 00          // fire alarm system 1: normal + fire
       3A 1D 0E 12 05 18     // 2024-05-18 14:29:58
       0A 02  01 09          // linkage controller 2: normal + main-power fault (bit 8) + manual (bit 11)
       3A 1D 0E 12 05 18`,
    );
    const flags = flagsOf(SYSTEM_STATUS_BITS, 0x0901);
    expect(flags).toMatchObject({ normal: true, fire: false, mainPowerFault: true, manual: true, reset: false });
  });

  it('carries 102 systems in 1022 bytes and refuses a 103rd', () => {
    const one = { systemType: 1, systemAddress: 1, status: 1, time: EVENT };
    expect(ApplicationData.serialize({ type: 1, objects: Array(102).fill(one) }).length).toBe(1022);
    expect(() => ApplicationData.serialize({ type: 1, objects: Array(103).fill(one) })).toThrow(/objects: type 1 .* carries at most 102 objects, got 103/);
  });

  it('refuses a status over 16 bits, naming the object', () => {
    expect(() => ApplicationData.serialize({ type: 1, objects: [{ systemType: 1, systemAddress: 1, status: 0x10000, time: EVENT }] })).toThrow(
      /^objects\[0\]\.status: 65536 is not an unsigned 16-bit integer/,
    );
  });
});

describe('type 2: component running status (40 B + time, n ≤ 22)', () => {
  const smoke = {
    systemType: 1,
    systemAddress: 1,
    componentType: 42,
    componentAddress: { zone: 3, position: 12 },
    status: 0x0003,
    description: '1号楼3层烟感',
    time: EVENT,
  };

  it('round-trips a fire alarm with a Chinese description', () => {
    expectRoundTrip(
      { type: DataType.ComponentStatus, objects: [smoke] },
      `02 01                            // type 2, 1 object
       01 01                            // fire alarm system 1
       2A                               // 42 point photoelectric smoke detector
       03 00 0C 00                      // zone 3, position 12
       03 00                            // normal + fire
       31 BA C5 C2 A5 33 B2 E3 D1 CC B8 D0                         // 1号楼3层烟感
       00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00    // 19 NULs: 31 bytes
       3A 1D 0E 12 05 18`,
    );
    expect(flagsOf(COMPONENT_STATUS_BITS, smoke.status)).toMatchObject({ fire: true, fault: false, shield: false });
  });

  it('cuts a description longer than 31 bytes at a character boundary', () => {
    const long = { ...smoke, description: '综合楼地下一层消防水泵房东侧手动报警按钮' }; // 20 characters, 40 bytes
    const adu = ApplicationData.serialize({ type: 2, objects: [long] });
    expect(adu.length).toBe(2 + 46);
    const back = ApplicationData.from(adu);
    expect(back.ok && back.value.type === 2 && back.value.objects[0]!.description).toBe('综合楼地下一层消防水泵房东侧手'); // 15 characters, 30 bytes
  });

  it('refuses a component address that does not fit, naming the field', () => {
    expect(() => ApplicationData.serialize({ type: 2, objects: [smoke, { ...smoke, componentAddress: { zone: 70000, position: 1 } }] })).toThrow(
      /^objects\[1\]\.componentAddress\.zone: 70000 is not an unsigned 16-bit integer/,
    );
  });
});

describe('type 3: component analog value (10 B + time, n ≤ 63)', () => {
  it('round-trips a gas concentration and a negative temperature', () => {
    expectRoundTrip(
      {
        type: DataType.AnalogValue,
        objects: [
          { systemType: 1, systemAddress: 1, componentType: 11, componentAddress: { zone: 5, position: 1 }, analogType: 6, raw: 253, time: EVENT },
          { systemType: 1, systemAddress: 1, componentType: 31, componentAddress: { zone: 5, position: 2 }, analogType: 3, raw: -105, time: EVENT },
        ],
      },
      `03 02                 // type 3, 2 objects
       01 01  0B  05 00 01 00      // point combustible-gas detector, zone 5 position 1
       06  FD 00             // analog type 6 gas %LEL, raw 253
       3A 1D 0E 12 05 18
       01 01  1F  05 00 02 00      // point heat detector, zone 5 position 2
       03  97 FF             // analog type 3 temperature, raw −105 (0xFF97)
       3A 1D 0E 12 05 18`,
    );
    expect(analogValue(6, 253)).toEqual({ value: 25.3, unit: '%LEL', name: '气体浓度 gas concentration', withinRange: true });
    expect(analogValue(3, -105)).toMatchObject({ value: -10.5, unit: '℃' });
  });

  it('refuses a raw value that is not an i16', () => {
    const v = { systemType: 1, systemAddress: 1, componentType: 11, componentAddress: { zone: 5, position: 1 }, analogType: 6, raw: 40000, time: EVENT };
    expect(() => ApplicationData.serialize({ type: 3, objects: [v] })).toThrow(/^objects\[0\]\.raw: 40000 is not a signed 16-bit integer/);
  });
});
