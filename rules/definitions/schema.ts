import { z } from 'zod';

/**
 * Alarm definitions: the shape shared by device profiles (defaults per model) and the site
 * file (overrides per device, and site-level alarms such as k-out-of-n votes). The engine
 * receives them resolved (rules/model.ts ResolvedAlarm) — a profile default with the site
 * file's override applied, every field explicit.
 *
 * Units: set points, deadbands and rates are in the point's engineering units (after scale
 * and offset); times are milliseconds.
 */

/** ISA-18.2 priorities, mapped to the red/orange/yellow/blue risk colours of 双重预防机制. */
export const PRIORITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_COLOUR: Record<Priority, 'red' | 'orange' | 'yellow' | 'blue'> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
};

/**
 * What kind of hazard an alarm announces. It selects the sounder/strobe pattern: fire, gas and
 * fault must be distinguishable (GB 16808 §lamps, GB 50116 §8: gas distinct from fire), and a
 * fault is never announced like an alarm (故障报警 is its own class).
 */
export const ALARM_CLASSES = ['fire', 'gas', 'electrical-fire', 'fault', 'process'] as const;
export type AlarmClass = (typeof ALARM_CLASSES)[number];

export const alarmName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'an alarm name is lower case letters, digits and _ , starting with a letter');

/** Fields every alarm kind has. */
const common = {
  name: alarmName,
  description: z.string().min(1),
  priority: z.enum(PRIORITIES),
  class: z.enum(ALARM_CLASSES),
  /**
   * A latched alarm stays active after its condition clears until a person resets it, and a
   * reset is refused while the condition is still present (GB/T 50493-2019 §5, GB 16808, GB 14287).
   */
  latch: z.boolean(),
  /** The condition must hold this long before the alarm activates (OPC UA Part 9 §B.1.5 OnDelay). */
  onDelayMs: z.number().int().min(0).max(3_600_000).default(0),
  /** The condition must be gone this long before the alarm returns (OffDelay). */
  offDelayMs: z.number().int().min(0).max(3_600_000).default(0),
  /** Omitted alarms are on; a site file may switch a profile's default off (it is journaled as a config fact). */
  enabled: z.boolean().default(true),
};

/** value ≥ setpoint activates; it returns once value < setpoint − deadband. */
export const HighAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('high'),
  point: z.string().min(1),
  setpoint: z.number(),
  deadband: z.number().min(0).default(0),
});

/** value ≤ setpoint activates; it returns once value > setpoint + deadband. */
export const LowAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('low'),
  point: z.string().min(1),
  setpoint: z.number(),
  deadband: z.number().min(0).default(0),
});

/** The value changes faster than `perMinute` engineering units per minute, measured over `windowMs`. */
export const RateAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('rate'),
  point: z.string().min(1),
  perMinute: z.number().positive(),
  direction: z.enum(['rise', 'fall', 'either']).default('rise'),
  windowMs: z.number().int().min(1_000).max(3_600_000).default(60_000),
});

/** No new reading of the point (any quality) for `afterMs`: a fault, never silence. */
export const StaleAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('stale'),
  point: z.string().min(1),
  afterMs: z.number().int().min(1_000).max(86_400_000),
});

/** The point's quality is not good (bad value, comm-fault, stale): a 故障 fault alarm. */
export const QualityAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('quality'),
  point: z.string().min(1),
});

/**
 * A device's own status: a bool point is true/false, or an enumeration point shows one of the
 * listed labels (the detector's alarm or fault flags, a panel's fire bit).
 */
export const StateAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('state'),
  point: z.string().min(1),
  /** Active when the point's value is one of these (booleans for bool points, labels for enums). */
  activeWhen: z.array(z.union([z.boolean(), z.string().min(1)])).min(1),
});

/**
 * k-out-of-n voting across other alarms' conditions (site level only): active while at least
 * k of the listed alarms' conditions are active. A listed alarm whose detector is in fault
 * (communication lost, bad quality) counts as tripped unless `faultCounts: false` — a detector
 * that cannot see is not assumed to see clean air.
 */
export const VoteAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('vote'),
  k: z.number().int().min(1),
  /** Alarm ids "<device>/<alarm>". */
  of: z.array(z.string().min(1)).min(2),
  faultCounts: z.boolean().default(true),
});

/**
 * Lost communication with a device (故障报警, GB/T 50493-2019 §5: a fault distinct from the
 * concentration alarms). Not written in profiles: resolve.ts creates one per device, id
 * "<device>/communication", and the site file may override it by that name. Active while the
 * readings of `point` (a witness: resolve picks the device's first enabled point, and every
 * point of a device is polled each cycle) have quality comm-fault; a device that answers —
 * even with a bad value or an exception — is communicating.
 */
export const CommunicationAlarmSchema = z.strictObject({
  ...common,
  kind: z.literal('communication'),
  point: z.string().min(1).optional(),
});

/** The name of every device's automatic communication fault alarm. */
export const COMMUNICATION_ALARM_NAME = 'communication';

export const DeviceAlarmSchema = z.discriminatedUnion('kind', [
  HighAlarmSchema,
  LowAlarmSchema,
  RateAlarmSchema,
  StaleAlarmSchema,
  QualityAlarmSchema,
  StateAlarmSchema,
]);
export const SiteAlarmSchema = VoteAlarmSchema;

/** A device's own alarm written in the site file (devices[].alarms.<name> with `kind`): the key is its name. */
export const SiteDeviceAlarmSchema = z.discriminatedUnion('kind', [
  HighAlarmSchema.omit({ name: true }),
  LowAlarmSchema.omit({ name: true }),
  RateAlarmSchema.omit({ name: true }),
  StaleAlarmSchema.omit({ name: true }),
  QualityAlarmSchema.omit({ name: true }),
  StateAlarmSchema.omit({ name: true }),
]);
export type SiteDeviceAlarmDef = z.infer<typeof SiteDeviceAlarmSchema>;

/**
 * What a site file may change on a profile's alarm (by name). Changing `kind` or `point` is
 * not an override; define a new alarm instead.
 */
export const AlarmOverrideSchema = z.strictObject({
  enabled: z.boolean().optional(),
  description: z.string().min(1).optional(),
  priority: z.enum(PRIORITIES).optional(),
  class: z.enum(ALARM_CLASSES).optional(),
  latch: z.boolean().optional(),
  onDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  offDelayMs: z.number().int().min(0).max(3_600_000).optional(),
  setpoint: z.number().optional(),
  deadband: z.number().min(0).optional(),
  perMinute: z.number().positive().optional(),
  afterMs: z.number().int().min(1_000).max(86_400_000).optional(),
  activeWhen: z.array(z.union([z.boolean(), z.string().min(1)])).min(1).optional(),
});

export type DeviceAlarmDef = z.infer<typeof DeviceAlarmSchema>;
export type SiteAlarmDef = z.infer<typeof SiteAlarmSchema>;
export type CommunicationAlarmDef = z.infer<typeof CommunicationAlarmSchema>;
export type AlarmDef = DeviceAlarmDef | SiteAlarmDef | CommunicationAlarmDef;
export type AlarmKind = AlarmDef['kind'];
export type AlarmOverride = z.infer<typeof AlarmOverrideSchema>;
