/**
 * Timers that fire at an absolute monotonic time with sub-millisecond accuracy, for the
 * wire-time emulation: at 9600 baud a character is 1.146 ms and at 115200 the whole inter-frame
 * gap is 1.75 ms, while a Node setTimeout fires 1 ms late or more. So each timer sleeps with
 * setTimeout until `spinMs` before its due time and then yields with setImmediate until it is
 * due. The spin is bounded by construction (at most `spinMs` plus one loop turn per timer) and
 * lets I/O run between turns, so the gateway in the same process is not starved.
 *
 * Due times are absolute (performance.now()), so a late timer does not push the next one back.
 */
export interface DeadlineTimerOptions {
  /** Monotonic ms. Default performance.now. */
  now?: () => number;
  /** How long before the due time the coarse timer hands over to the spin. Default 2 ms. */
  spinMs?: number;
}

export class DeadlineTimers {
  private readonly now: () => number;
  private readonly spinMs: number;
  private readonly pending = new Set<{ timeout?: NodeJS.Timeout; immediate?: NodeJS.Immediate }>();
  private lateSum = 0;
  private lateCount = 0;
  private lateMax = 0;

  constructor(options: DeadlineTimerOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.spinMs = options.spinMs ?? 2;
  }

  /** Runs `fn` as soon as possible at or after `dueMs` (monotonic). */
  at(dueMs: number, fn: () => void): void {
    const handle: { timeout?: NodeJS.Timeout; immediate?: NodeJS.Immediate } = {};
    this.pending.add(handle);
    const fire = (): void => {
      this.pending.delete(handle);
      const late = this.now() - dueMs;
      this.lateSum += late;
      this.lateCount += 1;
      this.lateMax = Math.max(this.lateMax, late);
      fn();
    };
    const spin = (): void => {
      handle.timeout = undefined;
      if (this.now() >= dueMs) fire();
      else handle.immediate = setImmediate(spin);
    };
    const sleepMs = dueMs - this.now() - this.spinMs;
    if (sleepMs > 0) handle.timeout = setTimeout(spin, sleepMs);
    else spin();
  }

  /** How late the timers fired: the emulation's own error, reported by the bench. */
  lateness(): { count: number; meanMs: number; maxMs: number } {
    return { count: this.lateCount, meanMs: this.lateCount ? this.lateSum / this.lateCount : 0, maxMs: this.lateMax };
  }

  /** Cancels every timer not yet fired. */
  clear(): void {
    for (const h of this.pending) {
      if (h.timeout) clearTimeout(h.timeout);
      if (h.immediate) clearImmediate(h.immediate);
    }
    this.pending.clear();
  }
}
