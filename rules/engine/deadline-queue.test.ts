import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeadlineQueue, DeadlineTimer } from './deadline-queue.js';

describe('DeadlineQueue', () => {
  it('hands out due entries earliest first, and nothing before its time', () => {
    const q = new DeadlineQueue<string>();
    for (const [due, name] of [[50, 'e'], [10, 'a'], [30, 'c'], [20, 'b'], [40, 'd'], [10, 'a2']] as const) q.push(due, name);
    expect(q.peekDue()).toBe(10);
    expect(q.popDue(5)).toBeNull();
    const out: string[] = [];
    for (let e = q.popDue(40); e; e = q.popDue(40)) out.push(e.target);
    expect(out.slice(0, 2).sort()).toEqual(['a', 'a2']);
    expect(out.slice(2)).toEqual(['b', 'c', 'd']);
    expect(q.size).toBe(1);
    expect(q.peekDue()).toBe(50);
  });

  it('keeps heap order over many random pushes', () => {
    const q = new DeadlineQueue<number>();
    const dues = Array.from({ length: 500 }, (_, i) => (i * 7919) % 1000);
    for (const d of dues) q.push(d, d);
    const out: number[] = [];
    for (let e = q.popDue(Infinity); e; e = q.popDue(Infinity)) out.push(e.due);
    expect(out).toEqual([...dues].sort((a, b) => a - b));
  });
});

describe('DeadlineTimer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes for the earliest deadline asked for, once', () => {
    let mono = 0;
    const woke: number[] = [];
    const t = new DeadlineTimer(() => mono, () => woke.push(mono));
    t.ensure(1_000);
    t.ensure(2_000); // later: the armed timer already wakes earlier
    t.ensure(500); // earlier: re-armed
    mono = 499;
    vi.advanceTimersByTime(499);
    expect(woke).toEqual([]);
    mono = 500;
    vi.advanceTimersByTime(1);
    expect(woke).toEqual([500]);
    mono = 5_000;
    vi.advanceTimersByTime(4_500);
    expect(woke).toEqual([500]);
    t.ensure(null);
    t.ensure(4_000); // already passed: wakes on the next millisecond, not in a 0 ms loop
    vi.advanceTimersByTime(1);
    expect(woke).toEqual([500, 5_000]);
    t.ensure(6_000);
    t.cancel();
    vi.advanceTimersByTime(10_000);
    expect(woke).toEqual([500, 5_000]);
  });
});
