import { describe, expect, it } from 'vitest';
import { DelayFilter } from './delay-filter.js';

/** [mono, raw] inputs → the filtered condition after each, with check() calls where raw is null. */
function run(f: DelayFilter, steps: [number, boolean | null][]): boolean[] {
  return steps.map(([mono, raw]) => (raw === null ? f.check(mono) : f.update(raw, mono)).active);
}

describe('DelayFilter (on-delay / off-delay in monotonic time)', () => {
  it.each([
    {
      name: 'no delays: follows the raw condition at once',
      on: 0, off: 0,
      steps: [[0, false], [1, true], [2, false]],
      want: [false, true, false],
    },
    {
      name: 'on-delay: activates once the condition has held for the delay',
      on: 5000, off: 0,
      steps: [[0, true], [4999, null], [5000, null]],
      want: [false, false, true],
    },
    {
      name: 'on-delay: a spike shorter than the delay is filtered',
      on: 5000, off: 0,
      steps: [[0, true], [3000, false], [6000, null], [9000, null]],
      want: [false, false, false, false],
    },
    {
      name: 'on-delay: a dip restarts the delay (the condition must hold throughout)',
      on: 5000, off: 0,
      steps: [[0, true], [3000, false], [3500, true], [8000, null], [8500, null]],
      want: [false, false, false, false, true],
    },
    {
      name: 'off-delay: a dip shorter than the delay is bridged',
      on: 0, off: 10_000,
      steps: [[0, true], [1000, false], [5000, true], [20_000, null]],
      want: [true, true, true, true],
    },
    {
      name: 'off-delay: returns once the condition stayed away for the delay',
      on: 0, off: 10_000,
      steps: [[0, true], [1000, false], [10_999, null], [11_000, null]],
      want: [true, true, true, false],
    },
    {
      name: 'repeated true/false with no change does not restart a delay',
      on: 5000, off: 0,
      steps: [[0, true], [2000, true], [4000, true], [5000, true]],
      want: [false, false, false, true],
    },
  ] as const)('$name', ({ on, off, steps, want }) => {
    expect(run(new DelayFilter(on, off), steps.map((s) => [...s]))).toEqual(want);
  });

  it('reports when the running delay began and when to check again', () => {
    const f = new DelayFilter(5000, 10_000);
    expect(f.update(true, 100)).toEqual({ active: false, pendingSince: 100, clearingSince: null, nextCheckAt: 5100 });
    expect(f.check(5100)).toEqual({ active: true, pendingSince: null, clearingSince: null, nextCheckAt: null });
    expect(f.update(false, 6000)).toEqual({ active: true, pendingSince: null, clearingSince: 6000, nextCheckAt: 16_000 });
    expect(f.update(true, 7000)).toEqual({ active: true, pendingSince: null, clearingSince: null, nextCheckAt: null });
  });

  it('seedPending restores an on-delay that began before a restart', () => {
    // the condition appeared 4 s before the crash; after the restart only 1 s is left
    const f = new DelayFilter(5000, 0);
    expect(f.seedPending(-4000)).toEqual({ active: false, pendingSince: -4000, clearingSince: null, nextCheckAt: 1000 });
    expect(f.update(true, 500).active).toBe(false);
    expect(f.check(1000).active).toBe(true);
  });

  it('a seeded on-delay that has already run out activates on the first check', () => {
    const f = new DelayFilter(5000, 0);
    f.seedPending(-60_000);
    expect(f.check(0).active).toBe(true);
  });

  it('a seeded on-delay is cancelled when the condition turns out to be gone', () => {
    const f = new DelayFilter(5000, 0);
    f.seedPending(-4000);
    expect(f.update(false, 0)).toEqual({ active: false, pendingSince: null, clearingSince: null, nextCheckAt: null });
    expect(f.check(10_000).active).toBe(false);
  });

  it('seedPending is ignored when the filtered condition is already active', () => {
    const f = new DelayFilter(5000, 0, true);
    expect(f.seedPending(0)).toEqual({ active: true, pendingSince: null, clearingSince: null, nextCheckAt: null });
  });

  it('refuses negative delays', () => {
    expect(() => new DelayFilter(-1, 0)).toThrow(RangeError);
  });
});
