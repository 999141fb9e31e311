/**
 * The site file's `electricity:` section (standards.md §5, production-safety electricity
 * monitoring): which meters count, the shutdown windows and floors, the baseline settings.
 * Meant to be plugged into gateway/config/schema.ts as `electricity: ElectricitySchema.optional()`;
 * cross-references (devices, points, units, cron) are checked by electricityProblems()
 * (config-problems.ts), which reports every problem with its path.
 *
 * Example:
 *   electricity:
 *     timeZone: Asia/Shanghai
 *     meters:
 *       - { device: pm-main, powerPoint: total_active_power, maxKW: 2000 }
 *       - { device: pm-workshop-2 }
 *     shutdown:
 *       floor: { kWhPerInterval: 15, kW: 80 }     # ventilation, drainage, lighting
 *       windows:
 *         - { name: night, cron: "0 22 * * *", durationMinutes: 480 }
 *       dates:
 *         - { name: spring-festival, start: "2027-02-05T00:00:00+08:00", end: "2027-02-13T00:00:00+08:00" }
 *     baseline: { weeks: 4, minSamples: 3, deviationPercent: 40, minDeviationKWh: 5 }
 */
import { z } from 'zod';
import { LocalTime } from './local-time.js';

const name = (what: string) => z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, `a ${what} is lower case letters, digits, - and _`);

const isoDateTime = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time with seconds and a UTC offset, e.g. "2027-02-05T00:00:00+08:00"' });

export const ElectricityMeterSchema = z.strictObject({
  /** A device from `devices:` with a power-meter profile. */
  device: z.string().min(1),
  /** Its cumulative import-energy point, read in kWh (Wh and MWh are converted). */
  energyPoint: z.string().min(1).default('import_active_energy'),
  /** Its total active-power point (W or kW), for live checks during shutdowns. */
  powerPoint: z.string().min(1).optional(),
  /** Counter rises faster than this average power are not counted (a meter swap, a garbled value). Leave room above the supply's rating. */
  maxKW: z.number().positive().optional(),
});

export const ShutdownFloorSchema = z
  .strictObject({
    /** Most energy per quarter hour that still counts as shut down (ventilation, drainage, lighting). */
    kWhPerInterval: z.number().min(0).optional(),
    /** Most active power that still counts as shut down. */
    kW: z.number().min(0).optional(),
  })
  .refine((f) => f.kWhPerInterval !== undefined || f.kW !== undefined, 'a floor needs kWhPerInterval, kW or both');

export const RecurringShutdownSchema = z.strictObject({
  name: name('shutdown window name'),
  description: z.string().optional(),
  /** node-cron expression for the start, in `timeZone`. */
  cron: z.string().min(1),
  durationMinutes: z.number().int().min(1).max(31 * 24 * 60),
});

export const DatedShutdownSchema = z
  .strictObject({
    name: name('shutdown window name'),
    description: z.string().optional(),
    start: isoDateTime,
    end: isoDateTime,
  })
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'end must be after start', path: ['end'] });

export const ShutdownSchema = z
  .strictObject({
    /** Floor for the site (the sum of every meter). */
    floor: ShutdownFloorSchema.optional(),
    /** Floors for single meters, by device name. */
    meterFloors: z.record(z.string(), ShutdownFloorSchema).optional(),
    /** Recurring ordered shutdowns. */
    windows: z.array(RecurringShutdownSchema).default([]),
    /** One-off ordered shutdowns. */
    dates: z.array(DatedShutdownSchema).default([]),
    /** Accept shutdown windows pushed by the cloud (over the authenticated command channel). */
    cloudWindows: z.boolean().default(true),
    /** Live power must stay above its floor this long before it counts (a motor start is not production). */
    powerHoldSeconds: z.number().int().min(0).max(3_600).default(60),
  })
  .refine((s) => s.floor !== undefined || Object.keys(s.meterFloors ?? {}).length > 0, 'shutdown needs a site floor or at least one meter floor');

export const BaselineSchema = z
  .strictObject({
    /** Compare with the same weekday and time over this many previous weeks. */
    weeks: z.number().int().min(1).max(12).default(4),
    /** Fewer past weeks than this: no judgement yet. */
    minSamples: z.number().int().min(1).max(12).default(3),
    /** Warn when a quarter hour is further than this from the median of the past weeks. */
    deviationPercent: z.number().positive().max(10_000),
    /** … and at least this far in kWh, so near-zero loads do not warn on noise. */
    minDeviationKWh: z.number().min(0),
    direction: z.enum(['above', 'below', 'both']).default('both'),
    /** Compare the site sum, each meter, or both. */
    subjects: z.enum(['site', 'meters', 'both']).default('site'),
  })
  .refine((b) => b.minSamples <= b.weeks, { message: 'minSamples cannot be more than weeks', path: ['minSamples'] });

export const EnergyIntervalSettingsSchema = z.strictObject({
  /** How long a site quarter hour waits for slow meters; at least the slowest meter's poll period. */
  siteGraceSeconds: z.number().int().min(5).max(3_600).default(120),
  /** Readings further apart than this make a boundary between them an estimate. */
  maxGapSeconds: z.number().int().min(10).max(86_400).default(300),
  /** A wall-clock step larger than this is handled as a clock jump. */
  clockStepToleranceSeconds: z.number().int().min(1).max(600).default(10),
});

export const ElectricitySchema = z.strictObject({
  /** IANA zone (e.g. "Asia/Shanghai") or a fixed offset ("+08:00"); default the gateway's own zone. */
  timeZone: z
    .string()
    .min(1)
    .refine((zone) => {
      try {
        new LocalTime(zone);
        return true;
      } catch {
        return false;
      }
    }, 'an IANA zone name such as "Asia/Shanghai" or a fixed offset such as "+08:00"')
    .optional(),
  meters: z.array(ElectricityMeterSchema).min(1),
  intervals: EnergyIntervalSettingsSchema.default({ siteGraceSeconds: 120, maxGapSeconds: 300, clockStepToleranceSeconds: 10 }),
  shutdown: ShutdownSchema.optional(),
  baseline: BaselineSchema.optional(),
});

/** A push of shutdown windows from the cloud (replaces the previous push; an empty list clears it). */
export const CloudShutdownWindowsSchema = z.strictObject({
  windows: z
    .array(
      z
        .strictObject({ id: z.string().min(1).max(128), start: isoDateTime, end: isoDateTime, reason: z.string().max(500).optional() })
        .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'end must be after start', path: ['end'] }),
    )
    .max(1_000),
});

export type ElectricityConfig = z.infer<typeof ElectricitySchema>;
export type ElectricityMeterConfig = z.infer<typeof ElectricityMeterSchema>;
export type ShutdownConfig = z.infer<typeof ShutdownSchema>;
export type BaselineConfig = z.infer<typeof BaselineSchema>;
export type CloudShutdownWindows = z.infer<typeof CloudShutdownWindowsSchema>;
