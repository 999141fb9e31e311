import { describe, expect, it } from 'vitest';
import { DeviceAlarmSchema } from '../definitions/schema.js';
import { createCondition } from './create-condition.js';
import { feed, sample, type Step } from './testing/series.js';

const base = { description: 'd', priority: 'high', class: 'gas', latch: true, point: 'gas_lel' } as const;
const high = (setpoint: number, deadband = 0) => createCondition(DeviceAlarmSchema.parse({ ...base, name: 'h', kind: 'high', setpoint, deadband }));
const low = (setpoint: number, deadband = 0) => createCondition(DeviceAlarmSchema.parse({ ...base, name: 'l', kind: 'low', setpoint, deadband }));

const values = (vs: number[]): Step[] => vs.map((v, i) => [i * 1000, v]);

describe('high limit (GB/T 50493 first level 25 %LEL, deadband 1 %LEL)', () => {
  it.each([
    { name: 'below the set point', series: [0, 10, 24.9], want: [false, false, false] },
    { name: 'at the set point counts as reached', series: [24.9, 25], want: [false, true] },
    { name: 'above it', series: [60], want: [true] },
    { name: 'stays active inside the deadband', series: [26, 24.5, 24.0, 25.5], want: [true, true, true, true] },
    { name: 'returns below setpoint − deadband', series: [26, 23.9], want: [true, false] },
    { name: 'after returning, needs the set point again (not setpoint − deadband)', series: [26, 23.9, 24.5, 25], want: [true, false, false, true] },
  ])('$name', ({ series, want }) => {
    expect(feed(high(25, 1), values(series))).toEqual(want);
  });

  it('deadband stops chatter: a reading wobbling ±0.3 around the set point activates once', () => {
    const wobble = [24.8, 25.1, 24.7, 25.3, 24.8, 25.2, 24.9, 25.0, 24.7];
    const withBand = feed(high(25, 1), values(wobble));
    const without = feed(high(25, 0), values(wobble));
    const activations = (xs: unknown[]) => xs.filter((x, i) => x === true && xs[i - 1] !== true).length;
    expect(activations(withBand)).toBe(1);
    expect(activations(without)).toBe(4);
  });

  it('an over-range value with bad quality is judged: off the scale is above the set point (fail safe)', () => {
    expect(feed(high(50), [[0, 104.5, 'bad']])).toEqual([true]);
  });

  it.each([
    { name: 'comm-fault with no value', step: [0, null, 'comm-fault'] as Step },
    { name: 'bad quality with no value (device exception)', step: [0, null, 'bad'] as Step },
    { name: 'stale placeholder', step: [0, null, 'stale'] as Step },
    { name: 'a good reading whose value is null', step: [0, null, 'good'] as Step },
    { name: 'NaN (an f32 that decoded to NaN)', step: [0, Number.NaN, 'good'] as Step },
    { name: 'a string on a numeric alarm (a definition error)', step: [0, 'alarm_level_1', 'good'] as Step },
  ])('cannot judge $name → unknown', ({ step }) => {
    expect(feed(high(25), [step])).toEqual(['unknown']);
  });

  it('unknown does not forget the condition: an active alarm is still inside its hold when readings return', () => {
    const c = high(25, 1);
    expect(feed(c, [[0, 30], [1000, null, 'comm-fault'], [2000, 24.5]])).toEqual([true, 'unknown', true]);
  });

  it('poll() repeats the last judgement and asks for no further polls', () => {
    const c = high(25);
    expect(c.poll(0)).toEqual({ condition: 'unknown', nextPollAt: null });
    c.update(sample(0, 30));
    expect(c.poll(60_000)).toEqual({ condition: true, nextPollAt: null });
  });

  it('initiallyActive restores the hold after a restart', () => {
    const def = DeviceAlarmSchema.parse({ ...base, name: 'h', kind: 'high', setpoint: 25, deadband: 1 });
    expect(createCondition(def, { initiallyActive: true }).update(sample(0, 24.5))).toBe(true);
    expect(createCondition(def).update(sample(0, 24.5))).toBe(false);
  });
});

describe('low limit (mirrored)', () => {
  it.each([
    { name: 'above the set point', series: [20.9, 19.6], want: [false, false] },
    { name: 'at the set point counts as reached', series: [19.5], want: [true] },
    { name: 'stays active until above setpoint + deadband', series: [19, 19.9, 20.0, 20.1], want: [true, true, true, false] },
  ])('$name (O₂ 19.5 %VOL, deadband 0.5)', ({ series, want }) => {
    expect(feed(low(19.5, 0.5), values(series))).toEqual(want);
  });
});
