/**
 * Wall-clock jumps: an NTP step, an operator setting the date, a Pi whose RTC-less boot time
 * gets corrected. Wall time (now()) steps forward or back by what jump() says while monotonic
 * time runs on untouched — exactly the split gateway/clock/clock.ts promises the rest of the
 * gateway: readings are stamped with the jumped wall time; poll periods, delays and backoff,
 * which run on monotonic time, must not stretch or shrink.
 *
 * For an in-process gateway: pass it as startGateway's `clock`. (A child process would need
 * libfaketime; the in-process clock needs no system package and jumps exactly when told.)
 */
import type { Clock } from '../../gateway/clock/clock.js';

export class JumpingClock implements Clock {
  private offsetMs = 0;
  /** Every jump so far, in order (ms; negative = backwards). */
  readonly jumps: number[] = [];

  constructor(private readonly inner: Clock) {}

  /** Steps wall time by `deltaMs` (negative = backwards); monotonic time is not touched. */
  jump(deltaMs: number): void {
    if (!Number.isFinite(deltaMs)) throw new Error(`clock jump: deltaMs must be a finite number of ms, got ${deltaMs}`);
    this.offsetMs += deltaMs;
    this.jumps.push(deltaMs);
  }

  /** The total step applied so far. */
  get offset(): number {
    return this.offsetMs;
  }

  now(): number {
    return this.inner.now() + this.offsetMs;
  }

  monotonic(): number {
    return this.inner.monotonic();
  }

  isTrusted(): boolean {
    return this.inner.isTrusted();
  }
}
