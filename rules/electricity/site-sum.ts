/**
 * The site's quarter-hour energy: the sum over every configured meter (standards.md §5: the
 * provincial systems aggregate "per enterprise, not per meter point"; "Keep an enterprise-level
 * sum").
 *
 * A site interval is emitted once, in order of time:
 * - as soon as every meter has closed it, or
 * - when the grace period has passed since it became due, with the meters that had not closed
 *   it listed in `missing` (complete false, never a zero for a silent meter; kWh null when no
 *   meter reported at all). A meter record that arrives after its site interval went out is
 *   not added to it (a record is never reopened); the meter's own record still goes out.
 *
 * An interval becomes due when the wall clock passes its end (seen by tick()) or when the first
 * meter closes it; the grace period runs on monotonic time, so a wall-clock step neither cuts
 * it short nor stretches it. A forward step does not make the intervals it skipped due (no
 * time passed in them, and a boot at 1970 corrected by NTP would otherwise owe 56 years of
 * them); a backward step makes nothing due again until the wall clock is back where it was.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import { orderedFlags, roundKWh, SITE, type EnergyFlag, type EnergyRecord } from './energy-record.js';
import { QUARTER_MS, quarterStart } from './quarter-hours.js';

export interface SiteSumOptions {
  meters: readonly string[];
  /** How long after an interval is due the site waits for slow meters; at least the slowest meter's poll period. */
  graceMs: number;
  /** A change of (wall − monotonic) beyond this between two ticks is a clock step. */
  stepToleranceMs: number;
}

export interface SiteSumStatus {
  /** Site intervals waiting for meters. */
  pending: number;
  /** Meter records that came after their site interval was emitted. */
  lateRecords: number;
}

interface Slot {
  records: Map<string, EnergyRecord>;
  dueMono: number;
}

export class SiteSum {
  private readonly pending = new Map<number, Slot>();
  /** Intervals starting before this were emitted (or passed over) and are never emitted again. */
  private next: number | null = null;
  /** Highest wall time tick() has seen (a backward step does not lower it). */
  private seenWall: number;
  private lastSkew: number;
  private lateRecords = 0;

  constructor(
    private readonly opts: SiteSumOptions,
    private readonly clock: Clock,
  ) {
    this.seenWall = clock.now();
    this.lastSkew = clock.now() - clock.monotonic();
  }

  /** A meter closed an interval; returns the site records now complete. */
  add(record: EnergyRecord): EnergyRecord[] {
    if (this.next !== null && record.start < this.next) {
      this.lateRecords++;
      return [];
    }
    this.due(record.start);
    this.pending.get(record.start)!.records.set(record.meter, record);
    return this.flush();
  }

  /** Marks intervals the wall clock has passed as due; returns the site records whose grace ended. */
  tick(): EnergyRecord[] {
    const now = this.clock.now();
    const skew = now - this.clock.monotonic();
    const stepped = Math.abs(skew - this.lastSkew) > this.opts.stepToleranceMs;
    this.lastSkew = skew;
    if (stepped && now > this.seenWall) {
      // Forward step: the interval open before it is due (its meters cut it at the step); the skipped ones never are.
      this.due(quarterStart(this.seenWall));
      this.seenWall = now;
    } else if (!stepped) {
      for (let end = quarterStart(this.seenWall) + QUARTER_MS; end <= now; end += QUARTER_MS) this.due(end - QUARTER_MS);
      this.seenWall = Math.max(this.seenWall, now);
    }
    return this.flush();
  }

  status(): SiteSumStatus {
    return { pending: this.pending.size, lateRecords: this.lateRecords };
  }

  /** Starts the grace period of an interval not yet emitted (once: later calls keep the first deadline). */
  private due(start: number): void {
    if (this.pending.has(start) || (this.next !== null && start < this.next)) return;
    this.pending.set(start, { records: new Map(), dueMono: this.clock.monotonic() + this.opts.graceMs });
  }

  private flush(): EnergyRecord[] {
    const out: EnergyRecord[] = [];
    const mono = this.clock.monotonic();
    for (const start of [...this.pending.keys()].sort((a, b) => a - b)) {
      const slot = this.pending.get(start)!;
      const all = this.opts.meters.every((m) => slot.records.has(m));
      // In order of time: a later interval waits for an earlier one still in its grace period.
      if (!all && mono < slot.dueMono) break;
      out.push(this.sum(start, slot));
      this.pending.delete(start);
      this.next = start + QUARTER_MS;
    }
    return out;
  }

  private sum(start: number, slot: Slot): EnergyRecord {
    const present = this.opts.meters.flatMap((m) => slot.records.get(m) ?? []);
    const missing = this.opts.meters.filter((m) => !slot.records.has(m));
    const flags = new Set<EnergyFlag>(present.flatMap((r) => r.flags));
    if (missing.length > 0) flags.add('meters-missing');
    const ordered = orderedFlags(flags);
    return {
      meter: SITE,
      start,
      end: start + QUARTER_MS,
      kWh: present.length > 0 ? roundKWh(present.reduce((s, r) => s + (r.kWh ?? 0), 0)) : null,
      complete: ordered.length === 0,
      clockTrusted: present.length > 0 ? present.every((r) => r.clockTrusted) : this.clock.isTrusted(),
      flags: ordered,
      missing,
    };
  }
}
