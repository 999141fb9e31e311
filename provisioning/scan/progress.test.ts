import { describe, expect, it } from 'vitest';
import { settingOf } from './plan.js';
import { createProgress, estimateLeftMs, formatDuration } from './progress.js';
import type { SweepProgress } from './sweep.js';

const at = (done: number, elapsedMs: number, over: Partial<SweepProgress> = {}): SweepProgress => ({
  done,
  total: 100,
  found: 0,
  setting: settingOf(9600, 'even'),
  unit: done,
  elapsedMs,
  ...over,
});

describe('scan progress', () => {
  it('estimates the time left from the pace so far', () => {
    expect(estimateLeftMs(at(1, 80))).toBeUndefined();
    expect(estimateLeftMs(at(25, 2000))).toBe(6000);
    expect(formatDuration(6000)).toBe('6 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });

  it('redraws one bar in place on a terminal', () => {
    const out: string[] = [];
    const p = createProgress({ write: (t) => out.push(t), isTTY: true });
    p.update(at(50, 4000, { found: 2 }));
    p.end();
    expect(out[0]).toBe('\r[############............] 9600 8E1 unit 50 · 50/100 probes (50%) · 2 found · ≤ 4 s left\x1b[K');
    expect(out[1]).toBe('\r\x1b[K');
  });

  it('writes plain lines into a pipe: at each new line setting and at most every 5 s otherwise', () => {
    const out: string[] = [];
    const p = createProgress({ write: (t) => out.push(t), isTTY: false });
    for (let i = 1; i <= 60; i++) p.update(at(i, i * 200, i > 40 ? { setting: settingOf(9600, 'none') } : {}));
    p.end();
    expect(out.every((l) => l.startsWith('scan: ') && l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(out.map((l) => l.split(' unit ')[0])).toEqual(['scan: 9600 8E1', 'scan: 9600 8E1', 'scan: 9600 8N2']);
    expect(out[1]).toContain('26/100 probes (26%)'); // 5 s after the first line (200 ms per probe)
  });
});
