/**
 * Quarter-hour energy per meter and per site from the meters' cumulative import-energy
 * readings (standards.md §5). Readings come in on the alarm path (a readings listener: cheap,
 * synchronous, no I/O); records go out through onRecord, meter records first and the site
 * record after the last meter closed the interval (see meter-series.ts and site-sum.ts for
 * exactly how boundaries, silent meters, counter resets and clock steps are handled).
 *
 * Only good readings with a number count. A silent meter produces no record until it answers
 * again — then its records for the silent stretch are estimates flagged "gap", and the site
 * records of that stretch went out without it, listing it in `missing`.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import type { Reading } from '../../gateway/readings.js';
import { SITE, type EnergyRecord } from './energy-record.js';
import { LocalTime } from './local-time.js';
import { MeterSeries, type MeterSeriesStatus } from './meter-series.js';
import { assertQuarterHourZone } from './quarter-hours.js';
import { SiteSum, type SiteSumStatus } from './site-sum.js';

export interface EnergyMeter {
  /** Device name from the site file. */
  device: string;
  /** Its cumulative import-energy point (import_active_energy in the power-meter profiles). */
  point: string;
  /** See MeterSeriesOptions.maxKW. */
  maxKW?: number;
}

export interface EnergyIntervalsOptions {
  clock: Clock;
  meters: readonly EnergyMeter[];
  /** IANA zone or ±HH:MM; default the gateway's zone. Only checked here (quarter-hours.ts). */
  timeZone?: string;
  /** Default 120 s. At least the slowest meter's poll period. */
  siteGraceMs?: number;
  /** Default 300 s. */
  maxGapMs?: number;
  /** Default 10 s: well above poll jitter, well below any NTP step worth knowing about. */
  stepToleranceMs?: number;
  /** How often the site's grace periods are checked once start() runs. Default 1 s. */
  tickMs?: number;
  onRecord(record: EnergyRecord): void;
}

export type IgnoredReason = 'not-good' | 'not-a-number' | 'unit';

export interface EnergyIntervalsStatus {
  meters: (MeterSeriesStatus & { ignored: Partial<Record<IgnoredReason, number>> })[];
  site: SiteSumStatus;
}

/** kWh per unit the energy point may be read in. */
const TO_KWH: Record<string, number> = { kWh: 1, Wh: 0.001, MWh: 1000 };

export const ENERGY_DEFAULTS = { siteGraceMs: 120_000, maxGapMs: 300_000, stepToleranceMs: 10_000, tickMs: 1_000 } as const;

export class EnergyIntervals {
  private readonly byPoint = new Map<string, { series: MeterSeries; ignored: Partial<Record<IgnoredReason, number>> }>();
  private readonly site: SiteSum;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly opts: EnergyIntervalsOptions) {
    if (opts.meters.length === 0) throw new RangeError('electricity: at least one meter is needed for energy intervals');
    const devices = opts.meters.map((m) => m.device);
    const dup = devices.find((d, i) => devices.indexOf(d) !== i);
    if (dup !== undefined) throw new RangeError(`electricity: meter ${dup} is listed twice`);
    if (devices.includes(SITE)) throw new RangeError(`electricity: a meter may not be named "${SITE}" (the site sum is)`);
    assertQuarterHourZone(new LocalTime(opts.timeZone), opts.clock.now());
    const stepToleranceMs = opts.stepToleranceMs ?? ENERGY_DEFAULTS.stepToleranceMs;
    for (const m of opts.meters) {
      const series = new MeterSeries({ meter: m.device, maxGapMs: opts.maxGapMs ?? ENERGY_DEFAULTS.maxGapMs, stepToleranceMs, ...(m.maxKW !== undefined ? { maxKW: m.maxKW } : {}) });
      this.byPoint.set(key(m.device, m.point), { series, ignored: {} });
    }
    this.site = new SiteSum({ meters: devices, graceMs: opts.siteGraceMs ?? ENERGY_DEFAULTS.siteGraceMs, stepToleranceMs }, opts.clock);
  }

  /** A readings listener: picks the meters' energy points out of any batch. */
  onReadings(readings: readonly Reading[]): void {
    const out: EnergyRecord[] = [];
    for (const r of readings) {
      const meter = this.byPoint.get(key(r.device, r.point));
      if (!meter) continue;
      const kWh = toKWh(r);
      if (typeof kWh === 'string') {
        meter.ignored[kWh] = (meter.ignored[kWh] ?? 0) + 1;
        continue;
      }
      for (const rec of meter.series.add({ ts: r.ts, kWh, mono: this.opts.clock.monotonic(), clockTrusted: r.clockTrusted })) {
        out.push(rec, ...this.site.add(rec));
      }
    }
    this.deliver(out);
  }

  /** Ends grace periods that are over (start() calls it every tickMs). */
  tick(): void {
    this.deliver(this.site.tick());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? ENERGY_DEFAULTS.tickMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  status(): EnergyIntervalsStatus {
    return {
      meters: [...this.byPoint.values()].map((m) => ({ ...m.series.status(), ignored: { ...m.ignored } })),
      site: this.site.status(),
    };
  }

  /** Every record reaches onRecord even if one call throws; the first error is rethrown after. */
  private deliver(records: readonly EnergyRecord[]): void {
    let failure: { error: unknown } | null = null;
    for (const r of records) {
      try {
        this.opts.onRecord(r);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}

const key = (device: string, point: string): string => `${device}\u0000${point}`;

function toKWh(r: Reading): number | IgnoredReason {
  if (r.quality !== 'good') return 'not-good';
  if (typeof r.value !== 'number' || !Number.isFinite(r.value)) return 'not-a-number';
  const factor = TO_KWH[r.unit ?? 'kWh'];
  return factor === undefined ? 'unit' : r.value * factor;
}
