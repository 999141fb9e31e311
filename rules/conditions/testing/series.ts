import type { PointValue, Quality } from '../../../gateway/readings.js';
import type { Condition, ConditionSample, RawCondition } from '../condition.js';

/** A test series entry: [mono ms, value] or [mono ms, value, quality] (quality defaults to good). */
export type Step = [mono: number, value: PointValue, quality?: Quality];

export function sample(mono: number, value: PointValue, quality: Quality = 'good'): ConditionSample {
  return { value, quality, mono, ts: 1_700_000_000_000 + mono };
}

/** Feed a series of readings; returns the raw condition after each one. */
export function feed(condition: Condition, steps: Step[]): RawCondition[] {
  return steps.map(([mono, value, quality]) => condition.update(sample(mono, value, quality)));
}
