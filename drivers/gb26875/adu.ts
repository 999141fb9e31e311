/**
 * The application data unit (应用数据单元, GB/T 26875.3-2011 §7): type flag (1 byte), object
 * count n (1 byte), then n information objects of the type. One codec per type flag, in
 * objects/; this walks the ADU with them and checks the count and the length against each other.
 */
import { DataType, isUserDefinedType, type DataTypeFlag } from './codes.js';
import { fail, ok, Gb26875EncodeError, type DecodeResult } from './errors.js';
import { checkUint, type SystemRef } from './fields.js';
import { type ObjectCodec, type ReservedBody } from './objects/codec.js';
import { dutyCheck, initialiseUitd, syncUitdClock, type ClockSync, type DutyCheck } from './objects/control.js';
import {
  componentConfig,
  facilityOperation,
  facilitySoftwareVersion,
  facilitySystemConfig,
  facilitySystemTime,
  type ComponentConfig,
  type FacilityOperation,
  type FacilitySoftwareVersion,
  type FacilitySystemConfig,
  type FacilitySystemTime,
} from './objects/facility-info.js';
import { analogValue, componentStatus, systemStatus, type AnalogValue, type ComponentStatus, type SystemStatus } from './objects/facility-state.js';
import * as reads from './objects/reads.js';
import type { ComponentQuery, FacilityOperationsQuery, UitdOperationsQuery } from './objects/reads.js';
import {
  uitdConfig,
  uitdOperation,
  uitdSoftwareVersion,
  uitdStatus,
  uitdSystemTime,
  type UitdConfig,
  type UitdOperation,
  type UitdSoftwareVersion,
  type UitdStatus,
  type UitdSystemTime,
} from './objects/uitd.js';

/** The object each type flag carries. */
export interface ObjectTypes {
  1: SystemStatus;
  2: ComponentStatus;
  3: AnalogValue;
  4: FacilityOperation;
  5: FacilitySoftwareVersion;
  6: FacilitySystemConfig;
  7: ComponentConfig;
  8: FacilitySystemTime;
  21: UitdStatus;
  24: UitdOperation;
  25: UitdSoftwareVersion;
  26: UitdConfig;
  28: UitdSystemTime;
  61: SystemRef;
  62: ComponentQuery;
  63: ComponentQuery;
  64: FacilityOperationsQuery;
  65: SystemRef;
  66: SystemRef;
  67: ComponentQuery;
  68: SystemRef;
  81: ReservedBody;
  84: UitdOperationsQuery;
  85: ReservedBody;
  86: ReservedBody;
  88: ReservedBody;
  89: ReservedBody;
  90: ClockSync;
  91: DutyCheck;
}

const CODECS: { readonly [F in DataTypeFlag]: ObjectCodec<ObjectTypes[F]> } = {
  [DataType.SystemStatus]: systemStatus,
  [DataType.ComponentStatus]: componentStatus,
  [DataType.AnalogValue]: analogValue,
  [DataType.FacilityOperation]: facilityOperation,
  [DataType.FacilitySoftwareVersion]: facilitySoftwareVersion,
  [DataType.FacilitySystemConfig]: facilitySystemConfig,
  [DataType.ComponentConfig]: componentConfig,
  [DataType.FacilitySystemTime]: facilitySystemTime,
  [DataType.UitdStatus]: uitdStatus,
  [DataType.UitdOperation]: uitdOperation,
  [DataType.UitdSoftwareVersion]: uitdSoftwareVersion,
  [DataType.UitdConfig]: uitdConfig,
  [DataType.UitdSystemTime]: uitdSystemTime,
  [DataType.ReadSystemStatus]: reads.readSystemStatus,
  [DataType.ReadComponentStatus]: reads.readComponentStatus,
  [DataType.ReadAnalogValue]: reads.readAnalogValue,
  [DataType.ReadFacilityOperations]: reads.readFacilityOperations,
  [DataType.ReadFacilitySoftwareVersion]: reads.readFacilitySoftwareVersion,
  [DataType.ReadFacilitySystemConfig]: reads.readFacilitySystemConfig,
  [DataType.ReadComponentConfig]: reads.readComponentConfig,
  [DataType.ReadFacilitySystemTime]: reads.readFacilitySystemTime,
  [DataType.ReadUitdStatus]: reads.readUitdStatus,
  [DataType.ReadUitdOperations]: reads.readUitdOperations,
  [DataType.ReadUitdSoftwareVersion]: reads.readUitdSoftwareVersion,
  [DataType.ReadUitdConfig]: reads.readUitdConfig,
  [DataType.ReadUitdSystemTime]: reads.readUitdSystemTime,
  [DataType.InitialiseUitd]: initialiseUitd,
  [DataType.SyncUitdClock]: syncUitdClock,
  [DataType.DutyCheck]: dutyCheck,
};

/** Typed data: `{ type: 2, objects: ComponentStatus[] }` and so on, one member per type flag. */
export type TypedData = { [F in DataTypeFlag]: { readonly type: F; readonly objects: readonly ObjectTypes[F][] } }[DataTypeFlag];

/** A user-defined type flag (128–254): carried, not interpreted. `bytes` is everything after the flag. */
export interface UserDefinedData {
  readonly type: 'user-defined';
  readonly flag: number;
  readonly bytes: Buffer;
}

export type ApplicationData = TypedData | UserDefinedData;

export function isDataTypeFlag(flag: number): flag is DataTypeFlag {
  return Object.hasOwn(CODECS, flag);
}

/** The codec of a type flag, for callers that want its name or limit. */
export function codecOf<F extends DataTypeFlag>(flag: F): ObjectCodec<ObjectTypes[F]> {
  return CODECS[flag];
}

function decodeObjects<F extends DataTypeFlag>(flag: F, adu: Buffer): DecodeResult<TypedData> {
  const codec: ObjectCodec<ObjectTypes[F]> = CODECS[flag];
  const count = adu[1]!;
  if (count === 0) return fail('no-objects', `type ${flag} ${codec.name} announces 0 objects`);
  if (count > codec.maxCount) {
    return fail('count-over-limit', `type ${flag} ${codec.name} announces ${count} objects; at most ${codec.maxCount} are allowed`);
  }
  const objects: ObjectTypes[F][] = [];
  let offset = 2;
  for (let i = 0; i < count; i++) {
    const size = typeof codec.size === 'number' ? codec.size : codec.size(adu, offset);
    if (size === undefined || offset + size > adu.length) {
      const need = size === undefined ? 'its length byte' : `${size} bytes at offset ${offset}`;
      return fail('body-too-short', `type ${flag} ${codec.name}: object ${i + 1} of ${count} needs ${need}, but the ADU is ${adu.length} bytes`);
    }
    objects.push(codec.from(adu, offset));
    offset += size;
  }
  if (offset !== adu.length) {
    return fail('body-too-long', `type ${flag} ${codec.name}: ${count} objects end at byte ${offset}, but the ADU is ${adu.length} bytes`);
  }
  return ok({ type: flag, objects } as TypedData);
}

export const ApplicationData = {
  /** One ADU (non-empty). Never throws; a decode error names the type and what is wrong. */
  from(adu: Buffer): DecodeResult<ApplicationData> {
    if (adu.length < 2) return fail('body-too-short', `ADU of ${adu.length} byte(s) has no room for a type flag and an object count`);
    const flag = adu[0]!;
    if (isUserDefinedType(flag)) return ok({ type: 'user-defined', flag, bytes: Buffer.from(adu.subarray(1)) });
    if (!isDataTypeFlag(flag)) return fail('unknown-type', `type flag ${flag} is reserved in GB/T 26875.3 表3`);
    return decodeObjects(flag, adu);
  },

  /** The ADU bytes. Throws Gb26875EncodeError (with the field's path) on bad input. */
  serialize(data: ApplicationData): Buffer {
    if (data.type === 'user-defined') {
      if (!isUserDefinedType(data.flag)) throw new Gb26875EncodeError('flag', `${data.flag} is not a user-defined type flag (128–254)`);
      return Buffer.concat([Buffer.from([data.flag]), data.bytes]);
    }
    const flag = data.type;
    if (!isDataTypeFlag(flag)) throw new Gb26875EncodeError('type', `${String(flag)} is not a GB/T 26875.3 type flag`);
    const codec = CODECS[flag] as ObjectCodec<unknown>;
    const n = data.objects.length;
    if (n === 0) throw new Gb26875EncodeError('objects', `type ${flag} ${codec.name} needs at least one object`);
    if (n > codec.maxCount) throw new Gb26875EncodeError('objects', `type ${flag} ${codec.name} carries at most ${codec.maxCount} objects, got ${n}`);
    const parts = data.objects.map((o, i) => codec.serialize(o, `objects[${i}]`));
    return Buffer.concat([Buffer.from([flag, checkUint(n, 8, 'objects.length')]), ...parts]);
  },
};
