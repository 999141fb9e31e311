import type { Clock } from './clock.js';

/**
 * A clock for tests. Wall and monotonic time move independently, as they do on a gateway:
 * advance() moves both (time passes), jumpWall() moves only the wall clock (an NTP step or a
 * boot at 1970 corrected), and monotonic time can never go backwards.
 */
export interface FakeClockOptions {
  /** Initial wall time, ms since the epoch. Default 2026-11-23T00:00:00Z. */
  wall?: number;
  /** Initial monotonic time. Default 0. */
  monotonic?: number;
  /** Default true. */
  trusted?: boolean;
}

export const FAKE_CLOCK_START = Date.UTC(2026, 10, 23);

export class FakeClock implements Clock {
  private wallMs: number;
  private monoMs: number;
  private trusted: boolean;

  constructor(opts: FakeClockOptions = {}) {
    this.wallMs = opts.wall ?? FAKE_CLOCK_START;
    this.monoMs = opts.monotonic ?? 0;
    this.trusted = opts.trusted ?? true;
  }

  now(): number {
    return this.wallMs;
  }

  monotonic(): number {
    return this.monoMs;
  }

  isTrusted(): boolean {
    return this.trusted;
  }

  /** Time passes: both clocks move forward by ms. */
  advance(ms: number): void {
    assertForward(ms, 'advance');
    this.wallMs += ms;
    this.monoMs += ms;
  }

  /** Only monotonic time passes (e.g. the wall clock is frozen for a test). */
  advanceMonotonic(ms: number): void {
    assertForward(ms, 'advanceMonotonic');
    this.monoMs += ms;
  }

  /** The wall clock steps by deltaMs (either direction); monotonic time does not move. */
  jumpWall(deltaMs: number): void {
    this.wallMs += deltaMs;
  }

  /** Set the wall clock to an absolute time; monotonic time does not move. */
  setWall(ms: number): void {
    this.wallMs = ms;
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
  }
}

function assertForward(ms: number, what: string): void {
  // A negative step would be a bug in the test; monotonic time never goes back.
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`FakeClock.${what}(${ms}): time only moves forward`);
}
