import { describe, expect, it } from 'vitest';
import { ApplicationData } from '../adu.js';
import { DataType } from '../codes.js';
import { EVENT, expectRoundTrip } from '../testing/fixtures.js';

describe('downstream reads of facility data (61–68)', () => {
  it('61 read system status: system refs, n ≤ 102', () => {
    expectRoundTrip(
      { type: DataType.ReadSystemStatus, objects: [{ systemType: 1, systemAddress: 1 }, { systemType: 10, systemAddress: 1 }] },
      `3D 02  01 01  0A 01`,
    );
  });

  it('62 read component status: system ref + component address, no component type', () => {
    expectRoundTrip(
      { type: DataType.ReadComponentStatus, objects: [{ systemType: 1, systemAddress: 1, componentAddress: { zone: 3, position: 12 } }] },
      `3E 01  01 01  03 00 0C 00`,
    );
  });

  it('63 read analog value', () => {
    expectRoundTrip(
      { type: DataType.ReadAnalogValue, objects: [{ systemType: 1, systemAddress: 1, componentAddress: { zone: 5, position: 1 } }] },
      `3F 01  01 01  05 00 01 00`,
    );
  });

  it('64 read operation records: how many, from when', () => {
    expectRoundTrip(
      { type: DataType.ReadFacilityOperations, objects: [{ systemType: 1, systemAddress: 1, count: 20, from: EVENT }] },
      `40 01  01 01  14  3A 1D 0E 12 05 18   // 20 records from 2024-05-18 14:29:58`,
    );
    expect(() => ApplicationData.serialize({ type: 64, objects: [{ systemType: 1, systemAddress: 1, count: 103, from: EVENT }] })).toThrow(
      /^objects\[0\]\.count: 103 is over the limit of 102/,
    );
  });

  it('65, 66, 68 name a system; 67 a component', () => {
    expectRoundTrip({ type: DataType.ReadFacilitySoftwareVersion, objects: [{ systemType: 1, systemAddress: 2 }] }, `41 01  01 02`);
    expectRoundTrip({ type: DataType.ReadFacilitySystemConfig, objects: [{ systemType: 1, systemAddress: 2 }] }, `42 01  01 02`);
    expectRoundTrip(
      { type: DataType.ReadComponentConfig, objects: [{ systemType: 1, systemAddress: 2, componentAddress: { zone: 1, position: 300 } }] },
      `43 01  01 02  01 00 2C 01`,
    );
    expectRoundTrip({ type: DataType.ReadFacilitySystemTime, objects: [{ systemType: 1, systemAddress: 2 }] }, `44 01  01 02`);
  });
});

describe('downstream reads of UITD data (81–88)', () => {
  it('81, 85, 86, 88 carry one reserved byte', () => {
    expectRoundTrip({ type: DataType.ReadUitdStatus, objects: [{ reserved: 0 }] }, `51 01  00`);
    expectRoundTrip({ type: DataType.ReadUitdSoftwareVersion, objects: [{ reserved: 0 }] }, `55 01  00`);
    expectRoundTrip({ type: DataType.ReadUitdConfig, objects: [{ reserved: 0 }] }, `56 01  00`);
    expectRoundTrip({ type: DataType.ReadUitdSystemTime, objects: [{ reserved: 0 }] }, `58 01  00`);
  });

  it('84 read UITD operation records: how many, from when', () => {
    expectRoundTrip({ type: DataType.ReadUitdOperations, objects: [{ count: 10, from: EVENT }] }, `54 01  0A  3A 1D 0E 12 05 18`);
  });
});

describe('downstream control (89–91)', () => {
  it('89 initialise: one reserved byte', () => {
    expectRoundTrip({ type: DataType.InitialiseUitd, objects: [{ reserved: 0 }] }, `59 01  00`);
  });

  it('90 clock sync: the time to set', () => {
    expectRoundTrip({ type: DataType.SyncUitdClock, objects: [{ time: EVENT }] }, `5A 01  3A 1D 0E 12 05 18`);
  });

  it('91 duty-check: the answer window in minutes (a centre convention; 0 = not given)', () => {
    expectRoundTrip({ type: DataType.DutyCheck, objects: [{ answerMinutes: 10 }] }, `5B 01  0A`);
    expectRoundTrip({ type: DataType.DutyCheck, objects: [{ answerMinutes: 0 }] }, `5B 01  00`);
  });
});

describe('user-defined type flags (128–254)', () => {
  it('are carried whole, not interpreted', () => {
    expectRoundTrip({ type: 'user-defined', flag: 0x80, bytes: Buffer.from([0x01, 0xaa, 0xbb]) }, `80 01 AA BB`);
    expect(() => ApplicationData.serialize({ type: 'user-defined', flag: 61, bytes: Buffer.alloc(0) })).toThrow(/flag: 61 is not a user-defined type flag/);
  });
});
