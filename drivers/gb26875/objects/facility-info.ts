/**
 * Upstream facility records and information: types 4 (operation record), 5 (software version),
 * 6 (system configuration), 7 (component configuration), 8 (system time), GB/T 26875.3-2011
 * §8.2.1.4–7 and §8.3.1.4–8 as transcribed in ActorLancer/GB-T-26875.3.2011-rs (GB26875文档.md).
 * standards.md §3.2 gives the sizes and limits; the field order is the transcription's, and DGIOT's
 * dgiot_gb26875_decoder.erl reads the same order.
 */
import { decodeGbText, encodeGbTextField, encodeGbTextUpTo } from '../gb18030.js';
import {
  checkUint,
  COMPONENT_REF_SIZE,
  readComponentRef,
  readSystemRef,
  writeComponentRef,
  writeSystemRef,
  type ComponentRef,
  type SystemRef,
} from '../fields.js';
import { readTimeLabel, TIME_LABEL_SIZE, writeTimeLabel, type TimeLabel } from '../time-label.js';
import { fixed, type ObjectCodec } from './codec.js';
import { DESCRIPTION_SIZE } from './facility-state.js';

/** Type 4, 4 bytes + time: system ref, operation flags (FACILITY_OPERATION_BITS), operator number. */
export interface FacilityOperation extends SystemRef {
  readonly operation: number;
  /** 操作员编号, defined by the facility. */
  readonly operator: number;
  readonly time: TimeLabel;
}

export const facilityOperation: ObjectCodec<FacilityOperation> = {
  name: 'facility operation record (建筑消防设施操作信息)',
  maxCount: 102, // 2 + 102 × 10 = 1022
  size: 4 + TIME_LABEL_SIZE,
  from: (adu, o) => ({ ...readSystemRef(adu, o), operation: adu[o + 2]!, operator: adu[o + 3]!, time: readTimeLabel(adu, o + 4) }),
  serialize: (r, path) =>
    fixed(4 + TIME_LABEL_SIZE, (b) => {
      writeSystemRef(r, b, 0, path);
      b[2] = checkUint(r.operation, 8, `${path}.operation`);
      b[3] = checkUint(r.operator, 8, `${path}.operator`);
      writeTimeLabel(r.time, b, 4, `${path}.time`);
    }),
};

/** Type 5, 4 bytes, no time, exactly one object: system ref, major, minor. */
export interface FacilitySoftwareVersion extends SystemRef {
  readonly major: number;
  readonly minor: number;
}

export const facilitySoftwareVersion: ObjectCodec<FacilitySoftwareVersion> = {
  name: 'facility software version (建筑消防设施软件版本)',
  maxCount: 1,
  size: 4,
  from: (adu, o) => ({ ...readSystemRef(adu, o), major: adu[o + 2]!, minor: adu[o + 3]! }),
  serialize: (v, path) =>
    fixed(4, (b) => {
      writeSystemRef(v, b, 0, path);
      b[2] = checkUint(v.major, 8, `${path}.major`);
      b[3] = checkUint(v.minor, 8, `${path}.minor`);
    }),
};

/** The length byte L of a configuration text holds 0–255. */
export const MAX_CONFIG_TEXT = 255;

/** Type 6, 3 + L bytes, no time, up to 3 objects: system ref, L, L bytes of GB 18030 text. */
export interface FacilitySystemConfig extends SystemRef {
  /** On encode cut to 255 bytes at a character boundary (not padded: L says how long it is). */
  readonly description: string;
}

export const facilitySystemConfig: ObjectCodec<FacilitySystemConfig> = {
  name: 'facility system configuration (建筑消防设施系统配置情况)',
  maxCount: 3, // 2 + 3 × 258 = 776
  size: (adu, o) => (o + 2 < adu.length ? 3 + adu[o + 2]! : undefined),
  from: (adu, o) => ({ ...readSystemRef(adu, o), description: decodeGbText(adu.subarray(o + 3, o + 3 + adu[o + 2]!)) }),
  serialize: (c, path) => {
    const text = encodeGbTextUpTo(c.description, MAX_CONFIG_TEXT);
    return fixed(3 + text.length, (b) => {
      writeSystemRef(c, b, 0, path);
      b[2] = text.length;
      text.copy(b, 3);
    });
  },
};

/** Type 7, 38 bytes, no time, up to 26 objects: component ref (7), description (31, GB 18030). */
export interface ComponentConfig extends ComponentRef {
  readonly description: string;
}

export const componentConfig: ObjectCodec<ComponentConfig> = {
  name: 'component configuration (建筑消防设施部件配置情况)',
  maxCount: 26, // 2 + 26 × 38 = 990
  size: COMPONENT_REF_SIZE + DESCRIPTION_SIZE,
  from: (adu, o) => ({
    ...readComponentRef(adu, o),
    description: decodeGbText(adu.subarray(o + COMPONENT_REF_SIZE, o + COMPONENT_REF_SIZE + DESCRIPTION_SIZE)),
  }),
  serialize: (c, path) =>
    fixed(COMPONENT_REF_SIZE + DESCRIPTION_SIZE, (b) => {
      writeComponentRef(c, b, 0, path);
      encodeGbTextField(c.description, DESCRIPTION_SIZE).copy(b, COMPONENT_REF_SIZE);
    }),
};

/** Type 8, 2 + 6 bytes, exactly one object: system ref, then the facility's clock. */
export interface FacilitySystemTime extends SystemRef {
  readonly time: TimeLabel;
}

export const facilitySystemTime: ObjectCodec<FacilitySystemTime> = {
  name: 'facility system time (建筑消防设施系统时间)',
  maxCount: 1,
  size: 2 + TIME_LABEL_SIZE,
  from: (adu, o) => ({ ...readSystemRef(adu, o), time: readTimeLabel(adu, o + 2) }),
  serialize: (t, path) =>
    fixed(2 + TIME_LABEL_SIZE, (b) => {
      writeSystemRef(t, b, 0, path);
      writeTimeLabel(t.time, b, 2, `${path}.time`);
    }),
};
