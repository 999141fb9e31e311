import { describe, expect, it } from 'vitest';
import { DeviceAlarmSchema } from '../definitions/schema.js';
import { createCondition } from './create-condition.js';
import { RateCondition } from './rate.js';
import { feed, sample } from './testing/series.js';

const rate = (perMinute: number, direction: 'rise' | 'fall' | 'either' = 'rise', windowMs = 60_000) =>
  createCondition(DeviceAlarmSchema.parse({ name: 'r', description: 'd', priority: 'medium', class: 'gas', latch: false, kind: 'rate', point: 'gas_lel', perMinute, direction, windowMs }));

/** One reading per second following f(t in seconds). */
const series = (seconds: number, f: (s: number) => number, from = 0) =>
  Array.from({ length: seconds + 1 }, (_, s) => [(from + s) * 1000, f(from + s)] as [number, number]);

describe('rate of change (units per minute over a sliding window)', () => {
  it('unknown until two samples span half the window, then judged', () => {
    // 10 %LEL/min rise, window 60 s: judged from the reading at 30 s on
    const out = feed(rate(5), series(40, (s) => s / 6));
    expect(out.slice(0, 30)).toEqual(Array(30).fill('unknown'));
    expect(out.slice(30)).toEqual(Array(11).fill(true));
  });

  it.each([
    { name: 'rise: +10/min ≥ 5', direction: 'rise', slope: 10, want: true },
    { name: 'rise: exactly the limit counts', direction: 'rise', slope: 5, want: true },
    { name: 'rise: +4/min < 5', direction: 'rise', slope: 4, want: false },
    { name: 'rise: a fall does not count', direction: 'rise', slope: -10, want: false },
    { name: 'fall: −10/min', direction: 'fall', slope: -10, want: true },
    { name: 'fall: a rise does not count', direction: 'fall', slope: 10, want: false },
    { name: 'either: rise', direction: 'either', slope: 10, want: true },
    { name: 'either: fall', direction: 'either', slope: -10, want: true },
    { name: 'either: slow', direction: 'either', slope: -4, want: false },
  ] as const)('$name', ({ direction, slope, want }) => {
    const out = feed(rate(5, direction), series(60, (s) => 50 + (slope * s) / 60));
    expect(out[out.length - 1]).toBe(want);
  });

  it('the rate is measured over the window: an old rise that has levelled off returns to false', () => {
    const c = rate(5);
    const rise = feed(c, series(60, (s) => s / 3)); // 20/min for a minute
    expect(rise[rise.length - 1]).toBe(true);
    const flat = feed(c, series(90, () => 20, 61)); // then flat
    expect(flat[flat.length - 1]).toBe(false);
  });

  it('a single-step jump is averaged over the window, not read as an instantaneous slope', () => {
    const c = new RateCondition({ perMinute: 5, direction: 'rise', windowMs: 60_000 });
    feed(c, series(59, () => 0));
    c.update(sample(60_000, 3)); // +3 in one second = 180/min instantaneously; 3/min over the window
    expect(c.rate()).toBeCloseTo(3);
    expect(c.poll(60_000).condition).toBe(false);
  });

  it('a gap in the readings empties the window → unknown (the engine holds the alarm)', () => {
    const c = rate(5);
    feed(c, series(60, (s) => s / 3));
    expect(c.poll(60_000 + 60_001)).toEqual({ condition: 'unknown', nextPollAt: null });
  });

  it('readings that cannot be judged are left out and answer unknown; the rest still count', () => {
    const c = rate(5);
    feed(c, series(30, (s) => s / 3));
    expect(c.update(sample(31_000, null, 'comm-fault'))).toBe('unknown');
    expect(c.update(sample(32_000, 32 / 3))).toBe(true);
  });

  it('poll() names the moment the oldest sample leaves the window', () => {
    const c = rate(5);
    feed(c, [[10_000, 0], [40_000, 1]]);
    expect(c.poll(40_000)).toEqual({ condition: false, nextPollAt: 70_001 });
    // at 70 001 the sample at 10 000 is gone: one sample left, unknown
    expect(c.poll(70_001)).toEqual({ condition: 'unknown', nextPollAt: 100_001 });
  });
});
