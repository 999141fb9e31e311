/**
 * Alarm floods (ISA-18.2-2009 Table 5, standards.md §6): more than 10 alarms in 10 minutes is
 * more than a person can handle; the KPI is the share of time spent in flood. The detector
 * reports when a flood starts and when it ends.
 *
 * A flood starts when the activations within the sliding window exceed `threshold` and ends
 * when they fall to `endAtOrBelow` (default: half the threshold). The gap between the two
 * (hysteresis) keeps a rate hovering at the limit from reporting a new flood every few seconds.
 *
 * Pure: fed with activation times and asked to `check` as time passes (monotonic ms); while a
 * flood lasts `nextCheckAt()` says when the count next drops, so the engine can arm a timer.
 */
export interface FloodOptions {
  /** More than this many activations within the window is a flood (default 10). */
  threshold: number;
  windowMs: number;
  /** The flood ends when the window holds at most this many (default threshold / 2, rounded down). */
  endAtOrBelow: number;
}

export type FloodChange =
  | { kind: 'started'; activations: number; windowMs: number; threshold: number; startedMono: number }
  | { kind: 'ended'; activations: number; windowMs: number; startedMono: number; endedMono: number; durationMs: number; total: number; peak: number };

/**
 * Most activation times kept. Whether a flood starts (> threshold) or ends (≤ endAtOrBelow)
 * depends only on the newest few, so dropping the oldest beyond this changes no decision — it
 * only caps `peak` — and keeps memory bounded when a broken site activates thousands of alarms
 * a minute (bench/alarm-latency's every-value-crossing run).
 */
export const MAX_KEPT_ACTIVATIONS = 10_000;

export class FloodDetector {
  private readonly opts: FloodOptions;
  /** Activation times within the window, oldest first (from `head`). */
  private times: number[] = [];
  private head = 0;
  private flood: { startedMono: number; total: number; peak: number } | null = null;

  constructor(opts: Partial<FloodOptions> = {}) {
    const threshold = opts.threshold ?? 10;
    this.opts = { threshold, windowMs: opts.windowMs ?? 600_000, endAtOrBelow: opts.endAtOrBelow ?? Math.floor(threshold / 2) };
    if (!(this.opts.endAtOrBelow < this.opts.threshold)) {
      throw new RangeError(`a flood must end below its threshold: endAtOrBelow ${this.opts.endAtOrBelow} ≥ threshold ${this.opts.threshold}`);
    }
  }

  inFlood(): boolean {
    return this.flood !== null;
  }

  /** Activations within the window as of the last call. */
  count(): number {
    return this.times.length - this.head;
  }

  /** An alarm activated at `mono`. */
  activation(mono: number): FloodChange | null {
    this.prune(mono);
    this.times.push(mono);
    if (this.count() > MAX_KEPT_ACTIVATIONS) {
      this.head++;
      this.compact();
    }
    const n = this.count();
    if (this.flood) {
      this.flood.total++;
      this.flood.peak = Math.max(this.flood.peak, n);
      return null;
    }
    if (n <= this.opts.threshold) return null;
    this.flood = { startedMono: mono, total: n, peak: n };
    return { kind: 'started', activations: n, windowMs: this.opts.windowMs, threshold: this.opts.threshold, startedMono: mono };
  }

  /** Time passes: reports the end of a flood once the window has emptied enough. */
  check(mono: number): FloodChange | null {
    this.prune(mono);
    const f = this.flood;
    const n = this.count();
    if (!f || n > this.opts.endAtOrBelow) return null;
    this.flood = null;
    return { kind: 'ended', activations: n, windowMs: this.opts.windowMs, startedMono: f.startedMono, endedMono: mono, durationMs: mono - f.startedMono, total: f.total, peak: f.peak };
  }

  /** While in flood: when the oldest activation leaves the window (call check() then); otherwise null. */
  nextCheckAt(): number | null {
    if (!this.flood || this.head >= this.times.length) return null;
    return (this.times[this.head] as number) + this.opts.windowMs;
  }

  /** The window is the last `windowMs` before `mono`: an activation exactly windowMs old has left it. */
  private prune(mono: number): void {
    const from = mono - this.opts.windowMs;
    while (this.head < this.times.length && (this.times[this.head] as number) <= from) this.head++;
    // Compact now and then, so a long run does not keep every activation ever seen.
    this.compact();
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
  }
}
