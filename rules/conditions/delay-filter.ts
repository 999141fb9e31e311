/**
 * On-delay and off-delay over a raw condition, in monotonic time (OPC UA Part 9 §B.1.5):
 *
 * - on-delay: the raw condition must hold continuously for `onDelayMs` before the filtered
 *   condition becomes active. A spike shorter than that is filtered; a dip during the delay
 *   restarts it.
 * - off-delay: the raw condition must stay away continuously for `offDelayMs` before the
 *   filtered condition returns. A dip shorter than that is bridged.
 *
 * A delay of 0 acts at once. Keep gas and fire on-delays short: the detector-to-alarm budget is
 * 30 s end to end (standards.md §1, §6) and an on-delay spends it.
 *
 * The engine persists the on-delay's start (as wall time) so a restart cannot hide an alarm
 * behind its on-delay (issue 3); after a restart it hands the start back with seedPending().
 */
export interface DelayResult {
  /** The filtered condition. */
  active: boolean;
  /** Monotonic ms when the raw condition appeared and the on-delay began; null when no on-delay is running. */
  pendingSince: number | null;
  /** Monotonic ms when the raw condition went away and the off-delay began; null when no off-delay is running. */
  clearingSince: number | null;
  /** Monotonic ms when a running delay completes (call check() then); null when nothing is pending. */
  nextCheckAt: number | null;
}

export class DelayFilter {
  private active: boolean;
  private raw: boolean;
  /** When `raw` began to differ from `active` (start of the running delay), or null. */
  private since: number | null = null;

  constructor(
    private readonly onDelayMs: number,
    private readonly offDelayMs: number,
    /** The filtered condition to start from (the engine restores it after a restart). */
    initiallyActive = false,
  ) {
    if (!(onDelayMs >= 0) || !(offDelayMs >= 0)) throw new RangeError(`delays must be ≥ 0 ms (on ${onDelayMs}, off ${offDelayMs})`);
    this.active = initiallyActive;
    this.raw = initiallyActive;
  }

  /** A new raw condition (the engine turns 'unknown' into "hold" before calling this). */
  update(raw: boolean, mono: number): DelayResult {
    if (raw !== this.raw) {
      this.raw = raw;
      this.since = raw === this.active ? null : mono;
    }
    return this.check(mono);
  }

  /** Time passes: completes a delay that has run out. */
  check(mono: number): DelayResult {
    if (this.since !== null && mono - this.since >= this.delay()) {
      this.active = this.raw;
      this.since = null;
    }
    return this.result();
  }

  /**
   * Restore an on-delay that was running before a restart: the raw condition is taken as present
   * since `monoStart` (which may be before this process started, i.e. negative or below the
   * current monotonic origin). The next update(false) cancels it like any on-delay; the next
   * check() or update(true) activates once `monoStart + onDelayMs` is reached. Ignored when the
   * filtered condition is already active.
   */
  seedPending(monoStart: number): DelayResult {
    if (!this.active) {
      this.raw = true;
      this.since = monoStart;
    }
    return this.result();
  }

  private delay(): number {
    return this.raw ? this.onDelayMs : this.offDelayMs;
  }

  private result(): DelayResult {
    const running = this.since;
    return {
      active: this.active,
      pendingSince: running !== null && this.raw ? running : null,
      clearingSince: running !== null && !this.raw ? running : null,
      nextCheckAt: running !== null ? running + this.delay() : null,
    };
  }
}
