import { describe, expect, it } from 'vitest';
import { ChatterDetector } from './chatter-detector.js';

describe('ChatterDetector', () => {
  it('reports the third activation within a minute, not the first two', () => {
    const d = new ChatterDetector();
    expect(d.activation('gas-1/l1', 0)).toBeNull();
    expect(d.activation('gas-1/l1', 20_000)).toBeNull();
    expect(d.activation('gas-1/l1', 40_000)).toEqual({ alarmId: 'gas-1/l1', activations: 3, windowMs: 60_000, firstMono: 0, lastMono: 40_000 });
  });

  it('does not report three activations spread over more than a minute', () => {
    const d = new ChatterDetector();
    d.activation('a', 0);
    d.activation('a', 30_000);
    expect(d.activation('a', 60_000)).toBeNull(); // a full minute from the first: not within it
    expect(d.activation('a', 89_999)).not.toBeNull();
  });

  it('counts each alarm on its own', () => {
    const d = new ChatterDetector();
    d.activation('a', 0);
    d.activation('b', 1_000);
    expect(d.activation('a', 2_000)).toBeNull();
    expect(d.activation('b', 3_000)).toBeNull();
  });

  it('reports a chattering alarm at most once per 10 minutes', () => {
    const d = new ChatterDetector();
    const reports: number[] = [];
    for (let t = 0; t <= 900_000; t += 10_000) if (d.activation('a', t)) reports.push(t);
    expect(reports).toEqual([20_000, 620_000]);
  });

  it('takes other limits', () => {
    const d = new ChatterDetector({ activations: 2, windowMs: 5_000, quietMs: 0 });
    d.activation('a', 0);
    expect(d.activation('a', 4_999)?.activations).toBe(2);
    expect(d.activation('a', 6_000)).not.toBeNull();
    expect(() => new ChatterDetector({ activations: 1 })).toThrow(/at least 2 activations/);
  });
});
