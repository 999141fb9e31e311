import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { Reading } from '../../gateway/readings.js';
import type { EnergyRecord } from './energy-record.js';
import { EnergyIntervals } from './energy-intervals.js';

const MIN = 60_000;
/** 2026-11-23 10:00 in China (02:00 UTC). */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
const at = (minutes: number): number => T0 + minutes * MIN;

interface SimMeter {
  device: string;
  kW: number;
  kWh: number;
  silent: boolean;
}

/**
 * Two power meters polled every 10 s on a fake clock; the counters grow with real (monotonic)
 * time, whatever the wall clock does.
 */
function rig(opts: { startMinute?: number; meters?: Record<string, number>; siteGraceMs?: number } = {}) {
  const clock = new FakeClock({ wall: at(opts.startMinute ?? 0) });
  const records: EnergyRecord[] = [];
  const meters: SimMeter[] = Object.entries(opts.meters ?? { 'pm-1': 60, 'pm-2': 120 }).map(([device, kW]) => ({ device, kW, kWh: 1_000, silent: false }));
  const intervals = new EnergyIntervals({
    clock,
    meters: meters.map((m) => ({ device: m.device, point: 'import_active_energy' })),
    timeZone: 'Asia/Shanghai',
    siteGraceMs: opts.siteGraceMs ?? 120_000,
    onRecord: (r) => records.push(r),
  });
  intervals.start();
  const poll = (): void => {
    for (const m of meters) {
      if (m.silent) continue;
      intervals.onReadings([{ device: m.device, point: 'import_active_energy', value: m.kWh, unit: 'kWh', quality: 'good', ts: clock.now(), clockTrusted: clock.isTrusted() }]);
    }
  };
  poll();
  let sincePoll = 0;
  return {
    clock,
    intervals,
    records,
    meter: (device: string) => meters.find((m) => m.device === device)!,
    /** Real time passes in 1 s steps: counters grow, polls every 10 s, the module's timer runs. */
    run(ms: number): void {
      for (let t = 0; t < ms; t += 1_000) {
        for (const m of meters) m.kWh += m.kW / 3_600;
        clock.advance(1_000);
        vi.advanceTimersByTime(1_000);
        if ((sincePoll += 1_000) >= 10_000) {
          sincePoll = 0;
          poll();
        }
      }
    },
    runUntil(wall: number): void {
      this.run(wall - clock.now());
    },
    of: (meter: string) => records.filter((r) => r.meter === meter),
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('EnergyIntervals across a quarter-hour boundary', () => {
  it('gives each meter and the site one record per quarter hour, the site right after the last meter closed it', () => {
    const r = rig({ startMinute: 7 });
    r.runUntil(at(15) - 1_000);
    expect(r.records).toEqual([]);
    r.runUntil(at(15)); // the polls at 10:15:00 close the interval
    expect(r.of('pm-1')).toEqual([{ meter: 'pm-1', start: at(0), end: at(15), kWh: 8, complete: false, clockTrusted: true, flags: ['partial'] }]);
    expect(r.of('site')).toEqual([{ meter: 'site', start: at(0), end: at(15), kWh: 24, complete: false, clockTrusted: true, flags: ['partial'], missing: [] }]);
    r.runUntil(at(31));
    expect(r.records.filter((x) => x.start === at(15))).toEqual([
      { meter: 'pm-1', start: at(15), end: at(30), kWh: 15, complete: true, clockTrusted: true, flags: [] },
      { meter: 'pm-2', start: at(15), end: at(30), kWh: 30, complete: true, clockTrusted: true, flags: [] },
      { meter: 'site', start: at(15), end: at(30), kWh: 45, complete: true, clockTrusted: true, flags: [], missing: [] },
    ]);
  });

  it('uses the site zone only to check it: Asia/Kathmandu (+05:45) has the same boundaries, a +05:43 offset is refused', () => {
    const clock = new FakeClock({ wall: T0 });
    const make = (timeZone: string) => new EnergyIntervals({ clock, meters: [{ device: 'pm-1', point: 'e' }], timeZone, onRecord: () => undefined });
    expect(() => make('Asia/Kathmandu')).not.toThrow();
    expect(() => make('+05:43')).toThrow(/whole number of quarter hours/);
    expect(() => make('Mars/Olympus')).toThrow(/neither an IANA zone name/);
  });
});

describe('EnergyIntervals with a meter that stops answering', () => {
  it('sends the site interval after the grace period without it, listing it as missing — not as zero', () => {
    const r = rig();
    r.runUntil(at(20));
    r.meter('pm-2').silent = true;
    r.runUntil(at(30) + 119_000);
    expect(r.of('site').map((x) => x.start)).toEqual([at(0)]); // 10:15 still waits for pm-2
    r.runUntil(at(30) + 121_000);
    expect(r.of('site')[1]).toEqual({ meter: 'site', start: at(15), end: at(30), kWh: 15, complete: false, clockTrusted: true, flags: ['meters-missing'], missing: ['pm-2'] });
    expect(r.of('pm-2')).toHaveLength(1); // nothing is made up for the silent meter
  });

  it('when it answers again its records for the silence come as estimates, and the site records already sent are not reopened', () => {
    const r = rig();
    r.runUntil(at(20));
    r.meter('pm-2').silent = true;
    r.runUntil(at(50));
    r.meter('pm-2').silent = false;
    r.runUntil(at(61));
    expect(r.of('pm-2').map((x) => [x.start, x.kWh, x.flags])).toEqual([
      [at(0), 30, []],
      [at(15), 30, ['gap']], // 2 kWh/min, estimated on the line 10:20 → 10:50: right here because the load was steady
      [at(30), 30, ['gap']],
      [at(45), 30, ['gap']],
    ]);
    expect(r.intervals.status().site.lateRecords).toBe(2); // 10:15 and 10:30 went out without pm-2
    expect(r.of('site').map((x) => [x.start, x.kWh, x.missing])).toEqual([
      [at(0), 45, []],
      [at(15), 15, ['pm-2']],
      [at(30), 15, ['pm-2']],
      [at(45), 45, []], // complete set of meters, but pm-2's part is an estimate
    ]);
    expect(r.of('site')[3]).toMatchObject({ complete: false, flags: ['gap'] });
  });

  it('with every meter silent, the site interval still goes out after the grace period, with no energy', () => {
    const r = rig();
    r.runUntil(at(5));
    r.meter('pm-1').silent = true;
    r.meter('pm-2').silent = true;
    r.runUntil(at(17) + 1_000);
    expect(r.of('site')).toEqual([{ meter: 'site', start: at(0), end: at(15), kWh: null, complete: false, clockTrusted: true, flags: ['meters-missing'], missing: ['pm-1', 'pm-2'] }]);
  });
});

describe('EnergyIntervals when the wall clock steps', () => {
  const sum = (rs: readonly EnergyRecord[]) => rs.reduce((s, x) => s + (x.kWh ?? 0), 0);

  it('forward: the interval open at the step is cut, the skipped hours get no records, and no energy is lost or counted twice', () => {
    const r = rig();
    r.runUntil(at(7));
    r.clock.jumpWall(3 * 60 * MIN); // NTP: the clock was three hours slow
    r.run(23 * MIN); // wall 13:07 → 13:30
    expect(r.of('site').map((x) => [x.start, x.kWh, x.flags])).toEqual([
      [at(0), 21, ['clock-jump']], // 10:00 → 10:07: 7 + 14
      [at(180), 24, ['clock-jump']], // 13:00 → 13:15, from the cut (the 10 s across the step included)
      [at(195), 45, []],
    ]);
    // From 10:00 to wall 13:30 is 30 real minutes at 3 kWh/min; the last 30 s (after the last boundary) are still open.
    expect(sum(r.of('site'))).toBe(90);
    expect(sum(r.of('pm-1')) + sum(r.of('pm-2'))).toBe(90);
  });

  it('backward: no interval is sent twice; the open one keeps the energy until the wall clock passes its end again', () => {
    const r = rig();
    r.runUntil(at(7));
    r.clock.jumpWall(-60 * MIN); // the clock was an hour fast
    r.run(60 * MIN); // wall 09:07 → 10:07
    expect(r.records).toEqual([]);
    expect(r.intervals.status().meters.map((m) => m.heldUntil)).toEqual([null, null]); // the wall clock has caught up with the readings
    r.runUntil(at(15) + 10_000);
    expect(r.of('site')).toEqual([{ meter: 'site', start: at(0), end: at(15), kWh: 225, complete: false, clockTrusted: true, flags: ['clock-jump'], missing: [] }]);
    r.runUntil(at(31));
    expect(r.of('site')[1]).toMatchObject({ start: at(15), kWh: 45, complete: true });
    const keys = r.records.map((x) => `${x.meter}@${x.start}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('EnergyIntervals: clock trust and readings it cannot use', () => {
  it('flags records whose readings were stamped by an untrusted clock', () => {
    const r = rig();
    r.clock.setTrusted(false);
    r.runUntil(at(16));
    expect(r.records.map((x) => x.clockTrusted)).toEqual([false, false, false]);
    r.clock.setTrusted(true);
    r.runUntil(at(46));
    expect(r.of('site').map((x) => x.clockTrusted)).toEqual([false, false, true]);
  });

  it('ignores bad readings, converts Wh, and counts what it could not use', () => {
    const clock = new FakeClock({ wall: T0 });
    const records: EnergyRecord[] = [];
    const intervals = new EnergyIntervals({ clock, meters: [{ device: 'pm-1', point: 'e' }], onRecord: (x) => records.push(x) });
    const reading = (value: Reading['value'], extra: Partial<Reading> = {}): Reading => ({ device: 'pm-1', point: 'e', value, unit: 'Wh', quality: 'good', ts: clock.now(), clockTrusted: true, ...extra });
    intervals.onReadings([reading(1_000_000)]);
    clock.advance(7 * MIN);
    intervals.onReadings([reading(null, { quality: 'comm-fault' }), reading(5, { unit: 'A' }), reading('x'), reading(9_999_999, { device: 'other' })]);
    clock.advance(8 * MIN);
    intervals.onReadings([reading(1_003_500)]);
    expect(records.find((x) => x.meter === 'pm-1')).toMatchObject({ kWh: 3.5, complete: true });
    expect(intervals.status().meters[0]!.ignored).toEqual({ 'not-good': 1, unit: 1, 'not-a-number': 1 });
  });

  it('refuses a meter listed twice and a meter named "site"', () => {
    const clock = new FakeClock({ wall: T0 });
    const make = (devices: string[]) => new EnergyIntervals({ clock, meters: devices.map((device) => ({ device, point: 'e' })), onRecord: () => undefined });
    expect(() => make(['pm-1', 'pm-1'])).toThrow(/pm-1 is listed twice/);
    expect(() => make(['site'])).toThrow(/may not be named "site"/);
  });
});
