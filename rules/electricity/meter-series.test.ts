import { describe, expect, it } from 'vitest';
import type { EnergyRecord } from './energy-record.js';
import { MeterSeries, type MeterSeriesOptions } from './meter-series.js';

const MIN = 60_000;
const Q = 15 * MIN;
/** 2026-11-23 10:00 in China (02:00 UTC). */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const at = (minutes: number): number => T0 + minutes * MIN;

/** A meter fed by hand: wall and monotonic time move together unless a test steps the wall clock. */
function meter(opts: Partial<MeterSeriesOptions> = {}) {
  const series = new MeterSeries({ meter: 'pm-1', maxGapMs: 5 * MIN, stepToleranceMs: 10_000, ...opts });
  const records: EnergyRecord[] = [];
  let wallMinusMono = T0; // mono = wall − this
  return {
    series,
    records,
    read(wall: number, kWh: number, clockTrusted = true) {
      records.push(...series.add({ ts: wall, kWh, mono: wall - wallMinusMono, clockTrusted }));
    },
    /** The wall clock steps by deltaMs; monotonic time does not. */
    step(deltaMs: number) {
      wallMinusMono += deltaMs;
    },
  };
}

const sum = (rs: readonly EnergyRecord[]): number => rs.reduce((s, r) => s + (r.kWh ?? 0), 0);

describe('MeterSeries: quarter-hour boundaries', () => {
  it('interpolates the counter at the boundary between the last reading before and the first after it', () => {
    const m = meter();
    m.read(at(0), 100);
    m.read(at(14), 114);
    expect(m.records).toEqual([]); // nothing closes before a reading at or after 10:15
    m.read(at(16), 117); // v(10:15) = 114 + 3 · ½ = 115.5
    expect(m.records).toEqual([{ meter: 'pm-1', start: at(0), end: at(15), kWh: 15.5, complete: true, clockTrusted: true, flags: [] }]);
    m.read(at(29), 130);
    m.read(at(31), 131); // v(10:30) = 130.5
    expect(m.records[1]).toMatchObject({ start: at(15), end: at(30), kWh: 15, complete: true });
  });

  it('a reading exactly on the boundary closes the interval with its own value', () => {
    const m = meter();
    m.read(at(0), 10);
    m.read(at(15), 12.25);
    expect(m.records).toEqual([expect.objectContaining({ start: at(0), kWh: 2.25, complete: true })]);
  });

  it('the first interval after start-up counts from the first reading and says it is partial', () => {
    const m = meter();
    m.read(at(7), 50);
    m.read(at(15), 58);
    expect(m.records).toEqual([expect.objectContaining({ start: at(0), end: at(15), kWh: 8, complete: false, flags: ['partial'] })]);
  });

  it('records add up to the rise of the counter over an irregular day of polls', () => {
    const m = meter();
    const readings: [number, number][] = [];
    let t = at(0);
    let v = 1_000;
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    while (t < at(24 * 60)) {
      readings.push([t, v]);
      m.read(t, v);
      t += 5_000 + Math.floor(rnd() * 60_000); // polls every 5–65 s
      v += rnd() * 2;
    }
    readings.push([t, v]);
    m.read(t, v);
    expect(m.records).toHaveLength(96);
    expect(m.records.every((r) => r.complete)).toBe(true);
    expect(m.records.every((r, i) => i === 0 || r.start === m.records[i - 1]!.end)).toBe(true);
    // The last record ends at 24:00, between the last two readings: the records add up to the counter there.
    const [[t1, v1], [t2, v2]] = readings.slice(-2) as [[number, number], [number, number]];
    const atMidnight = v1 + ((v2 - v1) * (at(24 * 60) - t1)) / (t2 - t1);
    expect(sum(m.records)).toBeCloseTo(atMidnight - 1_000, 4);
  });
});

describe('MeterSeries: a meter that stops answering', () => {
  it('closes the intervals of a silent stretch when it answers again, as estimates flagged gap — never zeros', () => {
    const m = meter();
    m.read(at(0), 100);
    m.read(at(10), 110);
    // silent 10:10 → 10:50, then back with 40 kWh more
    m.read(at(50), 150);
    expect(m.records.map((r) => [r.start, r.kWh, r.flags])).toEqual([
      [at(0), 15, ['gap']], // v(10:15) estimated on the straight line 10:10 → 10:50
      [at(15), 15, ['gap']],
      [at(30), 15, ['gap']],
    ]);
    expect(m.records.every((r) => !r.complete)).toBe(true);
    m.read(at(60), 160);
    expect(m.records[3]).toMatchObject({ start: at(45), kWh: 15, complete: false, flags: ['gap'] }); // its start was estimated
    m.read(at(75), 175);
    expect(m.records[4]).toMatchObject({ start: at(60), kWh: 15, complete: true, flags: [] });
  });

  it('a silence inside one interval does not make it an estimate', () => {
    const m = meter();
    m.read(at(0), 0);
    m.read(at(2), 2);
    m.read(at(12), 12); // 10 min without a reading, but both boundaries come from close readings
    m.read(at(15), 15);
    expect(m.records).toEqual([expect.objectContaining({ kWh: 15, complete: true, flags: [] })]);
  });
});

describe('MeterSeries: counter resets and swaps', () => {
  it('a counter that goes down is flagged; the energy around the drop is not counted and never negative', () => {
    const m = meter();
    m.read(at(0), 500);
    m.read(at(5), 505);
    m.read(at(6), 2); // reset (or the meter was swapped for a new one)
    m.read(at(14), 10);
    m.read(at(16), 12); // v(10:15) = 11 on the new counter
    // 500 → 505 before the drop, 2 → 11 after it; the minute across the drop is unknown.
    expect(m.records).toEqual([expect.objectContaining({ start: at(0), kWh: 14, complete: false, flags: ['counter-reset'] })]);
    m.read(at(29), 25);
    m.read(at(31), 27); // v(10:30) = 26 on the new counter
    expect(m.records[1]).toMatchObject({ start: at(15), kWh: 15, complete: true, flags: [] });
    expect(m.series.status().counterResets).toBe(1);
  });

  it('a rise faster than the meter can go is not counted when a maximum power is configured', () => {
    const m = meter({ maxKW: 600 }); // 10 kWh per minute at most
    m.read(at(0), 1_000);
    m.read(at(1), 1_001);
    m.read(at(2), 99_999); // swapped to a meter with a larger register
    m.read(at(15), 100_012);
    expect(m.records).toEqual([expect.objectContaining({ kWh: 14, complete: false, flags: ['implausible-jump'] })]);
    expect(m.series.status().implausibleJumps).toBe(1);
  });
});

describe('MeterSeries: wall-clock steps', () => {
  /** 1 kWh per minute of real time from 10:00. */
  function steadyUntil(m: ReturnType<typeof meter>, minutes: number): void {
    for (let i = 0; i <= minutes; i++) m.read(at(i), 100 + i);
  }

  it('forward into a later interval: the open one is cut at the step, the skipped ones get no record, no energy is lost', () => {
    const m = meter();
    steadyUntil(m, 7); // 10:07, 107 kWh
    m.step(60 * MIN); // NTP steps the clock an hour forward
    // one real minute later: wall 11:08
    for (let i = 8; i <= 22; i++) m.read(at(i) + 60 * MIN, 100 + i);
    expect(m.records.map((r) => [r.start, r.kWh, r.flags])).toEqual([
      [at(0), 7, ['clock-jump']], // 10:00–10:15 holds what was read before the step: 100 → 107
      [at(60), 8, ['clock-jump']], // 11:00–11:15: from 107 (the minute across the step included) to v(11:15) = 115
    ]);
    // 10:00 → 11:15 on the wall is 22 real minutes: 7 + 8 = 15 kWh in the two records, the rise of the counter to v(11:15).
    expect(sum(m.records)).toBe(115 - 100);
    expect(m.records.some((r) => r.start > at(0) && r.start < at(60))).toBe(false);
  });

  it('forward within the open interval: it stays open and is flagged', () => {
    const m = meter();
    steadyUntil(m, 3);
    m.step(5 * MIN);
    for (let i = 4; i <= 11; i++) m.read(at(i) + 5 * MIN, 100 + i); // wall 10:09 … 10:16
    expect(m.records).toEqual([expect.objectContaining({ start: at(0), kWh: 10, complete: false, flags: ['clock-jump'] })]);
  });

  it('backward: the open interval is never reopened or repeated; it keeps the energy until the wall clock passes its end again', () => {
    const m = meter();
    steadyUntil(m, 7); // 10:07
    m.step(-60 * MIN); // clock set back an hour: the next reading says 09:08
    m.read(at(8) - 60 * MIN, 108); // wall 09:08
    expect(m.series.status().heldUntil).toBe(at(15));
    for (let i = 9; i < 75; i++) m.read(at(i) - 60 * MIN, 100 + i); // wall 09:09 … 10:14
    expect(m.records).toEqual([]); // 09:15, 09:30 … were never open for this meter and 10:00 waits
    m.read(at(76) - 60 * MIN, 176); // wall 10:16: v(10:15) = 175
    expect(m.records).toEqual([expect.objectContaining({ start: at(0), end: at(15), kWh: 75, complete: false, flags: ['clock-jump'] })]);
    expect(m.series.status().heldUntil).toBeNull();
    m.read(at(90) - 60 * MIN, 190); // wall 10:30
    expect(m.records[1]).toMatchObject({ start: at(15), kWh: 15, complete: true });
  });

  it('a few seconds of jitter between wall and monotonic time is not a step', () => {
    const m = meter();
    m.read(at(0), 0);
    m.step(-3_000);
    m.read(at(1) - 3_000, 1);
    m.read(at(15), 15);
    expect(m.records).toEqual([expect.objectContaining({ complete: true, flags: [] })]);
    expect(m.series.status().clockSteps).toBe(0);
  });
});

describe('MeterSeries: untrusted clock', () => {
  it('records from readings stamped by an untrusted clock say so, and the first fully trusted interval is trusted again', () => {
    const m = meter();
    m.read(at(0), 0, false);
    m.read(at(14), 14, false);
    m.read(at(16), 16, true); // the boundary 10:15 still rests on an untrusted reading
    m.read(at(29), 29, true);
    m.read(at(31), 31, true);
    m.read(at(44), 44, true);
    m.read(at(46), 46, true);
    expect(m.records.map((r) => r.clockTrusted)).toEqual([false, false, true]);
    expect(m.records.map((r) => r.complete)).toEqual([true, true, true]); // trust is reported apart from completeness
  });
});
