/**
 * Ordered shutdowns (停产 / 限产) as plain time ranges (standards.md §5: "Support 'ordered
 * shutdown' and 'normal' profiles"; Jilin flags "production during ordered curtailment").
 *
 * Three sources, all turned into {start, end} before anything is judged:
 * - recurring windows from the site file: a node-cron start in the site's zone plus a duration
 *   (every night 22:00 for 8 h); occurrences are expanded one UTC day at a time and cached.
 *   Starts are local wall times as node-cron reads them: on a DST change a start inside the
 *   skipped hour does not happen that day, one inside the repeated hour happens twice; the
 *   duration is real time (an 8 h night is 8 h even across the change);
 * - dated windows from the site file (a holiday shutdown, ISO dates);
 * - windows pushed by the cloud (a regulator's order), which replace the previous push.
 */
import { cronProblem } from '../schedules/cron-scheduler.js';
import { cronOccurrences } from './cron-occurrences.js';
import type { LocalTime } from './local-time.js';

export interface ShutdownWindow {
  /** Unique per occurrence: "<name>@<ISO start>" for recurring windows, else the name or cloud id. */
  id: string;
  name: string;
  start: number;
  end: number;
  source: 'schedule' | 'dates' | 'cloud';
}

export interface RecurringWindowDef {
  name: string;
  cron: string;
  durationMinutes: number;
}

export interface DatedWindowDef {
  name: string;
  start: number;
  end: number;
}

export interface CloudWindow {
  id: string;
  start: number;
  end: number;
}

const DAY = 86_400_000;
/**
 * Days of expanded occurrences kept per recurring window: a window of D days needs D + 2 of them
 * for one look-up (config-schema.ts allows 31), so a look-up never evicts what it needs next.
 */
const CACHED_DAYS = 40;

export class ShutdownCalendar {
  private cloud: ShutdownWindow[] = [];
  private readonly cache = new Map<string, Map<number, number[]>>();

  constructor(
    private readonly recurring: readonly RecurringWindowDef[],
    private readonly dated: readonly DatedWindowDef[],
    private readonly local: LocalTime,
  ) {
    const names = [...recurring, ...dated].map((w) => w.name);
    const dup = names.find((n, i) => names.indexOf(n) !== i);
    if (dup !== undefined) throw new RangeError(`shutdown window ${dup}: the name is used twice`);
    for (const w of recurring) {
      const problem = cronProblem(w.cron);
      if (problem) throw new RangeError(`shutdown window ${w.name}: ${problem}`);
      if (!(w.durationMinutes > 0)) throw new RangeError(`shutdown window ${w.name}: durationMinutes must be > 0, got ${w.durationMinutes}`);
    }
    for (const w of dated) assertRange(`shutdown window ${w.name}`, w.start, w.end);
    local.cronZone(); // a fixed offset that node-cron cannot match in is refused now, not at the first check
  }

  /** Replaces the windows the cloud pushed before (an empty list clears them). */
  setCloudWindows(windows: readonly CloudWindow[]): void {
    for (const w of windows) assertRange(`cloud shutdown window ${w.id}`, w.start, w.end);
    this.cloud = windows.map((w) => ({ id: w.id, name: w.id, start: w.start, end: w.end, source: 'cloud' as const }));
  }

  /** Every window occurrence with start < to and end > from, by start. */
  overlapping(from: number, to: number): ShutdownWindow[] {
    const out: ShutdownWindow[] = [];
    for (const w of this.recurring) {
      const ms = w.durationMinutes * 60_000;
      for (let day = floorDay(from - ms); day < to; day += DAY) {
        for (const start of this.occurrences(w, day)) {
          if (start < to && start + ms > from) out.push({ id: `${w.name}@${new Date(start).toISOString()}`, name: w.name, start, end: start + ms, source: 'schedule' });
        }
      }
    }
    for (const w of this.dated) if (w.start < to && w.end > from) out.push({ id: w.name, name: w.name, start: w.start, end: w.end, source: 'dates' });
    for (const w of this.cloud) if (w.start < to && w.end > from) out.push(w);
    return out.sort((a, b) => a.start - b.start);
  }

  private occurrences(w: RecurringWindowDef, day: number): number[] {
    let days = this.cache.get(w.name);
    if (!days) this.cache.set(w.name, (days = new Map()));
    let starts = days.get(day);
    if (!starts) {
      starts = cronOccurrences(w.cron, day, day + DAY, this.local);
      days.set(day, starts);
      if (days.size > CACHED_DAYS) days.delete(days.keys().next().value!);
    }
    return starts;
  }
}

/** Milliseconds of [from, to) inside at least one of the windows. */
export function coveredMs(windows: readonly { start: number; end: number }[], from: number, to: number): number {
  const parts = windows
    .map((w) => [Math.max(w.start, from), Math.min(w.end, to)] as const)
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  let reach = from;
  for (const [s, e] of parts) {
    if (e <= reach) continue;
    covered += e - Math.max(s, reach);
    reach = e;
  }
  return covered;
}

function assertRange(what: string, start: number, end: number): void {
  if (!Number.isFinite(start) || !Number.isFinite(end) || !(end > start)) {
    throw new RangeError(`${what}: the end must be after the start (start ${iso(start)}, end ${iso(end)})`);
  }
}

const floorDay = (ms: number): number => Math.floor(ms / DAY) * DAY;
const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
