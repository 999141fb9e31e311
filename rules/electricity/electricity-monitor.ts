/**
 * Electricity monitoring for production safety (standards.md §5), built from the site file's
 * `electricity:` section: quarter-hour energy per meter and site, production during ordered
 * shutdowns, and the baseline comparison. One object for the runtime to hold:
 *   - onReadings() as a readings listener (synchronous, no I/O: fine on the alarm path);
 *   - start()/stop() for its one-second timer (grace periods, window summaries);
 *   - records via onRecord (to be stored and forwarded), events via emit.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import type { Reading } from '../../gateway/readings.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { BaselineComparator } from './baseline-comparator.js';
import { BaselineHistory, type BaselineExport } from './baseline-history.js';
import type { CloudShutdownWindows, ElectricityConfig } from './config-schema.js';
import type { EnergyRecord } from './energy-record.js';
import { EnergyIntervals, type EnergyIntervalsStatus } from './energy-intervals.js';
import { LocalTime } from './local-time.js';
import { ShutdownCalendar } from './shutdown-calendar.js';
import { ShutdownMonitor } from './shutdown-monitor.js';

export interface ElectricityMonitorDeps {
  clock: Clock;
  emit(event: GatewayEvent): void;
  /** Each quarter-hour record, meter records before the site's. */
  onRecord?(record: EnergyRecord): void;
  /** Default 1 s. */
  tickMs?: number;
}

export interface ElectricityStatus extends EnergyIntervalsStatus {
  baselineSamples: number | null;
  /** Power readings not used: not good, not a number, or a unit other than W/kW. */
  ignoredPowerReadings: number;
}

const TO_KW: Record<string, number> = { W: 0.001, kW: 1 };

export class ElectricityMonitor {
  private readonly intervals: EnergyIntervals;
  private readonly calendar: ShutdownCalendar | null = null;
  private readonly shutdown: ShutdownMonitor | null = null;
  private readonly history: BaselineHistory | null = null;
  private readonly baseline: BaselineComparator | null = null;
  /** "device\0point" of power points → meter. */
  private readonly powerPoints = new Map<string, string>();
  private ignoredPower = 0;
  private readonly consumers: ((record: EnergyRecord) => void)[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;

  /** Throws (a RangeError naming the setting) on a configuration the schema let through but that cannot run. */
  constructor(
    private readonly cfg: ElectricityConfig,
    private readonly deps: ElectricityMonitorDeps,
  ) {
    const { clock } = deps;
    const local = new LocalTime(cfg.timeZone);
    for (const m of cfg.meters) if (m.powerPoint !== undefined) this.powerPoints.set(`${m.device}\u0000${m.powerPoint}`, m.device);
    const s = cfg.shutdown;
    if (s) {
      this.calendar = new ShutdownCalendar(
        s.windows.map((w) => ({ name: w.name, cron: w.cron, durationMinutes: w.durationMinutes })),
        s.dates.map((w) => ({ name: w.name, start: Date.parse(w.start), end: Date.parse(w.end) })),
        local,
      );
      this.shutdown = new ShutdownMonitor({
        clock,
        calendar: this.calendar,
        local,
        ...(s.floor ? { site: s.floor } : {}),
        ...(s.meterFloors ? { meters: s.meterFloors } : {}),
        powerMeters: cfg.meters.map((m) => m.device),
        powerHoldMs: s.powerHoldSeconds * 1000,
        // The last quarter hour of a window reaches the site sum within a poll and the grace period.
        settleMs: cfg.intervals.siteGraceSeconds * 1000 + 60_000,
        emit: (e) => deps.emit(e),
      });
    }
    const b = cfg.baseline;
    if (b) {
      this.history = new BaselineHistory({ weeks: b.weeks, local, maxSubjects: cfg.meters.length + 1 });
      this.baseline = new BaselineComparator({ ...b, clock, local, history: this.history, emit: (e) => deps.emit(e) });
    }
    const { onRecord } = deps;
    if (onRecord) this.consumers.push((r) => onRecord(r));
    const { shutdown, baseline } = this;
    if (shutdown) this.consumers.push((r) => shutdown.onRecord(r));
    if (baseline) this.consumers.push((r) => void baseline.onRecord(r));
    this.intervals = new EnergyIntervals({
      clock,
      meters: cfg.meters.map((m) => ({ device: m.device, point: m.energyPoint, ...(m.maxKW !== undefined ? { maxKW: m.maxKW } : {}) })),
      ...(cfg.timeZone !== undefined ? { timeZone: cfg.timeZone } : {}),
      siteGraceMs: cfg.intervals.siteGraceSeconds * 1000,
      maxGapMs: cfg.intervals.maxGapSeconds * 1000,
      stepToleranceMs: cfg.intervals.clockStepToleranceSeconds * 1000,
      onRecord: (r) => this.onRecord(r),
    });
  }

  /** A readings listener for the runtime. */
  onReadings(readings: readonly Reading[]): void {
    this.intervals.onReadings(readings);
    if (!this.shutdown) return;
    for (const r of readings) {
      const meter = this.powerPoints.get(`${r.device}\u0000${r.point}`);
      if (meter === undefined) continue;
      const factor = TO_KW[r.unit ?? ''];
      if (r.quality !== 'good' || typeof r.value !== 'number' || !Number.isFinite(r.value) || factor === undefined) {
        this.ignoredPower++;
        continue;
      }
      this.shutdown.onPower(meter, r.value * factor, r.ts, r.clockTrusted);
    }
  }

  tick(): void {
    this.intervals.tick();
    this.shutdown?.tick();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A throwing record consumer must not become an uncaught exception in the gateway; it is
      // reported as an event and the next tick tries again.
      try {
        this.tick();
      } catch (e) {
        const clock = this.deps.clock;
        this.deps.emit({ type: 'electricity.fault', severity: 'fault', ts: clock.now(), clockTrusted: clock.isTrusted(), message: `electricity monitoring failed on its periodic check: ${e instanceof Error ? e.message : String(e)}` });
      }
    }, this.deps.tickMs ?? 1_000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Shutdown windows pushed by the cloud (a validated CloudShutdownWindowsSchema message);
   * replaces the previous push. Refused when the site file does not accept them.
   */
  setCloudWindows(push: CloudShutdownWindows): void {
    if (!this.calendar || !this.cfg.shutdown?.cloudWindows) {
      throw new RangeError('shutdown windows from the cloud are not accepted: the site file has no electricity.shutdown section, or it sets cloudWindows: false');
    }
    this.calendar.setCloudWindows(push.windows.map((w) => ({ id: w.id, start: Date.parse(w.start), end: Date.parse(w.end) })));
  }

  /** The baseline history, for the runtime to persist (null without a baseline section). */
  exportBaseline(): BaselineExport | null {
    return this.history?.export() ?? null;
  }

  /** Restores a persisted baseline history; throws naming the problem when the document is not one. */
  importBaseline(data: unknown): { added: number; skipped: number } {
    if (!this.history) return { added: 0, skipped: 0 };
    return this.history.import(data);
  }

  status(): ElectricityStatus {
    return { ...this.intervals.status(), baselineSamples: this.history?.size() ?? null, ignoredPowerReadings: this.ignoredPower };
  }

  /** Every consumer sees the record even if one throws; the first error is rethrown after. */
  private onRecord(record: EnergyRecord): void {
    let failure: { error: unknown } | null = null;
    for (const consume of this.consumers) {
      try {
        consume(record);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
