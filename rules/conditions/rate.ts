import type { Condition, ConditionSample, RawCondition } from './condition.js';
import { numberOf } from './judge.js';

/**
 * Rate of change, in engineering units per minute, over a sliding window of `windowMs`:
 *
 *   rate = (newest value − oldest value in the window) / (their monotonic time apart) × 60 000
 *
 * where "in the window" means taken at mono ≥ now − windowMs. The rate is judged only when the
 * window holds at least 2 judgeable samples spanning at least half the window
 * (RATE_MIN_SPAN_FRACTION): a rate measured over a much shorter time turns one quantisation
 * step into a steep slope (0.1 %LEL in 250 ms reads as 24 %LEL/min). Until then — after start,
 * or after a gap in the readings that emptied the window — the condition is 'unknown' and the
 * engine holds the alarm as it was.
 *
 * Active when, for `direction`:
 *   rise:   rate ≥ +perMinute
 *   fall:   rate ≤ −perMinute
 *   either: |rate| ≥ perMinute
 *
 * A rate alarm has no deadband: its on/off delays filter noise. Bad-quality numbers are used
 * like any judged value (judge.ts); a reading that cannot be judged is left out of the window.
 */
export const RATE_MIN_SPAN_FRACTION = 0.5;

export interface RateSpec {
  perMinute: number;
  direction: 'rise' | 'fall' | 'either';
  windowMs: number;
}

interface Point {
  mono: number;
  value: number;
}

export class RateCondition implements Condition {
  private samples: Point[] = [];

  constructor(private readonly spec: RateSpec) {}

  update(sample: ConditionSample): RawCondition {
    const v = numberOf(sample);
    if (v !== undefined) {
      // Monotonic time never goes back; a sample older than the newest is out of order and
      // would make the slope meaningless, so it is ignored.
      const newest = this.samples[this.samples.length - 1];
      if (!newest || sample.mono >= newest.mono) this.samples.push({ mono: sample.mono, value: v });
    }
    this.prune(sample.mono);
    return v === undefined ? 'unknown' : this.judge();
  }

  poll(mono: number): { condition: RawCondition; nextPollAt: number | null } {
    this.prune(mono);
    const oldest = this.samples[0];
    // The rate changes when the oldest sample leaves the window (it is kept while
    // mono − oldest.mono ≤ windowMs), so the engine should look again just after that.
    return { condition: this.judge(), nextPollAt: oldest ? oldest.mono + this.spec.windowMs + 1 : null };
  }

  /** The rate over the window in units per minute, or undefined when there is too little data. */
  rate(): number | undefined {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || this.samples.length < 2) return undefined;
    const span = last.mono - first.mono;
    if (span <= 0 || span < this.spec.windowMs * RATE_MIN_SPAN_FRACTION) return undefined;
    return ((last.value - first.value) / span) * 60_000;
  }

  private judge(): RawCondition {
    const r = this.rate();
    if (r === undefined) return 'unknown';
    const { perMinute, direction } = this.spec;
    if (direction === 'rise') return r >= perMinute;
    if (direction === 'fall') return r <= -perMinute;
    return Math.abs(r) >= perMinute;
  }

  private prune(mono: number): void {
    const from = mono - this.spec.windowMs;
    let drop = 0;
    while (drop < this.samples.length && (this.samples[drop] as Point).mono < from) drop++;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }
}
