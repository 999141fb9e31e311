import type { Condition, ConditionSample, RawCondition } from './condition.js';
import { numberOf } from './judge.js';

/**
 * High and low limit alarms with a deadband (hysteresis): OPC UA Part 9 §B.1.5 — the alarm
 * does not return until the value is back past the limit by the deadband, so a reading
 * wobbling around the set point cannot make the alarm chatter (ISA-18.2 nuisance alarms).
 *
 * - high: becomes active at value ≥ setpoint; stays active until value < setpoint − deadband.
 * - low:  becomes active at value ≤ setpoint; stays active until value > setpoint + deadband.
 *
 * "At the set point" counts as reached: GB/T 50493-2019 gives the levels as "≤ 25 %LEL" for
 * the alarm setting, i.e. an alarm at 25 %LEL itself.
 */
export interface ThresholdSpec {
  kind: 'high' | 'low';
  setpoint: number;
  deadband: number;
}

export class ThresholdCondition implements Condition {
  private active: boolean;
  private last: RawCondition = 'unknown';

  constructor(
    private readonly spec: ThresholdSpec,
    initiallyActive = false,
  ) {
    this.active = initiallyActive;
  }

  update(sample: ConditionSample): RawCondition {
    const v = numberOf(sample);
    if (v === undefined) {
      this.last = 'unknown';
      return this.last;
    }
    const { kind, setpoint, deadband } = this.spec;
    if (kind === 'high') this.active = this.active ? v >= setpoint - deadband : v >= setpoint;
    else this.active = this.active ? v <= setpoint + deadband : v <= setpoint;
    this.last = this.active;
    return this.last;
  }

  /** Only a reading changes a limit alarm's condition. */
  poll(_mono: number): { condition: RawCondition; nextPollAt: number | null } {
    return { condition: this.last, nextPollAt: null };
  }
}
