/** Deadline timers under fake time: fire at (never before) the due time, in order, and cancel. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineTimers } from './wire-time-timer.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DeadlineTimers', () => {
  it('fires at the due time, not before, with no lateness under fake time', async () => {
    const timers = new DeadlineTimers();
    const t0 = performance.now();
    const fired: number[] = [];
    timers.at(t0 + 10.5, () => fired.push(performance.now() - t0));
    await vi.advanceTimersByTimeAsync(10);
    expect(fired).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(10.5);
    expect(timers.lateness().count).toBe(1);
  });

  it('fires a time already past at once, and keeps the order of due times', async () => {
    const timers = new DeadlineTimers();
    const t0 = performance.now();
    const order: string[] = [];
    timers.at(t0 + 5, () => order.push('b'));
    timers.at(t0 - 1, () => order.push('a'));
    timers.at(t0 + 20, () => order.push('c'));
    await vi.advanceTimersByTimeAsync(30);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('cancels pending timers on clear, also those already spinning', async () => {
    const timers = new DeadlineTimers({ spinMs: 5 });
    const t0 = performance.now();
    const fired: string[] = [];
    timers.at(t0 + 3, () => fired.push('spinning')); // inside the spin window at once
    timers.at(t0 + 50, () => fired.push('sleeping'));
    timers.clear();
    await vi.advanceTimersByTimeAsync(100);
    expect(fired).toEqual([]);
  });
});
