/**
 * Downstream reads (command 4, request): types 61–68 (facility data) and 81, 84, 85, 86, 88 (UITD
 * data). standards.md §3.2 lists the flags only; every body layout here is from the transcription
 * of §8.3.2 in ActorLancer/GB-T-26875.3.2011-rs (GB26875文档.md), tagged [C*] there. Its example
 * frames for 81, 85 and 88 decode byte for byte in message.test.ts; the others are not checked
 * against any sample frame.
 */
import { checkUint, COMPONENT_ADDRESS_SIZE, readComponentAddress, readSystemRef, writeComponentAddress, writeSystemRef, type ComponentAddress, type SystemRef } from '../fields.js';
import { readTimeLabel, TIME_LABEL_SIZE, writeTimeLabel, type TimeLabel } from '../time-label.js';
import { checkMax, fixed, reservedCodec, type ObjectCodec } from './codec.js';

function systemQuery(name: string, maxCount: number): ObjectCodec<SystemRef> {
  return {
    name,
    maxCount,
    size: 2,
    from: (adu, o) => readSystemRef(adu, o),
    serialize: (q, path) => fixed(2, (b) => writeSystemRef(q, b, 0, path)),
  };
}

/** 62, 63, 67: system ref and component address — 6 bytes, no component type (§8.3.2.2, .3, .7). */
export interface ComponentQuery extends SystemRef {
  readonly componentAddress: ComponentAddress;
}

function componentQuery(name: string, maxCount: number): ObjectCodec<ComponentQuery> {
  return {
    name,
    maxCount,
    size: 2 + COMPONENT_ADDRESS_SIZE,
    from: (adu, o) => ({ ...readSystemRef(adu, o), componentAddress: readComponentAddress(adu, o + 2) }),
    serialize: (q, path) =>
      fixed(2 + COMPONENT_ADDRESS_SIZE, (b) => {
        writeSystemRef(q, b, 0, path);
        writeComponentAddress(q.componentAddress, b, 2, `${path}.componentAddress`);
      }),
  };
}

/** Most records one read may ask for (§8.3.2.4 and §8.3.2.10: "n不大于102"). */
export const MAX_RECORDS_PER_READ = 102;

/** 64: which facility, how many records (≤ 102), from when (§8.3.2.4). Exactly one object. */
export interface FacilityOperationsQuery extends SystemRef {
  readonly count: number;
  readonly from: TimeLabel;
}

/** 84: how many UITD records (≤ 102), from when (§8.3.2.10). Exactly one object. */
export interface UitdOperationsQuery {
  readonly count: number;
  readonly from: TimeLabel;
}

export const readSystemStatus = systemQuery('read system status (读建筑消防设施系统状态)', 102);
export const readComponentStatus = componentQuery('read component status (读建筑消防设施部件运行状态)', 22);
export const readAnalogValue = componentQuery('read component analog value (读建筑消防设施部件模拟量值)', 63);

export const readFacilityOperations: ObjectCodec<FacilityOperationsQuery> = {
  name: 'read facility operation records (读建筑消防设施操作信息记录)',
  maxCount: 1,
  size: 3 + TIME_LABEL_SIZE,
  // The count is read as sent, even above 102: the answer carries at most the type's limit anyway.
  from: (adu, o) => ({ ...readSystemRef(adu, o), count: adu[o + 2]!, from: readTimeLabel(adu, o + 3) }),
  serialize: (q, path) =>
    fixed(3 + TIME_LABEL_SIZE, (b) => {
      writeSystemRef(q, b, 0, path);
      b[2] = checkMax(checkUint(q.count, 8, `${path}.count`), MAX_RECORDS_PER_READ, `${path}.count`);
      writeTimeLabel(q.from, b, 3, `${path}.from`);
    }),
};

export const readFacilitySoftwareVersion = systemQuery('read facility software version (读建筑消防设施软件版本)', 1);
export const readFacilitySystemConfig = systemQuery('read facility system configuration (读建筑消防设施系统配置情况)', 3);
export const readComponentConfig = componentQuery('read component configuration (读建筑消防设施部件配置情况)', 26);
export const readFacilitySystemTime = systemQuery('read facility system time (读建筑消防设施系统时间)', 1);

export const readUitdStatus = reservedCodec('read UITD running status (读用户信息传输装置运行状态)');

export const readUitdOperations: ObjectCodec<UitdOperationsQuery> = {
  name: 'read UITD operation records (读用户信息传输装置操作信息记录)',
  maxCount: 1,
  size: 1 + TIME_LABEL_SIZE,
  from: (adu, o) => ({ count: adu[o]!, from: readTimeLabel(adu, o + 1) }),
  serialize: (q, path) =>
    fixed(1 + TIME_LABEL_SIZE, (b) => {
      b[0] = checkMax(checkUint(q.count, 8, `${path}.count`), MAX_RECORDS_PER_READ, `${path}.count`);
      writeTimeLabel(q.from, b, 1, `${path}.from`);
    }),
};

export const readUitdSoftwareVersion = reservedCodec('read UITD software version (读用户信息传输装置软件版本)');
export const readUitdConfig = reservedCodec('read UITD configuration (读用户信息传输装置配置情况)');
export const readUitdSystemTime = reservedCodec('read UITD system time (读用户信息传输装置系统时间)');
