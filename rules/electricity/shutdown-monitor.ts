/**
 * Production during an ordered shutdown (standards.md §5, decision logic: "If the enterprise is
 * ordered shut down, consumption above its 'shutdown baseline' (ventilation, drainage,
 * lighting) raises a warning").
 *
 * Two ways to see it, per subject (the site, or one meter) with its own floor:
 * - energy: a quarter-hour record lying wholly inside shutdown windows with more kWh than the
 *   floor. An interval only partly inside a window is not judged by energy (it holds energy from
 *   before the shutdown began); live power covers those minutes.
 * - live power: the meter's (or the site's summed) active power above the kW floor inside a
 *   window for powerHoldMs without a dip — a motor starting is not production.
 * Either raises electricity.production-during-shutdown (warning) at most once per subject and
 * quarter hour.
 *
 * What is evidence: a record whose energy is an estimate of where it fell in time (gap,
 * clock-jump) never raises — a silent meter's backlog spread over the window could belong
 * before it. An incomplete but measured record (partial, a site sum with meters missing, a
 * counter reset) under-counts, so above the floor it raises; at or below it proves nothing.
 *
 * When a window ends (plus settleMs for the last records to arrive) one summary goes out per
 * window: respected (info) only when every quarter hour inside it was measured at or below the
 * floor for every subject with an energy floor; violated (warning) when any was above; else
 * unverified (warning) — not knowing is said, not taken as respected.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { isEstimated, SITE, type EnergyRecord } from './energy-record.js';
import { ELECTRICITY_EVENTS, electricityEvent, fmt, subjectLabel } from './events.js';
import type { LocalTime } from './local-time.js';
import { QUARTER_MS, quarterStart } from './quarter-hours.js';
import { coveredMs, type ShutdownCalendar, type ShutdownWindow } from './shutdown-calendar.js';

export interface ShutdownFloor {
  /** Most energy per quarter hour that is still "shut down". */
  kWhPerInterval?: number;
  /** Most active power that is still "shut down". */
  kW?: number;
}

export interface ShutdownMonitorOptions {
  clock: Clock;
  calendar: Pick<ShutdownCalendar, 'overlapping'>;
  local: LocalTime;
  site?: ShutdownFloor;
  meters?: Readonly<Record<string, ShutdownFloor>>;
  /** Meters whose live power adds up to the site's; a site kW floor is judged only when all are fresh. */
  powerMeters?: readonly string[];
  /** Default 60 s. */
  powerHoldMs?: number;
  /** A meter's power older than this (monotonic) is not used for the site sum. Default 60 s. */
  powerMaxAgeMs?: number;
  /** Wait after a window's end before summarising it. Default 5 min. */
  settleMs?: number;
  emit(event: GatewayEvent): void;
}

type Verdict = 'ok' | 'exceeded' | 'unverified';

interface WindowTally {
  window: ShutdownWindow;
  /** subject → quarter-hour start → verdict (an exceeded one stays exceeded). */
  subjects: Map<string, Map<number, Verdict>>;
}

const SUMMARY_LOOKBACK_MS = 7 * 86_400_000;

export class ShutdownMonitor {
  /** "subject@start" of quarter hours already reported, with the start for pruning. */
  private readonly raised = new Map<string, number>();
  private readonly tallies = new Map<string, WindowTally>();
  private readonly latestPower = new Map<string, { kW: number; mono: number; ts: number; trusted: boolean }>();
  private readonly aboveSince = new Map<string, number>();
  private summarisedUpTo: number;

  constructor(private readonly opts: ShutdownMonitorOptions) {
    this.summarisedUpTo = opts.clock.now();
  }

  /** A quarter-hour record from EnergyIntervals. */
  onRecord(record: EnergyRecord): void {
    const floor = this.floor(record.meter)?.kWhPerInterval;
    if (floor === undefined) return;
    const windows = this.opts.calendar.overlapping(record.start, record.end);
    if (coveredMs(windows, record.start, record.end) < record.end - record.start) return;
    const measured = record.kWh !== null && !isEstimated(record);
    const verdict: Verdict = measured && record.kWh! > floor ? 'exceeded' : measured && record.complete ? 'ok' : 'unverified';
    this.tally(windows, record.meter, record.start, verdict);
    if (verdict !== 'exceeded') return;
    const w = windows[0]!;
    this.raise(record.meter, record.start, record.clockTrusted, {
      basis: 'energy',
      message: `production during shutdown: ${subjectLabel(record.meter)} used ${fmt(record.kWh!)} kWh in the quarter hour from ${this.opts.local.label(record.start)}, above the floor of ${fmt(floor)} kWh, in shutdown window ${w.name}`,
      data: { interval: { start: record.start, end: record.end }, kWh: record.kWh, floorKWh: floor, complete: record.complete, flags: record.flags, window: windowData(w) },
    });
  }

  /** Live active power of a meter, kW (from its power point, on the alarm path). */
  onPower(meter: string, kW: number, ts: number, clockTrusted: boolean): void {
    const mono = this.opts.clock.monotonic();
    this.latestPower.set(meter, { kW, mono, ts, trusted: clockTrusted });
    this.judgePower(meter, kW, ts, clockTrusted, mono);
    const parts = this.opts.powerMeters ?? [];
    if (this.opts.site?.kW === undefined || !parts.includes(meter)) return;
    const maxAge = this.opts.powerMaxAgeMs ?? 60_000;
    const latest = parts.map((m) => this.latestPower.get(m));
    if (latest.some((p) => p === undefined || mono - p.mono > maxAge)) {
      this.aboveSince.delete(SITE); // a stale part: no judgement, and a run above the floor starts over
      return;
    }
    const total = latest.reduce((s, p) => s + p!.kW, 0);
    this.judgePower(SITE, total, ts, latest.every((p) => p!.trusted), mono);
  }

  /** Summarises windows that ended at least settleMs ago. */
  tick(): void {
    const horizon = this.opts.clock.now() - (this.opts.settleMs ?? 300_000);
    if (horizon <= this.summarisedUpTo) return; // includes a backward step: nothing is summarised twice
    const from = Math.max(this.summarisedUpTo, horizon - SUMMARY_LOOKBACK_MS);
    for (const w of this.opts.calendar.overlapping(from, horizon + 1)) {
      if (w.end > from && w.end <= horizon) this.summarise(w);
    }
    this.summarisedUpTo = horizon;
    for (const [id, t] of this.tallies) if (t.window.end < horizon - SUMMARY_LOOKBACK_MS) this.tallies.delete(id);
  }

  private judgePower(subject: string, kW: number, ts: number, clockTrusted: boolean, mono: number): void {
    const floor = this.floor(subject)?.kW;
    if (floor === undefined) return;
    const w = this.opts.calendar.overlapping(ts, ts + 1)[0];
    if (!w || !(kW > floor)) {
      this.aboveSince.delete(subject);
      return;
    }
    const since = this.aboveSince.get(subject) ?? mono;
    this.aboveSince.set(subject, since);
    const holdMs = this.opts.powerHoldMs ?? 60_000;
    if (mono - since < holdMs) return;
    const start = quarterStart(ts);
    this.tally([w], subject, start, 'exceeded');
    this.raise(subject, start, clockTrusted, {
      basis: 'power',
      message: `production during shutdown: ${subjectLabel(subject)} drew ${fmt(kW)} kW for ${Math.round(holdMs / 1000)} s, above the floor of ${fmt(floor)} kW, in shutdown window ${w.name} (at ${this.opts.local.label(ts)})`,
      data: { interval: { start, end: start + QUARTER_MS }, kW, floorKW: floor, heldMs: mono - since, window: windowData(w) },
    });
  }

  private raise(subject: string, start: number, clockTrusted: boolean, e: { basis: 'energy' | 'power'; message: string; data: Record<string, unknown> }): void {
    const key = `${subject}@${start}`;
    if (this.raised.has(key)) return;
    this.raised.set(key, start);
    for (const [k, s] of this.raised) if (s < start - 2 * 86_400_000) this.raised.delete(k);
    const { clock } = this.opts;
    this.opts.emit(
      electricityEvent({
        type: ELECTRICITY_EVENTS.productionDuringShutdown,
        severity: 'warning',
        ts: clock.now(),
        clockTrusted: clockTrusted && clock.isTrusted(),
        subject,
        message: e.message,
        data: { basis: e.basis, ...e.data },
      }),
    );
  }

  private tally(windows: readonly ShutdownWindow[], subject: string, start: number, verdict: Verdict): void {
    for (const w of windows) {
      if (w.start > start || w.end < start + QUARTER_MS) continue; // only quarter hours wholly inside this window
      let t = this.tallies.get(w.id);
      if (!t) this.tallies.set(w.id, (t = { window: w, subjects: new Map() }));
      let slots = t.subjects.get(subject);
      if (!slots) t.subjects.set(subject, (slots = new Map()));
      if (slots.get(start) !== 'exceeded') slots.set(start, verdict);
    }
  }

  private summarise(w: ShutdownWindow): void {
    const subjects = [...(this.opts.site?.kWhPerInterval !== undefined ? [SITE] : []), ...Object.keys(this.opts.meters ?? {}).filter((m) => this.opts.meters![m]!.kWhPerInterval !== undefined)];
    const expected = Math.floor(w.end / QUARTER_MS) - Math.ceil(w.start / QUARTER_MS);
    const tally = this.tallies.get(w.id);
    this.tallies.delete(w.id);
    const verdicts = (subject: string) => [...(tally?.subjects.get(subject)?.values() ?? [])];
    // A subject with only a kW floor is not judged quarter hour by quarter hour, but a production
    // event it raised inside the window still makes the window violated — never "respected".
    const powerOnly = [...(tally?.subjects.keys() ?? [])].filter((s) => !subjects.includes(s) && verdicts(s).includes('exceeded'));
    if ((subjects.length === 0 && powerOnly.length === 0) || expected <= 0) return; // nothing to judge
    const counts = [
      ...subjects.map((subject) => {
        const v = verdicts(subject);
        const exceeded = v.filter((x) => x === 'exceeded').length;
        const ok = v.filter((x) => x === 'ok').length;
        return { subject, quarterHours: expected, ok, exceeded, unverified: expected - ok - exceeded };
      }),
      ...powerOnly.map((subject) => ({ subject, quarterHours: expected, ok: 0, exceeded: verdicts(subject).filter((x) => x === 'exceeded').length, unverified: 0 })),
    ];
    const violated = counts.some((c) => c.exceeded > 0);
    const respected = !violated && counts.every((c) => c.ok === expected);
    const type = violated ? ELECTRICITY_EVENTS.shutdownViolated : respected ? ELECTRICITY_EVENTS.shutdownRespected : ELECTRICITY_EVENTS.shutdownUnverified;
    const span = `${this.opts.local.label(w.start)} → ${this.opts.local.label(w.end)}`;
    const message = violated
      ? `shutdown window ${w.name} (${span}) ended with ${counts.reduce((s, c) => s + c.exceeded, 0)} quarter hour(s) above the floor`
      : respected
        ? `shutdown window ${w.name} (${span}) respected: every quarter hour at or below the floor`
        : `shutdown window ${w.name} (${span}) ended unverified: ${counts.reduce((s, c) => s + c.unverified, 0)} quarter hour(s) not measured completely (silent meters, estimates or a gateway restart)`;
    const { clock } = this.opts;
    this.opts.emit(electricityEvent({ type, severity: respected ? 'info' : 'warning', ts: clock.now(), clockTrusted: clock.isTrusted(), subject: SITE, message, data: { window: windowData(w), subjects: counts } }));
  }

  private floor(subject: string): ShutdownFloor | undefined {
    return subject === SITE ? this.opts.site : this.opts.meters?.[subject];
  }
}

const windowData = (w: ShutdownWindow) => ({ id: w.id, name: w.name, source: w.source, start: w.start, end: w.end });
