import { describe, expect, it } from 'vitest';
import { distribution, fmtMs, percentile } from './percentiles.js';

describe('percentile (nearest rank)', () => {
  it('reports a measured value, not an interpolation', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([4, 1, 3, 2, 5], 50)).toBe(3);
  });

  it('is the maximum for p99 of fewer than 100 samples, and below it for more', () => {
    const fifty = Array.from({ length: 50 }, (_, i) => i + 1);
    expect(percentile(fifty, 99)).toBe(50);
    const thousand = Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(percentile(thousand, 99)).toBe(990);
  });

  it('refuses a p outside (0, 100] and gives NaN for no samples', () => {
    expect(() => percentile([1], 0)).toThrow(/p must be in \(0, 100\]/);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('distribution', () => {
  it('summarises unsorted samples', () => {
    expect(distribution([3, 1, 2])).toEqual({ n: 3, min: 1, p50: 2, p99: 3, max: 3 });
    expect(distribution([]).n).toBe(0);
  });
});

describe('fmtMs', () => {
  it('keeps sub-millisecond figures readable', () => {
    expect(fmtMs(0.0423)).toBe('0.042 ms');
    expect(fmtMs(3.174)).toBe('3.17 ms');
    expect(fmtMs(42.26)).toBe('42.3 ms');
    expect(fmtMs(1234.4)).toBe('1,234 ms');
    expect(fmtMs(Number.NaN)).toBe('—');
  });
});
