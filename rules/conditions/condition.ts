import type { PointValue, Quality } from '../../gateway/readings.js';

/**
 * A condition detector judges one alarm's raw condition from its point's readings, before
 * on/off delays (delay-filter.ts) and before the state machine. One per alarm instance.
 *
 * `unknown` means "cannot judge": the value is missing (comm-fault, null). The engine then
 * holds the alarm's current condition — losing communication never clears a gas alarm — and
 * the fault is announced by the quality/communication fault alarms instead.
 */
export type RawCondition = boolean | 'unknown';

export interface ConditionSample {
  value: PointValue;
  quality: Quality;
  /** Wall ms the value was taken. */
  ts: number;
  /** Monotonic ms when the engine saw it (delays and windows use this, never wall time). */
  mono: number;
}

export interface Condition {
  /** A new reading of the alarm's point. */
  update(sample: ConditionSample): RawCondition;
  /**
   * Time passes with no reading (stale detection, rate windows). Returns the condition now, and
   * when (monotonic ms) it next needs a poll, or null when only a reading can change it.
   */
  poll(mono: number): { condition: RawCondition; nextPollAt: number | null };
}
