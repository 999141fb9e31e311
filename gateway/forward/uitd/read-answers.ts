/**
 * Answers to the centre's reads (command 4 → command 5, GB/T 26875.3-2011 §8.3.2): each read type
 * (61–68 facility data, 81–88 UITD data) is answered with its upstream type (1–8, 21–28) from the
 * gateway's current state, which the runtime supplies through `UitdStateProvider`.
 *
 * A read we cannot answer — no provider method for it, nothing known for what was asked, or the
 * provider threw — is denied (command 6) with the reason reported; an empty answer cannot be sent
 * (an ADU must carry at least one object) and a made-up one must not be.
 */
import {
  codecOf,
  DataType,
  type AnalogValue,
  type ApplicationData,
  type ComponentConfig,
  type ComponentQuery,
  type ComponentStatus,
  type DataTypeFlag,
  type FacilityOperation,
  type FacilityOperationsQuery,
  type FacilitySoftwareVersion,
  type FacilitySystemConfig,
  type FacilitySystemTime,
  type SystemRef,
  type SystemStatus,
  type TypedData,
  type UitdConfig,
  type UitdOperation,
  type UitdOperationsQuery,
  type UitdSoftwareVersion,
  type UitdStatus,
} from '../../../drivers/gb26875/index.js';

/**
 * The gateway's state as the centre may read it. Every method is optional: a read whose method is
 * missing is denied. Return what is known for the refs asked; an empty array means "nothing known".
 */
export interface UitdStateProvider {
  /** 61 → 1. */
  systemStatus?(refs: readonly SystemRef[]): readonly SystemStatus[];
  /** 62 → 2. */
  componentStatus?(queries: readonly ComponentQuery[]): readonly ComponentStatus[];
  /** 63 → 3. */
  analogValues?(queries: readonly ComponentQuery[]): readonly AnalogValue[];
  /** 64 → 4 (at most query.count records, from query.from). */
  facilityOperations?(query: FacilityOperationsQuery): readonly FacilityOperation[];
  /** 65 → 5. */
  facilitySoftwareVersion?(ref: SystemRef): FacilitySoftwareVersion | undefined;
  /** 66 → 6. */
  facilitySystemConfig?(refs: readonly SystemRef[]): readonly FacilitySystemConfig[];
  /** 67 → 7. */
  componentConfig?(queries: readonly ComponentQuery[]): readonly ComponentConfig[];
  /** 68 → 8. */
  facilitySystemTime?(ref: SystemRef): FacilitySystemTime | undefined;
  /** 81 → 21 (also the heartbeat's body when `heartbeat.kind` is 'uitd-status'). */
  uitdStatus?(): UitdStatus;
  /** 84 → 24. */
  uitdOperations?(query: UitdOperationsQuery): readonly UitdOperation[];
  /** 85 → 25. */
  uitdSoftwareVersion?(): UitdSoftwareVersion;
  /** 86 → 26. */
  uitdConfig?(): UitdConfig;
}

export type ReadAnswer = { ok: true; data: ApplicationData; truncatedFrom?: number } | { ok: false; reason: string };

/** The read types (command 4). */
export const READ_TYPES: ReadonlySet<number> = new Set([61, 62, 63, 64, 65, 66, 67, 68, 81, 84, 85, 86, 88]);

/**
 * The answer to one read. `uitdTime` is the UITD's own clock (type 88 → 28 is answered from it, not
 * from the provider). Never throws.
 */
export function answerRead(request: TypedData, provider: UitdStateProvider, uitdTime: () => FacilitySystemTime['time']): ReadAnswer {
  try {
    return answer(request, provider, uitdTime);
  } catch (e) {
    return { ok: false, reason: `the state provider failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

function answer(request: TypedData, p: UitdStateProvider, uitdTime: () => FacilitySystemTime['time']): ReadAnswer {
  switch (request.type) {
    case DataType.ReadSystemStatus:
      return p.systemStatus ? many(DataType.SystemStatus, p.systemStatus(request.objects)) : missing('systemStatus');
    case DataType.ReadComponentStatus:
      return p.componentStatus ? many(DataType.ComponentStatus, p.componentStatus(request.objects)) : missing('componentStatus');
    case DataType.ReadAnalogValue:
      return p.analogValues ? many(DataType.AnalogValue, p.analogValues(request.objects)) : missing('analogValues');
    case DataType.ReadFacilityOperations:
      return p.facilityOperations ? many(DataType.FacilityOperation, p.facilityOperations(request.objects[0]!)) : missing('facilityOperations');
    case DataType.ReadFacilitySoftwareVersion:
      return p.facilitySoftwareVersion ? one(DataType.FacilitySoftwareVersion, p.facilitySoftwareVersion(request.objects[0]!)) : missing('facilitySoftwareVersion');
    case DataType.ReadFacilitySystemConfig:
      return p.facilitySystemConfig ? many(DataType.FacilitySystemConfig, p.facilitySystemConfig(request.objects)) : missing('facilitySystemConfig');
    case DataType.ReadComponentConfig:
      return p.componentConfig ? many(DataType.ComponentConfig, p.componentConfig(request.objects)) : missing('componentConfig');
    case DataType.ReadFacilitySystemTime:
      return p.facilitySystemTime ? one(DataType.FacilitySystemTime, p.facilitySystemTime(request.objects[0]!)) : missing('facilitySystemTime');
    case DataType.ReadUitdStatus:
      return p.uitdStatus ? one(DataType.UitdStatus, p.uitdStatus()) : missing('uitdStatus');
    case DataType.ReadUitdOperations:
      return p.uitdOperations ? many(DataType.UitdOperation, p.uitdOperations(request.objects[0]!)) : missing('uitdOperations');
    case DataType.ReadUitdSoftwareVersion:
      return p.uitdSoftwareVersion ? one(DataType.UitdSoftwareVersion, p.uitdSoftwareVersion()) : missing('uitdSoftwareVersion');
    case DataType.ReadUitdConfig:
      return p.uitdConfig ? one(DataType.UitdConfig, p.uitdConfig()) : missing('uitdConfig');
    case DataType.ReadUitdSystemTime:
      return { ok: true, data: { type: DataType.UitdSystemTime, objects: [{ time: uitdTime() }] } };
    default:
      return { ok: false, reason: `type ${request.type} is not a read (command 4 carries 61–68, 81, 84–86, 88)` };
  }
}

function missing(method: keyof UitdStateProvider): ReadAnswer {
  return { ok: false, reason: `the gateway does not provide ${method}` };
}

function many<F extends DataTypeFlag>(type: F, objects: readonly unknown[]): ReadAnswer {
  if (objects.length === 0) return { ok: false, reason: `nothing known for what was asked (type ${type} ${codecOf(type).name})` };
  // An answer carries at most the type's n limit (it keeps the ADU within 1024 bytes, §8.1).
  const max = codecOf(type).maxCount;
  const data = { type, objects: objects.slice(0, max) } as TypedData;
  return objects.length > max ? { ok: true, data, truncatedFrom: objects.length } : { ok: true, data };
}

function one<F extends DataTypeFlag>(type: F, object: unknown): ReadAnswer {
  return object === undefined ? { ok: false, reason: `nothing known for what was asked (type ${type} ${codecOf(type).name})` } : many(type, [object]);
}
