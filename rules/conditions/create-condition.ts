import type { CommunicationAlarmDef, DeviceAlarmDef } from '../definitions/schema.js';
import type { Condition } from './condition.js';
import { CommunicationCondition, QualityCondition } from './quality.js';
import { RateCondition } from './rate.js';
import { StaleCondition } from './stale.js';
import { StateCondition } from './state.js';
import { ThresholdCondition } from './threshold.js';

/** Every alarm kind judged from one point's readings (site-level votes are the engine's). */
export type PointAlarmDef = DeviceAlarmDef | CommunicationAlarmDef;

export interface CreateConditionOptions {
  /**
   * Monotonic ms when the engine began watching the point. The stale clock runs from here until
   * the first reading; without it, from the first poll() or update().
   */
  startMono?: number;
  /**
   * High/low only: start inside the deadband's hold, as if the limit had been crossed — for an
   * engine restoring a persisted active condition, so a value between setpoint − deadband and
   * the set point keeps the alarm active after a restart, as it would have before.
   */
  initiallyActive?: boolean;
}

/** The raw condition detector for one alarm instance (before on/off delays). */
export function createCondition(def: PointAlarmDef, opts: CreateConditionOptions = {}): Condition {
  switch (def.kind) {
    case 'high':
    case 'low':
      return new ThresholdCondition({ kind: def.kind, setpoint: def.setpoint, deadband: def.deadband }, opts.initiallyActive ?? false);
    case 'rate':
      return new RateCondition({ perMinute: def.perMinute, direction: def.direction, windowMs: def.windowMs });
    case 'stale':
      return new StaleCondition(def.afterMs, opts.startMono);
    case 'quality':
      return new QualityCondition();
    case 'communication':
      return new CommunicationCondition();
    case 'state':
      return new StateCondition(def.activeWhen);
  }
}
