/**
 * One meter's cumulative import-energy counter → one record per quarter hour (standards.md §5:
 * "compute 15-min energy deltas at the edge, aligned to wall-clock quarter hours").
 *
 * Energy of an interval = value at its end boundary − value at its start boundary. The value at
 * a boundary B is interpolated linearly between the last good reading before B and the first at
 * or after it: v(B) = v₁ + (v₂ − v₁)·(B − t₁)/(t₂ − t₁). So an interval closes when the meter's
 * first reading after its end arrives, and consecutive records share their boundary values:
 * the records of a meter add up to its counter's rise, nothing counted twice, nothing dropped
 * (except across a counter reset or an implausible jump, where the rise between the two
 * readings is unknown — flagged, never a negative energy).
 *
 * Intervals are keyed by the wall time of the readings. Wall time can step (NTP, a person with
 * `date -s`); a step is seen by comparing the wall and monotonic time between two readings of
 * the meter (they are delivered in the turn that polled them). A record is emitted once and
 * never reopened:
 * - step forward into a later interval: the open interval is cut at the last reading before the
 *   step and emitted; the interval the new wall time falls in starts from that same value, so
 *   the energy read across the step lands after it. Intervals the clock skipped get no record
 *   (no time passed in them). Both records are flagged clock-jump.
 * - step forward within the open interval, or backward: the open interval stays open and keeps
 *   the energy (readings stamped before its latest time count at that time) until the wall clock
 *   passes its end again; it is flagged clock-jump (it covered more real time than 15 min).
 *   Intervals already emitted are never emitted again, so a step back of an hour means this
 *   meter's next record comes an hour of real time later (status() shows heldUntil).
 *
 * Pure: no timers, no clock; the caller passes the monotonic time of each reading.
 */
import { orderedFlags, roundKWh, type EnergyFlag, type EnergyRecord } from './energy-record.js';
import { QUARTER_MS, quarterStart } from './quarter-hours.js';

export interface MeterSample {
  /** Wall ms when the value was taken (Reading.ts). */
  ts: number;
  /** The cumulative counter, kWh, as read. */
  kWh: number;
  /** Monotonic ms when the gateway received the reading. */
  mono: number;
  clockTrusted: boolean;
}

export interface MeterSeriesOptions {
  meter: string;
  /** Readings further apart than this (monotonic) make a boundary between them an estimate ("gap"). */
  maxGapMs: number;
  /** A difference between wall and monotonic elapsed time beyond this is a clock step. */
  stepToleranceMs: number;
  /** Rises faster than this average power are not counted ("implausible-jump"); leave room for poll jitter. */
  maxKW?: number;
}

export interface MeterSeriesStatus {
  meter: string;
  /** Wall ms of the last good reading, null before the first. */
  lastReadingTs: number | null;
  /** Start of the interval being filled. */
  openStart: number | null;
  /** After a backward clock step, while the wall clock is still behind this meter's latest reading: the end of the interval it holds open; else null. */
  heldUntil: number | null;
  counterResets: number;
  implausibleJumps: number;
  clockSteps: number;
}

interface Last {
  /** Wall ms as stamped. */
  ts: number;
  /** Effective time: ts, but never earlier than the previous reading's (backward steps hold). */
  te: number;
  /** Counter value made continuous across resets. */
  v: number;
  mono: number;
  trusted: boolean;
}

interface Open {
  start: number;
  startValue: number;
  flags: Set<EnergyFlag>;
  trusted: boolean;
}

export class MeterSeries {
  private last: Last | null = null;
  private open: Open | null = null;
  /** Added to the raw counter so the series never goes down after a reset or a dropped jump. */
  private offset = 0;
  private counterResets = 0;
  private implausibleJumps = 0;
  private clockSteps = 0;

  constructor(private readonly opts: MeterSeriesOptions) {}

  /** Feeds one good reading; returns the records it closed (oldest first). */
  add(s: MeterSample): EnergyRecord[] {
    const last = this.last;
    const open = this.open;
    if (!last || !open) {
      const start = quarterStart(s.ts);
      // A first reading exactly on a boundary starts a whole interval.
      this.open = { start, startValue: s.kWh, flags: new Set(s.ts > start ? ['partial'] : []), trusted: s.clockTrusted };
      this.last = { ts: s.ts, te: s.ts, v: s.kWh, mono: s.mono, trusted: s.clockTrusted };
      return [];
    }
    const out: EnergyRecord[] = [];
    const monoDelta = s.mono - last.mono;
    const trusted = last.trusted && s.clockTrusted;
    // Flags for the energy between the two readings: they mark every interval it falls in.
    const pair = new Set<EnergyFlag>();
    let v = s.kWh + this.offset;
    if (v < last.v) {
      this.counterResets++;
      this.offset += last.v - v;
      v = last.v;
      pair.add('counter-reset');
    } else if (this.opts.maxKW !== undefined && v - last.v > (this.opts.maxKW * Math.max(monoDelta, 0)) / 3_600_000) {
      this.implausibleJumps++;
      this.offset -= v - last.v;
      v = last.v;
      pair.add('implausible-jump');
    }
    const gap = monoDelta > this.opts.maxGapMs;
    const step = s.ts - last.ts - monoDelta;
    if (Math.abs(step) > this.opts.stepToleranceMs) {
      this.clockSteps++;
      pair.add('clock-jump');
      const slot = quarterStart(s.ts);
      if (step > 0 && slot > open.start) {
        open.flags.add('clock-jump');
        open.trusted &&= last.trusted;
        out.push(this.close(open, open.start + QUARTER_MS, last.v));
        this.open = { start: slot, startValue: last.v, flags: new Set([...pair, ...(gap ? (['gap'] as const) : [])]), trusted };
        this.last = { ts: s.ts, te: s.ts, v, mono: s.mono, trusted: s.clockTrusted };
        return out;
      }
    }
    const te = Math.max(s.ts, last.te);
    let current = open;
    for (const f of pair) current.flags.add(f);
    current.trusted &&= trusted;
    // Invariant: current.start ≤ last.te < current.start + 15 min, so each boundary here lies in (last.te, te].
    while (current.start + QUARTER_MS <= te) {
      const boundary = current.start + QUARTER_MS;
      const value = last.v + ((v - last.v) * (boundary - last.te)) / (te - last.te);
      // Across a silence the boundary value is a guess, unless a reading fell exactly on it.
      const estimated = gap && boundary < te;
      if (estimated) current.flags.add('gap');
      out.push(this.close(current, boundary, value));
      current = { start: boundary, startValue: value, flags: new Set(pair), trusted };
      if (estimated) current.flags.add('gap');
    }
    this.open = current;
    this.last = { ts: s.ts, te, v, mono: s.mono, trusted: s.clockTrusted };
    return out;
  }

  status(): MeterSeriesStatus {
    const held = this.last !== null && this.open !== null && this.last.te > this.last.ts;
    return {
      meter: this.opts.meter,
      lastReadingTs: this.last?.ts ?? null,
      openStart: this.open?.start ?? null,
      heldUntil: held ? this.open!.start + QUARTER_MS : null,
      counterResets: this.counterResets,
      implausibleJumps: this.implausibleJumps,
      clockSteps: this.clockSteps,
    };
  }

  private close(o: Open, end: number, endValue: number): EnergyRecord {
    const flags = orderedFlags(o.flags);
    return { meter: this.opts.meter, start: o.start, end, kWh: roundKWh(endValue - o.startValue), complete: flags.length === 0, clockTrusted: o.trusted, flags };
  }
}
