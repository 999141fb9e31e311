import type { Condition, ConditionSample, RawCondition } from './condition.js';

/**
 * Stale value: no new reading of the point for `afterMs` (a 故障 fault, never silence). Any
 * reading the driver took counts — good, bad or comm-fault — because the question this alarm
 * answers is "is the point still being polled at all?" (a stuck bus queue, a stopped poller);
 * a device that does not answer is the communication and quality alarms' business. A reading
 * with quality `stale` is not a new reading (it is the placeholder or the staleness marker
 * itself) and does not restart the clock.
 *
 * Before the first reading the clock runs from `startMono` (when the engine began watching),
 * so a point that never delivers becomes stale too. A stale alarm is never 'unknown'.
 */
export class StaleCondition implements Condition {
  private lastMono: number | undefined;

  constructor(
    private readonly afterMs: number,
    startMono?: number,
  ) {
    this.lastMono = startMono;
  }

  update(sample: ConditionSample): RawCondition {
    if (sample.quality !== 'stale') this.lastMono = sample.mono;
    else if (this.lastMono === undefined) this.lastMono = sample.mono; // the clock starts, nothing more
    return this.isStale(sample.mono);
  }

  poll(mono: number): { condition: RawCondition; nextPollAt: number | null } {
    if (this.lastMono === undefined) this.lastMono = mono;
    const stale = this.isStale(mono);
    // Once stale, only a reading can end it; until then, look again when it would become stale.
    return { condition: stale, nextPollAt: stale ? null : this.lastMono + this.afterMs };
  }

  private isStale(mono: number): boolean {
    return this.lastMono !== undefined && mono - this.lastMono >= this.afterMs;
  }
}
