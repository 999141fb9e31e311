/**
 * Upstream facility state: types 1 (system status), 2 (component running status) and
 * 3 (component analog value), GB/T 26875.3-2011 §8.2.1.1–3 and §8.3.1.1–3 as transcribed in
 * ActorLancer/GB-T-26875.3.2011-rs (GB26875文档.md); sizes and limits agree with standards.md §3.2.
 */
import { encodeGbTextField, decodeGbText } from '../gb18030.js';
import {
  checkInt16,
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

/** Type 1 body: system type, system address, status u16 LE (SYSTEM_STATUS_BITS); then the time it happened. */
export interface SystemStatus extends SystemRef {
  readonly status: number;
  readonly time: TimeLabel;
}

export const systemStatus: ObjectCodec<SystemStatus> = {
  name: 'system status (建筑消防设施系统状态)',
  maxCount: 102, // 2 + 102 × 10 = 1022
  size: 4 + TIME_LABEL_SIZE,
  from: (adu, o) => ({ ...readSystemRef(adu, o), status: adu.readUInt16LE(o + 2), time: readTimeLabel(adu, o + 4) }),
  serialize: (s, path) =>
    fixed(4 + TIME_LABEL_SIZE, (b) => {
      writeSystemRef(s, b, 0, path);
      b.writeUInt16LE(checkUint(s.status, 16, `${path}.status`), 2);
      writeTimeLabel(s.time, b, 4, `${path}.time`);
    }),
};

/** The component description: 31 bytes of GB 18030 (§8.2.1.2). */
export const DESCRIPTION_SIZE = 31;

/**
 * Type 2 body, 40 bytes: component ref (7), status u16 LE (COMPONENT_STATUS_BITS, 2),
 * description (31, GB 18030); then the time it happened (6).
 */
export interface ComponentStatus extends ComponentRef {
  readonly status: number;
  /** Decoded text; on encode it is cut to 31 bytes at a character boundary and NUL-padded. */
  readonly description: string;
  readonly time: TimeLabel;
}

const COMPONENT_STATUS_BODY = COMPONENT_REF_SIZE + 2 + DESCRIPTION_SIZE; // 40

export const componentStatus: ObjectCodec<ComponentStatus> = {
  name: 'component running status (建筑消防设施部件运行状态)',
  maxCount: 22, // 2 + 22 × 46 = 1014
  size: COMPONENT_STATUS_BODY + TIME_LABEL_SIZE,
  from: (adu, o) => ({
    ...readComponentRef(adu, o),
    status: adu.readUInt16LE(o + 7),
    description: decodeGbText(adu.subarray(o + 9, o + 9 + DESCRIPTION_SIZE)),
    time: readTimeLabel(adu, o + COMPONENT_STATUS_BODY),
  }),
  serialize: (c, path) =>
    fixed(COMPONENT_STATUS_BODY + TIME_LABEL_SIZE, (b) => {
      writeComponentRef(c, b, 0, path);
      b.writeUInt16LE(checkUint(c.status, 16, `${path}.status`), 7);
      encodeGbTextField(c.description, DESCRIPTION_SIZE).copy(b, 9);
      writeTimeLabel(c.time, b, COMPONENT_STATUS_BODY, `${path}.time`);
    }),
};

/**
 * Type 3 body, 10 bytes: component ref (7), analog type (1, see analog-types.ts), value i16 LE
 * (2); then the sampling time (6). The value stays raw: scaling depends on the analog type, and
 * user-defined types (128–255) are scaled by the panel's profile, not here.
 */
export interface AnalogValue extends ComponentRef {
  readonly analogType: number;
  readonly raw: number;
  readonly time: TimeLabel;
}

export const analogValue: ObjectCodec<AnalogValue> = {
  name: 'component analog value (建筑消防设施部件模拟量值)',
  maxCount: 63, // 2 + 63 × 16 = 1010
  size: COMPONENT_REF_SIZE + 3 + TIME_LABEL_SIZE,
  from: (adu, o) => ({
    ...readComponentRef(adu, o),
    analogType: adu[o + 7]!,
    raw: adu.readInt16LE(o + 8),
    time: readTimeLabel(adu, o + 10),
  }),
  serialize: (a, path) =>
    fixed(COMPONENT_REF_SIZE + 3 + TIME_LABEL_SIZE, (b) => {
      writeComponentRef(a, b, 0, path);
      b[7] = checkUint(a.analogType, 8, `${path}.analogType`);
      b.writeInt16LE(checkInt16(a.raw, `${path}.raw`), 8);
      writeTimeLabel(a.time, b, 10, `${path}.time`);
    }),
};
