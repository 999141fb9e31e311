import { describe, expect, it } from 'vitest';
import { FloodDetector, MAX_KEPT_ACTIVATIONS } from './flood-detector.js';

const MIN = 60_000;

describe('FloodDetector', () => {
  it('starts a flood at the 11th activation within 10 minutes', () => {
    const d = new FloodDetector();
    for (let i = 0; i < 10; i++) expect(d.activation(i * MIN)).toBeNull();
    expect(d.inFlood()).toBe(false);
    expect(d.activation(9.5 * MIN)).toEqual({ kind: 'started', activations: 11, windowMs: 10 * MIN, threshold: 10, startedMono: 9.5 * MIN });
    expect(d.inFlood()).toBe(true);
    expect(d.activation(9.6 * MIN)).toBeNull(); // one report per flood
  });

  it('11 activations spread over more than 10 minutes are no flood', () => {
    const d = new FloodDetector();
    for (let i = 0; i <= 10; i++) expect(d.activation(i * 60_000)).toBeNull(); // the 11th comes as the 1st leaves
    expect(d.inFlood()).toBe(false);
  });

  it('ends the flood when the window holds half the threshold or fewer, with its duration and totals', () => {
    const d = new FloodDetector();
    for (let i = 0; i < 12; i++) d.activation(i * 1_000); // 12 alarms in 12 s
    expect(d.inFlood()).toBe(true);
    // Nothing changes until the first activation leaves the window.
    expect(d.nextCheckAt()).toBe(10 * MIN);
    expect(d.check(10 * MIN - 1)).toBeNull();
    // At 10 min + 6 s the first 7 (0 … 6 s) have left: 5 remain → the flood is over.
    expect(d.check(10 * MIN + 5_999)).toBeNull();
    expect(d.count()).toBe(6);
    expect(d.check(10 * MIN + 6_000)).toEqual({ kind: 'ended', activations: 5, windowMs: 10 * MIN, startedMono: 10_000, endedMono: 10 * MIN + 6_000, durationMs: 10 * MIN - 4_000, total: 12, peak: 12 });
    expect(d.inFlood()).toBe(false);
    expect(d.nextCheckAt()).toBeNull();
  });

  it('does not flap when the rate hovers at the threshold', () => {
    const d = new FloodDetector();
    const changes: string[] = [];
    // one alarm every 54 s: 11 or 12 in any 10 minutes, for an hour
    for (let t = 0; t < 60 * MIN; t += 54_000) {
      const c = d.check(t) ?? d.activation(t);
      if (c) changes.push(c.kind);
    }
    expect(changes).toEqual(['started']);
  });

  it('keeps memory bounded in a storm of activations without changing when the flood ends', () => {
    const d = new FloodDetector();
    const n = 3 * MAX_KEPT_ACTIVATIONS;
    for (let i = 0; i < n; i++) d.activation(i);
    expect(d.count()).toBe(MAX_KEPT_ACTIVATIONS);
    // Five activations left in the window (the last five) only once the sixth-newest has left it.
    expect(d.check(n - 6 + 600_000 - 1)).toBeNull();
    expect(d.check(n - 6 + 600_000)).toMatchObject({ kind: 'ended', activations: 5 });
  });

  it('refuses an end level at or above the threshold', () => {
    expect(() => new FloodDetector({ threshold: 10, endAtOrBelow: 10 })).toThrow(/must end below its threshold/);
  });
});
