import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeCronScheduler, cronProblem, lastMatch } from './cron-scheduler.js';

const MONDAY_0930 = new Date(Date.UTC(2026, 10, 23, 9, 30, 0)); // 2026-11-23 is a Monday

afterEach(() => {
  vi.useRealTimers();
});

describe('NodeCronScheduler (node-cron 4 itself)', () => {
  it('runs a real expression on time and stops cleanly, leaving nothing registered', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23, 9, 0, 0, 500) });
    const before = cron.getTasks().size;
    const runs: number[] = [];
    const job = new NodeCronScheduler().schedule('*/2 * * * * *', () => runs.push(Date.now()));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runs.map((t) => new Date(t).getUTCSeconds())).toEqual([2, 4]);
    job.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(2);
    expect(cron.getTasks().size).toBe(before);
  });

  it('refuses an invalid expression, saying what is wrong with it', () => {
    expect(() => new NodeCronScheduler().schedule('61 8 * * *', () => undefined)).toThrow('"61 8 * * *" is not a cron expression: 61 is a invalid expression for minute');
    expect(cronProblem('0 8 * *')).toBe('"0 8 * *" is not a cron expression: expected 5 or 6 fields but got 4');
    expect(cronProblem('0 8 * * 1-5')).toBeUndefined();
  });
});

describe('lastMatch: the start of a window already under way', () => {
  it('finds the latest start within the window, to the second', () => {
    expect(lastMatch('0 9 * * 1', MONDAY_0930, 60 * 60_000, 'UTC')).toEqual(new Date(Date.UTC(2026, 10, 23, 9, 0, 0)));
    expect(lastMatch('0 9 * * 1', MONDAY_0930, 20 * 60_000, 'UTC')).toBeNull(); // a 20-minute window ended at 09:20
    expect(lastMatch('0 9 * * 2', MONDAY_0930, 7 * 24 * 60 * 60_000, 'UTC')).toEqual(new Date(Date.UTC(2026, 10, 17, 9, 0, 0))); // last Tuesday
    expect(lastMatch('*/20 * * * * *', new Date(Date.UTC(2026, 10, 23, 9, 30, 45)), 60_000, 'UTC')).toEqual(new Date(Date.UTC(2026, 10, 23, 9, 30, 40)));
    expect(lastMatch('30 9 * * *', MONDAY_0930, 60_000, 'UTC')).toEqual(MONDAY_0930); // starting this very second
  });

  it('works in the gateway’s local zone (the production path)', () => {
    const at = new Date(2026, 10, 23, 9, 30, 0); // local time, whatever the zone
    expect(lastMatch('0 9 * * *', at, 60 * 60_000)).toEqual(new Date(2026, 10, 23, 9, 0, 0));
    expect(lastMatch('0 9 * * *', at, 29 * 60_000)).toBeNull();
  });
});
