/**
 * Upstream UITD (用户信息传输装置) data: types 21 (running status), 24 (operation record),
 * 25 (software version), 26 (configuration), 28 (system time), GB/T 26875.3-2011 §8.2.1.8–11 and
 * §8.3.1.9–13 as transcribed in ActorLancer/GB-T-26875.3.2011-rs (GB26875文档.md), whose example
 * frames for 21, 24, 25 and 28 decode byte for byte in message.test.ts.
 */
import { decodeGbText, encodeGbTextUpTo } from '../gb18030.js';
import { checkUint } from '../fields.js';
import { readTimeLabel, TIME_LABEL_SIZE, writeTimeLabel, type TimeLabel } from '../time-label.js';
import { fixed, type ObjectCodec } from './codec.js';
import { MAX_CONFIG_TEXT } from './facility-info.js';

/** Type 21, 1 byte + time, exactly one object: UITD_STATUS_BITS. */
export interface UitdStatus {
  readonly status: number;
  readonly time: TimeLabel;
}

export const uitdStatus: ObjectCodec<UitdStatus> = {
  name: 'UITD running status (用户信息传输装置运行状态)',
  maxCount: 1,
  size: 1 + TIME_LABEL_SIZE,
  from: (adu, o) => ({ status: adu[o]!, time: readTimeLabel(adu, o + 1) }),
  serialize: (s, path) =>
    fixed(1 + TIME_LABEL_SIZE, (b) => {
      b[0] = checkUint(s.status, 8, `${path}.status`);
      writeTimeLabel(s.time, b, 1, `${path}.time`);
    }),
};

/** Type 24, 2 bytes + time, up to 127: UITD_OPERATION_BITS, operator number. */
export interface UitdOperation {
  readonly operation: number;
  readonly operator: number;
  readonly time: TimeLabel;
}

export const uitdOperation: ObjectCodec<UitdOperation> = {
  name: 'UITD operation record (用户信息传输装置操作信息)',
  maxCount: 127, // 2 + 127 × 8 = 1018
  size: 2 + TIME_LABEL_SIZE,
  from: (adu, o) => ({ operation: adu[o]!, operator: adu[o + 1]!, time: readTimeLabel(adu, o + 2) }),
  serialize: (r, path) =>
    fixed(2 + TIME_LABEL_SIZE, (b) => {
      b[0] = checkUint(r.operation, 8, `${path}.operation`);
      b[1] = checkUint(r.operator, 8, `${path}.operator`);
      writeTimeLabel(r.time, b, 2, `${path}.time`);
    }),
};

/** Type 25, 2 bytes, no time, exactly one object: major, minor (defined by the maker). */
export interface UitdSoftwareVersion {
  readonly major: number;
  readonly minor: number;
}

export const uitdSoftwareVersion: ObjectCodec<UitdSoftwareVersion> = {
  name: 'UITD software version (用户信息传输装置软件版本)',
  maxCount: 1,
  size: 2,
  from: (adu, o) => ({ major: adu[o]!, minor: adu[o + 1]! }),
  serialize: (v, path) => Buffer.from([checkUint(v.major, 8, `${path}.major`), checkUint(v.minor, 8, `${path}.minor`)]),
};

/** Type 26, 1 + L bytes, no time, exactly one object: L, then L bytes of GB 18030 text. */
export interface UitdConfig {
  readonly description: string;
}

export const uitdConfig: ObjectCodec<UitdConfig> = {
  name: 'UITD configuration (用户信息传输装置配置情况)',
  maxCount: 1,
  size: (adu, o) => (o < adu.length ? 1 + adu[o]! : undefined),
  from: (adu, o) => ({ description: decodeGbText(adu.subarray(o + 1, o + 1 + adu[o]!)) }),
  serialize: (c) => {
    const text = encodeGbTextUpTo(c.description, MAX_CONFIG_TEXT);
    return Buffer.concat([Buffer.from([text.length]), text]);
  },
};

/** Type 28, 6 bytes, exactly one object: the UITD's clock. */
export interface UitdSystemTime {
  readonly time: TimeLabel;
}

export const uitdSystemTime: ObjectCodec<UitdSystemTime> = {
  name: 'UITD system time (用户信息传输装置系统时间)',
  maxCount: 1,
  size: TIME_LABEL_SIZE,
  from: (adu, o) => ({ time: readTimeLabel(adu, o) }),
  serialize: (t, path) => fixed(TIME_LABEL_SIZE, (b) => writeTimeLabel(t.time, b, 0, `${path}.time`)),
};
