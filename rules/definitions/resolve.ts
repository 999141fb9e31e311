import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { Profile } from '../../drivers/profiles/schema.js';
import type { DeviceConfig, SiteConfig } from '../../gateway/config/schema.js';
import { VigilError } from '../../gateway/errors.js';
import type { ResolvedAlarm } from '../model.js';
import { deviceAlarmId, siteAlarmId } from './alarm-ids.js';
import {
  COMMUNICATION_ALARM_NAME,
  CommunicationAlarmSchema,
  DeviceAlarmSchema,
  type AlarmOverride,
  type CommunicationAlarmDef,
  type DeviceAlarmDef,
  type SiteDeviceAlarmDef,
} from './schema.js';

/**
 * Alarm resolution: the alarms the engine runs, each with every field explicit.
 *
 * Per device, in this order:
 *  1. the profile's default alarms, each with the site file's override of the same name
 *     (devices[].alarms.<name> without `kind`) applied field by field; `enabled: false` drops it;
 *  2. the device's own alarms from the site file (devices[].alarms.<name> with `kind`);
 *  3. "<device>/communication": lost communication, a fault alarm every device gets
 *     (GB/T 50493-2019 §5: faults distinct from concentration alarms). Defaults: priority high,
 *     class fault, not latched; the profile's `communicationAlarm` and then the site's
 *     devices[].alarms.communication may change that.
 * An alarm whose point is disabled (devices[].points.<p>.enabled: false) is dropped with it.
 * Then the site-level alarms (votes), ids "site/<name>".
 *
 * The config must have passed the semantic pass (gateway/config/semantic.ts), which reports
 * every problem with its path; resolve only throws (CONFIG_INVALID) if handed one that did not.
 */

/** Override fields every kind takes. */
export const COMMON_OVERRIDE_FIELDS = ['enabled', 'description', 'priority', 'class', 'latch', 'onDelayMs', 'offDelayMs'] as const;

/** Override fields that only some kinds take. */
export const KIND_OVERRIDE_FIELDS: Record<DeviceAlarmDef['kind'] | 'communication', readonly (keyof AlarmOverride)[]> = {
  high: ['setpoint', 'deadband'],
  low: ['setpoint', 'deadband'],
  rate: ['perMinute'],
  stale: ['afterMs'],
  quality: [],
  state: ['activeWhen'],
  communication: [],
};

/** A site entry with `kind` defines a new alarm; without it, it overrides a profile alarm. */
export function isNewAlarm(entry: SiteDeviceAlarmDef | AlarmOverride): entry is SiteDeviceAlarmDef {
  return 'kind' in entry && entry.kind !== undefined;
}

/** Override fields set in `o` that an alarm of `kind` does not have. */
export function inapplicableFields(kind: keyof typeof KIND_OVERRIDE_FIELDS, o: AlarmOverride): (keyof AlarmOverride)[] {
  const allowed = new Set<string>([...COMMON_OVERRIDE_FIELDS, ...KIND_OVERRIDE_FIELDS[kind]]);
  return (Object.keys(o) as (keyof AlarmOverride)[]).filter((k) => o[k] !== undefined && !allowed.has(k));
}

function applyOverride<T extends DeviceAlarmDef | CommunicationAlarmDef>(def: T, o: AlarmOverride | undefined): T {
  if (!o) return def;
  const set = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
  return { ...def, ...set };
}

/** The point whose readings witness communication: the device's first enabled point. */
export function witnessPoint(device: DeviceConfig, profile: Profile): string | undefined {
  return profile.points.find((p) => device.points?.[p.name]?.enabled !== false)?.name;
}

/** The automatic communication alarm before the site's override. */
export function communicationDefault(device: DeviceConfig, profile: Profile, point: string | undefined): CommunicationAlarmDef {
  return CommunicationAlarmSchema.parse({
    name: COMMUNICATION_ALARM_NAME,
    description: `Communication with ${device.name} lost: it does not answer (故障)`,
    priority: 'high',
    class: 'fault',
    latch: false,
    ...profile.communicationAlarm,
    kind: 'communication',
    ...(point !== undefined ? { point } : {}),
  });
}

/** Why a device alarm is not run, or undefined when it is. */
export type AlarmExclusion = 'disabled' | 'point-disabled' | 'no-points';

export interface DeviceAlarmEntry {
  id: string;
  name: string;
  origin: 'profile' | 'site' | 'automatic';
  def: DeviceAlarmDef | CommunicationAlarmDef;
  excluded?: AlarmExclusion;
}

/**
 * Every alarm a device would have, including the ones excluded, with the reason. Lenient: it
 * does not validate (the semantic pass uses it to know which ids exist; resolveDeviceAlarms
 * validates).
 */
export function deviceAlarmInventory(device: DeviceConfig, profile: Profile): DeviceAlarmEntry[] {
  const site = device.alarms ?? {};
  const pointOff = (p: string | undefined) => p !== undefined && device.points?.[p]?.enabled === false;
  const exclusion = (def: DeviceAlarmDef | CommunicationAlarmDef): AlarmExclusion | undefined =>
    def.enabled === false ? 'disabled' : pointOff(def.point) ? 'point-disabled' : undefined;
  const entry = (name: string, origin: DeviceAlarmEntry['origin'], def: DeviceAlarmEntry['def'], excluded = exclusion(def)): DeviceAlarmEntry =>
    excluded ? { id: deviceAlarmId(device.name, name), name, origin, def, excluded } : { id: deviceAlarmId(device.name, name), name, origin, def };

  const out: DeviceAlarmEntry[] = [];
  for (const def of profile.alarms ?? []) {
    const o = site[def.name];
    out.push(entry(def.name, 'profile', o && !isNewAlarm(o) ? applyOverride(def, o) : def));
  }
  const profileNames = new Set((profile.alarms ?? []).map((a) => a.name));
  for (const [name, o] of Object.entries(site)) {
    if (isNewAlarm(o) && !profileNames.has(name) && name !== COMMUNICATION_ALARM_NAME) out.push(entry(name, 'site', { ...o, name }));
  }
  const witness = witnessPoint(device, profile);
  const commOverride = site[COMMUNICATION_ALARM_NAME];
  const comm = applyOverride(communicationDefault(device, profile, witness), commOverride && !isNewAlarm(commOverride) ? commOverride : undefined);
  out.push(entry(COMMUNICATION_ALARM_NAME, 'automatic', comm, witness === undefined ? 'no-points' : exclusion(comm)));
  return out;
}

function invalid(device: string, message: string): VigilError {
  return new VigilError('CONFIG_INVALID', `devices "${device}" alarms: ${message} (the semantic pass should have reported this)`, { device });
}

/** A device's alarms as the engine runs them. Throws CONFIG_INVALID on a config the semantic pass would refuse. */
export function resolveDeviceAlarms(device: DeviceConfig, profile: Profile): ResolvedAlarm[] {
  const profileAlarms = new Map((profile.alarms ?? []).map((a) => [a.name, a] as const));
  for (const [name, o] of Object.entries(device.alarms ?? {})) {
    const base = name === COMMUNICATION_ALARM_NAME ? 'communication' : profileAlarms.get(name)?.kind;
    if (isNewAlarm(o)) {
      if (base) throw invalid(device.name, `"${name}" redefines an alarm the device already has`);
      continue;
    }
    if (!base) throw invalid(device.name, `"${name}" overrides an alarm profile ${profile.id} does not have`);
    const wrong = inapplicableFields(base, o);
    if (wrong.length > 0) throw invalid(device.name, `"${name}" (${base}) has no ${wrong.join(', ')}`);
  }
  const out: ResolvedAlarm[] = [];
  for (const e of deviceAlarmInventory(device, profile)) {
    if (e.excluded) continue;
    const parsed = (e.def.kind === 'communication' ? CommunicationAlarmSchema : DeviceAlarmSchema).safeParse(e.def);
    if (!parsed.success) throw invalid(device.name, `"${e.name}" is not a valid alarm: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    out.push({ id: e.id, device: device.name, def: parsed.data });
  }
  return out;
}

/** Every alarm of the site, in order: per device (profile, site-defined, communication), then site-level votes. */
export function resolveAlarms(config: Pick<SiteConfig, 'devices' | 'alarms'>, profiles: ProfileCatalog): ResolvedAlarm[] {
  const out: ResolvedAlarm[] = [];
  for (const device of config.devices) {
    const profile = profiles.get(device.profile);
    if (!profile) throw new VigilError('CONFIG_INVALID', `device "${device.name}": no device profile "${device.profile}"`, { device: device.name });
    out.push(...resolveDeviceAlarms(device, profile));
  }
  for (const vote of config.alarms ?? []) {
    if (vote.enabled === false) continue;
    out.push({ id: siteAlarmId(vote.name), def: vote });
  }
  return out;
}
