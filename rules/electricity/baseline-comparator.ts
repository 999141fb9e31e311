/**
 * This quarter hour against the same weekday and time over the previous weeks (standards.md §5:
 * "compare with real-time data; warn on anomalies such as suspected overload"; Xingtai/Baoding
 * use a ratio to a historical baseline).
 *
 * Baseline = median of the samples kept for the slot (robust to one odd week: a holiday, a
 * breakdown), needing at least minSamples of them. A quarter hour deviates when
 * |kWh − baseline| ≥ minDeviationKWh (so a near-zero night load moving from 0.1 to 0.3 kWh is
 * not "+200 %") and the deviation is more than deviationPercent of the baseline (any deviation
 * counts against a zero baseline, once past the absolute minimum).
 *
 * Events go out on changes, not for every quarter hour: baseline-deviation (warning) when a
 * subject starts deviating (or swaps direction), baseline-returned (info) when a measured
 * quarter hour is back inside the band — a day of abnormal load is two events, not 96.
 *
 * Only complete, trusted-clock records are compared and kept: an estimate or a slot label from
 * a wrong clock would teach the baseline a lie.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import type { BaselineHistory } from './baseline-history.js';
import { SITE, type EnergyRecord } from './energy-record.js';
import { ELECTRICITY_EVENTS, electricityEvent, fmt, subjectLabel } from './events.js';
import type { LocalTime } from './local-time.js';

export interface BaselineSettings {
  /** Compare with the samples of this many previous weeks. */
  weeks: number;
  /** Fewer samples than this: no judgement yet. */
  minSamples: number;
  deviationPercent: number;
  minDeviationKWh: number;
  direction: 'above' | 'below' | 'both';
  /** Which records are compared. */
  subjects: 'site' | 'meters' | 'both';
}

export interface BaselineComparatorOptions extends BaselineSettings {
  clock: Clock;
  local: LocalTime;
  history: BaselineHistory;
  emit(event: GatewayEvent): void;
}

export type BaselineResult =
  | { subject: string; start: number; status: 'skipped'; reason: 'subject' | 'incomplete' | 'clock-untrusted' }
  | { subject: string; start: number; status: 'insufficient'; samples: number }
  | { subject: string; start: number; status: 'normal' | 'deviating'; kWh: number; baselineKWh: number; samples: number; deviationKWh: number; deviationPercent: number | null };

interface Deviation {
  direction: 'above' | 'below';
  since: number;
  intervals: number;
  /** Largest |deviation| seen, kWh. */
  peakKWh: number;
}

export class BaselineComparator {
  private readonly deviating = new Map<string, Deviation>();

  constructor(private readonly opts: BaselineComparatorOptions) {
    if (!Number.isInteger(opts.minSamples) || opts.minSamples < 1 || opts.minSamples > opts.weeks) {
      throw new RangeError(`baseline: minSamples must be a whole number from 1 to weeks (${opts.weeks}), got ${opts.minSamples}`);
    }
    if (!(opts.deviationPercent > 0)) throw new RangeError(`baseline: deviationPercent must be > 0, got ${opts.deviationPercent}`);
    if (!(opts.minDeviationKWh >= 0)) throw new RangeError(`baseline: minDeviationKWh must be ≥ 0, got ${opts.minDeviationKWh}`);
  }

  /** Compares a record with its baseline, raises an event on a change, then keeps it as history. */
  onRecord(record: EnergyRecord): BaselineResult {
    const subject = record.meter;
    const start = record.start;
    const wanted = this.opts.subjects === 'both' || (this.opts.subjects === 'site') === (subject === SITE);
    if (!wanted) return { subject, start, status: 'skipped', reason: 'subject' };
    if (record.kWh === null || !record.complete) return { subject, start, status: 'skipped', reason: 'incomplete' };
    if (!record.clockTrusted) return { subject, start, status: 'skipped', reason: 'clock-untrusted' };
    const kWh = record.kWh;
    const samples = this.opts.history.samples(subject, start);
    this.opts.history.add(subject, start, kWh);
    if (samples.length < this.opts.minSamples) return { subject, start, status: 'insufficient', samples: samples.length };
    const baselineKWh = median(samples.map((s) => s.kWh));
    const deviationKWh = kWh - baselineKWh;
    const deviationPercent = baselineKWh > 0 ? (deviationKWh / baselineKWh) * 100 : deviationKWh === 0 ? 0 : null;
    const direction = deviationKWh > 0 ? 'above' : 'below';
    const deviates =
      Math.abs(deviationKWh) >= this.opts.minDeviationKWh &&
      (deviationPercent === null || Math.abs(deviationPercent) > this.opts.deviationPercent) &&
      (this.opts.direction === 'both' || this.opts.direction === direction);
    const result = { subject, start, status: deviates ? ('deviating' as const) : ('normal' as const), kWh, baselineKWh, samples: samples.length, deviationKWh, deviationPercent };
    const data = {
      interval: { start, end: record.end },
      kWh,
      baselineKWh,
      samples: samples.map((s) => s.date),
      deviationKWh,
      deviationPercent,
      thresholdPercent: this.opts.deviationPercent,
      minDeviationKWh: this.opts.minDeviationKWh,
    };
    const current = this.deviating.get(subject);
    if (deviates && current?.direction === direction) {
      current.intervals++;
      current.peakKWh = Math.max(current.peakKWh, Math.abs(deviationKWh));
    } else if (deviates) {
      this.deviating.set(subject, { direction, since: start, intervals: 1, peakKWh: Math.abs(deviationKWh) });
      const pct = deviationPercent === null ? 'against a zero baseline' : `${deviationKWh > 0 ? '+' : ''}${Math.round(deviationPercent)} %`;
      this.event(record, ELECTRICITY_EVENTS.baselineDeviation, 'warning', `${subjectLabel(subject)} used ${fmt(kWh)} kWh in the quarter hour from ${this.opts.local.label(start)}, ${direction} its baseline of ${fmt(baselineKWh)} kWh (${pct}, median of ${samples.length} past weeks)`, { direction, ...data });
    } else if (current) {
      this.deviating.delete(subject);
      this.event(record, ELECTRICITY_EVENTS.baselineReturned, 'info', `${subjectLabel(subject)} is back within its baseline (${fmt(kWh)} kWh against ${fmt(baselineKWh)} kWh from ${this.opts.local.label(start)}) after ${current.intervals} quarter hour(s) ${current.direction} it`, {
        direction: current.direction,
        since: current.since,
        intervals: current.intervals,
        peakDeviationKWh: current.peakKWh,
        ...data,
      });
    }
    return result;
  }

  private event(record: EnergyRecord, type: string, severity: 'warning' | 'info', message: string, data: Record<string, unknown>): void {
    const { clock } = this.opts;
    this.opts.emit(electricityEvent({ type, severity, ts: clock.now(), clockTrusted: clock.isTrusted(), subject: record.meter, message, data }));
  }
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
