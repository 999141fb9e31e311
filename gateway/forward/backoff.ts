/**
 * Exponential reconnect backoff: initialMs, 2×, 4×, … capped at maxMs, reset after a
 * successful connect. A jitter (default up to −20 %) spreads a fleet of gateways that lost
 * the same broker at the same moment, so they do not all knock on its door in the same
 * millisecond when it comes back. The random source is injectable so tests are exact.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay that may be shaved off at random, 0..1. Default 0.2. */
  jitter?: number;
  /** Returns a number in [0, 1). Default Math.random. */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions) {
    if (!(opts.initialMs > 0)) throw new RangeError(`reconnect.initialMs must be > 0, got ${opts.initialMs}`);
    if (!(opts.maxMs >= opts.initialMs)) {
      throw new RangeError(`reconnect.maxMs (${opts.maxMs}) must be >= reconnect.initialMs (${opts.initialMs})`);
    }
    const jitter = opts.jitter ?? 0.2;
    if (!(jitter >= 0 && jitter <= 1)) throw new RangeError(`jitter must be within 0..1, got ${jitter}`);
    this.initialMs = opts.initialMs;
    this.maxMs = opts.maxMs;
    this.jitter = jitter;
    this.random = opts.random ?? Math.random;
  }

  /** Consecutive failures since the last reset. */
  get failures(): number {
    return this.attempt;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    // 2 ** attempt overflows to Infinity long after it passed maxMs; Math.min copes with that.
    const base = Math.min(this.maxMs, this.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.max(1, Math.round(base * (1 - this.jitter * this.random())));
  }

  reset(): void {
    this.attempt = 0;
  }
}
