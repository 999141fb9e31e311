export type { Condition, ConditionSample, RawCondition } from './condition.js';
export { createCondition, type CreateConditionOptions, type PointAlarmDef } from './create-condition.js';
export { DelayFilter, type DelayResult } from './delay-filter.js';
export { RATE_MIN_SPAN_FRACTION } from './rate.js';
