import { z } from 'zod';
import { AlarmOverrideSchema, SiteDeviceAlarmSchema, SiteAlarmSchema, alarmName } from '../../rules/definitions/schema.js';

/**
 * The site file's safety sections: alarm overrides and site-level alarms, local outputs
 * (sounders, strobes, relays), physical inputs (acknowledge/silence button, reset key switch),
 * interlocks, schedules and the people allowed to act on alarms. Part of the zod single source
 * (schema.ts imports these); docs/alarms.md explains the behaviour behind each field.
 */

const name = (what: string) =>
  z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, `a ${what} is lower case letters, digits, - and _`);

/** A secret by reference (same shape as schema.ts SecretRefSchema; repeated here to avoid an import cycle). */
const SecretRef = z.union([
  z.strictObject({ secret: z.string().min(1).describe('key in the secrets file') }),
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name').describe('environment variable') }),
]);

/**
 * Per device: a profile alarm's override by name, or a new alarm of the device's own (a full
 * definition with `kind`). The key is the alarm's name.
 */
export const DeviceAlarmsSchema = z.record(alarmName, z.union([SiteDeviceAlarmSchema, AlarmOverrideSchema]));

/** Site-level alarms (k-out-of-n votes across devices); their ids are "site/<name>". */
export const SiteAlarmsSchema = z.array(SiteAlarmSchema);

/** Where output and input lines live. */
export const GpioDriverSchema = z.discriminatedUnion('kind', [
  /**
   * A Linux GPIO character device through libgpiod's gpioset/gpiomon (works on every current
   * Raspberry Pi, Pi 5 included; sysfs GPIO and pigpio do not).
   */
  z.strictObject({ kind: z.literal('gpiod'), chip: z.string().min(1).default('gpiochip0') }),
  /** No hardware: lines are held in memory and shown in the API and the demo console. */
  z.strictObject({ kind: z.literal('virtual') }),
]);

/**
 * A local output. `failsafe` is the state it takes when the gateway cannot vouch for the alarm
 * engine (the engine threw, its watchdog expired, the process is going down on a fault):
 * typically `on` for a sounder (better a false alarm than silence), `off` for a fan relay that
 * must not start by itself. `activeLow` inverts the line for relay boards that switch on low.
 */
export const OutputSchema = z.strictObject({
  name: name('output name'),
  description: z.string().optional(),
  kind: z.enum(['sounder', 'strobe', 'lamp', 'relay', 'watchdog']),
  line: z.number().int().min(0).max(511),
  activeLow: z.boolean().default(false),
  failsafe: z.enum(['on', 'off']),
  /** Which alarm classes drive it (sounders, strobes, lamps). Default: all but `process`. */
  classes: z.array(z.enum(['fire', 'gas', 'electrical-fire', 'fault', 'process'])).min(1).optional(),
  /** Lowest priority that drives it. Default: low (everything). */
  minPriority: z.enum(['critical', 'high', 'medium', 'low']).optional(),
});

/** A physical input: the acknowledge/silence push button or the reset key switch. */
export const InputSchema = z.strictObject({
  name: name('input name'),
  description: z.string().optional(),
  action: z.enum(['acknowledge', 'silence', 'silence-acknowledge', 'reset']),
  line: z.number().int().min(0).max(511),
  activeLow: z.boolean().default(true),
  bias: z.enum(['pull-up', 'pull-down', 'disabled']).default('pull-up'),
  debounceMs: z.number().int().min(0).max(1_000).default(30),
});

export const OutputsSchema = z.strictObject({
  driver: GpioDriverSchema,
  lines: z.array(OutputSchema).min(1),
  inputs: z.array(InputSchema).optional(),
});

/** What an interlock does when it trips. */
export const InterlockActionSchema = z.union([
  /**
   * Write a Modbus point (a coil or holding register marked `access: readwrite` in its profile).
   * `releaseValue`, when given, is written when a person resets the interlock; without it the
   * reset leaves the point as the trip left it — a closed gas valve is reopened by hand on site.
   */
  z.strictObject({
    write: z.strictObject({
      device: z.string().min(1),
      point: z.string().min(1),
      value: z.union([z.boolean(), z.number()]),
      releaseValue: z.union([z.boolean(), z.number()]).optional(),
    }),
  }),
  /**
   * Switch a local relay output. `releaseOnReset: true` switches it back when a person resets the
   * interlock (an exhaust fan stops); the default leaves it as the trip left it, because a relay
   * may as well cut a gas solenoid's power, and switching that back would reopen the gas.
   */
  z.strictObject({ output: z.strictObject({ name: z.string().min(1), value: z.enum(['on', 'off']), releaseOnReset: z.boolean().default(false) }) }),
]);

/**
 * A safety interlock (安全联锁): trips when any of `when` (alarm ids, a vote alarm included)
 * activates, performs its actions with read-back and retry, and stays tripped until a person
 * resets it — a reset is refused while a trigger is still active.
 */
export const InterlockSchema = z.strictObject({
  name: name('interlock name'),
  description: z.string().min(1),
  when: z.array(z.string().min(1)).min(1),
  actions: z.array(InterlockActionSchema).min(1),
  /**
   * How a write is confirmed. Default: read the written point back and compare. A feedback point
   * (a valve's limit switch) can be named instead, with the time the actuator needs.
   */
  confirm: z
    .strictObject({
      device: z.string().min(1),
      point: z.string().min(1),
      value: z.union([z.boolean(), z.number(), z.string()]),
      withinMs: z.number().int().min(100).max(600_000),
    })
    .optional(),
  /** Attempts after the first before the interlock is declared failed (its own fault alarm). */
  retries: z.number().int().min(0).max(10).default(3),
});

/** A maintenance window: the listed alarms are suppressed by design while it is open; every open and close is journaled. */
export const MaintenanceWindowSchema = z.strictObject({
  name: name('maintenance window name'),
  description: z.string().min(1),
  /** node-cron expression for the start, in the gateway's local time zone. */
  cron: z.string().min(1),
  durationMinutes: z.number().int().min(1).max(7 * 24 * 60),
  /** Alarm ids, or "<device>/*" for every alarm of a device. */
  alarms: z.array(z.string().min(1)).min(1),
});

export const SchedulesSchema = z.strictObject({
  maintenance: z.array(MaintenanceWindowSchema).optional(),
  /** Periodic self-test: every sounder/strobe/lamp is switched on briefly and the test is journaled. */
  selfTest: z.strictObject({ cron: z.string().min(1), durationMs: z.number().int().min(200).max(60_000).default(3_000) }).optional(),
  /** A daily summary event (alarm counts, floods, chattering, stale alarms). Default 08:00 local. */
  dailySummary: z.strictObject({ cron: z.string().min(1).default('0 8 * * *') }).optional(),
});

/** A person (or a system) allowed to act on alarms through the local API. Nobody acts anonymously. */
export const ApiUserSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]*$/, 'a user name is letters, digits, _ . @ -'),
  token: SecretRef,
});

/** Cloud commands over MQTT are accepted only with a valid HMAC-SHA256 under this key. */
export const CloudCommandsSchema = z.strictObject({
  key: SecretRef,
  /** A command older or newer than this (by its ts, against a trusted clock) is refused as a replay. */
  maxSkewMs: z.number().int().min(1_000).max(3_600_000).default(300_000),
});

export type DeviceAlarmsConfig = z.infer<typeof DeviceAlarmsSchema>;
export type OutputConfig = z.infer<typeof OutputSchema>;
export type InputConfig = z.infer<typeof InputSchema>;
export type OutputsConfig = z.infer<typeof OutputsSchema>;
export type GpioDriverConfig = z.infer<typeof GpioDriverSchema>;
export type InterlockConfig = z.infer<typeof InterlockSchema>;
export type InterlockAction = z.infer<typeof InterlockActionSchema>;
export type MaintenanceWindowConfig = z.infer<typeof MaintenanceWindowSchema>;
export type SchedulesConfig = z.infer<typeof SchedulesSchema>;
export type ApiUserConfig = z.infer<typeof ApiUserSchema>;
export type CloudCommandsConfig = z.infer<typeof CloudCommandsSchema>;
