import type { ConditionSample } from './condition.js';

/**
 * Which readings a value-judging condition (high, low, rate, state) may judge.
 *
 * - good: judged.
 * - bad WITH a value: judged. The device answered and the value was decoded, but it is outside
 *   the point's valid range (or flagged by the device). An over-range gas reading is above the
 *   set point; treating it as "cannot judge" would hold a normal alarm normal while the gas is
 *   off the scale. Fail safe (DESIGN principle 2). The quality alarm reports the bad value as a
 *   fault as well.
 * - comm-fault, stale, or no value (null, NaN, ±Infinity): not judged → 'unknown'. The engine
 *   holds the alarm's condition (losing communication never clears a gas alarm) and the
 *   quality/communication fault alarms announce the fault.
 */
export function judgeable(sample: ConditionSample): boolean {
  return (sample.quality === 'good' || sample.quality === 'bad') && sample.value !== null;
}

/** The sample's number, or undefined when it cannot be judged as a number. */
export function numberOf(sample: ConditionSample): number | undefined {
  if (!judgeable(sample)) return undefined;
  const v = sample.value;
  // A non-number on a numeric alarm is a definition error the profile/site semantic pass
  // rejects; if one still arrives the alarm cannot judge it.
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
