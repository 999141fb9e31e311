import { describe, expect, it } from 'vitest';
import { watchGc, worstOverlap } from './gc-watch.js';

describe('worstOverlap', () => {
  const pauses = [
    { start: 10, durationMs: 2 },
    { start: 20, durationMs: 5 },
    { start: 30, durationMs: 1 },
  ];

  it('finds the longest pause overlapping the window, including one that began before it', () => {
    expect(worstOverlap(pauses, 22, 31)).toEqual({ start: 20, durationMs: 5 });
    expect(worstOverlap(pauses, 11, 12)).toEqual({ start: 10, durationMs: 2 });
  });

  it('is null when no pause touches the window', () => {
    expect(worstOverlap(pauses, 13, 19)).toBeNull();
  });
});

describe('watchGc', () => {
  it('sees a forced collection when node exposes gc(), on the performance.now() timeline', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const w = watchGc();
    const before = performance.now();
    if (gc) gc();
    else for (let i = 0; i < 200; i++) new Array(100_000).fill(i); // enough garbage for a scavenge
    await new Promise((r) => setTimeout(r, 50)); // entries are delivered asynchronously
    w.stop();
    expect(w.pauses().length).toBeGreaterThan(0);
    expect(w.worstWithin(before, performance.now())).not.toBeNull();
  });
});
