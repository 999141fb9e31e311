import { describe, expect, it } from 'vitest';
import { crashedCase, exitCodeFor, pct, toRows, verdictOf, type Figure } from './figures.js';
import { slopePerHour } from './slope.js';

const fig = (kind: Figure['kind'], pass: boolean): Figure => ({ figure: 'f', measured: 'm', target: 't', kind, pass, test: 'x' });

describe('campaign figures', () => {
  it('a failed must-hold figure is FAIL and fails the run; a soft miss is MISSED and does not', () => {
    expect(verdictOf(fig('must', false))).toBe('FAIL');
    expect(verdictOf(fig('soft', false))).toBe('MISSED');
    expect(verdictOf(fig('must', true))).toBe('ok');
    expect(verdictOf(fig('info', false))).toBe('n/a');
    expect(exitCodeFor([fig('must', true), fig('soft', false), fig('info', false)])).toBe(0);
    expect(exitCodeFor([fig('must', true), fig('must', false)])).toBe(1);
  });

  it('a case that threw is a failed must-hold figure naming the error', () => {
    const f = crashedCase({ name: 'soak', title: 'f', run: async () => [] }, new Error('gateway exited (1)\nstack…'), 'short');
    expect(f).toMatchObject({ figure: 'soak: case completed', measured: 'threw: gateway exited (1)', kind: 'must', pass: false });
    expect(exitCodeFor([f])).toBe(1);
  });

  it('maps figures to table rows: figure, measured, target, verdict, test', () => {
    expect(toRows([{ figure: 'lost', measured: '0', target: '0', kind: 'must', pass: true, test: 'a: 10 kills' }])).toEqual([
      { metric: 'lost', value: '0', target: '0', verdict: 'ok', notes: 'a: 10 kills' },
    ]);
  });

  it('percentages print exact ends exactly and never round a shortfall up to 100 %', () => {
    expect(pct(10, 10)).toBe('100 %');
    expect(pct(0, 10)).toBe('0 %');
    expect(pct(999_999, 1_000_000)).toBe('99.999 %');
    expect(pct(1, 3)).toBe('33.333 %');
    expect(pct(1, 0)).toBe('—');
  });
});

describe('slopePerHour', () => {
  it('is the least-squares trend, in units per hour', () => {
    // +1 MB per minute with ±2 MB of sawtooth on top: 60 MB/h
    const samples = Array.from({ length: 31 }, (_, i) => ({ tMs: i * 60_000, value: 100 + i + (i % 2 ? 2 : -2) }));
    expect(slopePerHour(samples)).toBeCloseTo(60, 0);
    expect(slopePerHour([{ tMs: 0, value: 5 }, { tMs: 3_600_000, value: 5 }])).toBe(0);
  });

  it('refuses what has no slope', () => {
    expect(() => slopePerHour([{ tMs: 0, value: 1 }])).toThrow(/at least 2 samples, got 1/);
    expect(() => slopePerHour([{ tMs: 5, value: 1 }, { tMs: 5, value: 2 }])).toThrow(/same time/);
  });
});
