import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { BaselineComparator, median, type BaselineSettings } from './baseline-comparator.js';
import { BaselineHistory } from './baseline-history.js';
import type { EnergyRecord } from './energy-record.js';
import { LocalTime } from './local-time.js';

const Q = 15 * 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Monday 2026-11-02 00:00 in China. */
const MON = Date.UTC(2026, 10, 1, 16, 0);
const local = new LocalTime('Asia/Shanghai');

/** A plant that runs 08:00–18:00 on weekdays: 25 kWh a quarter hour, 2 kWh otherwise. */
const profile = (start: number): number => {
  const p = local.parts(start);
  return p.weekday >= 1 && p.weekday <= 5 && p.hour >= 8 && p.hour < 18 ? 25 : 2;
};

function setup(settings: Partial<BaselineSettings> = {}) {
  const clock = new FakeClock({ wall: MON });
  const events: GatewayEvent[] = [];
  const s: BaselineSettings = { weeks: 4, minSamples: 3, deviationPercent: 50, minDeviationKWh: 1, direction: 'both', subjects: 'site', ...settings };
  const history = new BaselineHistory({ weeks: s.weeks, local });
  const comparator = new BaselineComparator({ ...s, clock, local, history, emit: (e) => events.push(e) });
  const feed = (start: number, kWh: number | null, extra: Partial<EnergyRecord> = {}) => comparator.onRecord({ meter: 'site', start, end: start + Q, kWh, complete: true, clockTrusted: true, flags: [], missing: [], ...extra });
  /** Whole weeks of the normal profile, from week `from` (0 = the week of MON). */
  const weeks = (from: number, count: number, kWh: (start: number) => number = profile) => {
    for (let t = MON + from * WEEK; t < MON + (from + count) * WEEK; t += Q) feed(t, kWh(t));
  };
  return { events, history, feed, weeks };
}

const at = (week: number, day: number, hour: number, minute = 0): number => MON + week * WEEK + day * DAY + hour * 3_600_000 + minute * 60_000;

describe('BaselineComparator with synthetic weeks', () => {
  it('stays quiet over a normal week once it has history, and says nothing before it has enough', () => {
    const { events, weeks, feed } = setup();
    weeks(0, 4);
    expect(events).toEqual([]);
    expect(feed(at(4, 0, 10), 25)).toMatchObject({ status: 'normal', baselineKWh: 25, samples: 4 });
    weeks(4, 1, (t) => profile(t) * 1.3); // +30 %: inside the band
    expect(events).toEqual([]);
  });

  it('needs at least minSamples past weeks', () => {
    const { events, weeks, feed } = setup({ minSamples: 3 });
    weeks(0, 2);
    expect(feed(at(2, 0, 10), 90)).toEqual({ subject: 'site', start: at(2, 0, 10), status: 'insufficient', samples: 2 });
    expect(events).toEqual([]);
  });

  it('warns when a quarter hour deviates from the median of the same weekday and time — once, until it returns', () => {
    const { events, weeks, feed } = setup();
    weeks(0, 3);
    weeks(3, 1, (t) => (t === at(3, 0, 10) ? 60 : profile(t))); // one odd quarter hour: it deviated and returned
    expect(events.map((e) => [e.type, (e.data!.interval as { start: number }).start])).toEqual([
      ['electricity.baseline-deviation', at(3, 0, 10)],
      ['electricity.baseline-returned', at(3, 0, 10, 15)],
    ]);
    events.length = 0;
    // Saturday of week 4 is a working day for once: 25 kWh against the weekend's 2.
    feed(at(4, 5, 9), 25);
    feed(at(4, 5, 9, 15), 26);
    feed(at(4, 5, 9, 30), 2.5);
    expect(events.map((e) => e.type)).toEqual(['electricity.baseline-deviation', 'electricity.baseline-returned']);
    expect(events[0]).toMatchObject({
      severity: 'warning',
      message: 'the site used 25 kWh in the quarter hour from 2026-12-05 09:00 (UTC+08:00), above its baseline of 2 kWh (+1150 %, median of 4 past weeks)',
      data: { subject: 'site', direction: 'above', kWh: 25, baselineKWh: 2, deviationKWh: 23, deviationPercent: 1150, samples: ['2026-11-07', '2026-11-14', '2026-11-21', '2026-11-28'] },
    });
    expect(events[1]).toMatchObject({ severity: 'info', data: { intervals: 2, peakDeviationKWh: 24, direction: 'above' } });
    expect(feed(at(4, 0, 10), 25)).toMatchObject({ status: 'normal', baselineKWh: 25 }); // the median outvotes the odd 60 kWh
  });

  it('ignores small absolute changes at near-zero load however large in percent', () => {
    const { events, weeks, feed } = setup({ minDeviationKWh: 1 });
    weeks(0, 4, () => 0.1);
    expect(feed(at(4, 0, 3), 0.5)).toMatchObject({ status: 'normal', deviationPercent: 400 });
    expect(feed(at(4, 0, 3, 15), 1.2)).toMatchObject({ status: 'deviating' });
    expect(events).toHaveLength(1);
  });

  it('against a zero baseline, any load past the absolute minimum deviates', () => {
    const { events, weeks, feed } = setup({ minDeviationKWh: 1 });
    weeks(0, 4, () => 0);
    expect(feed(at(4, 0, 3), 3)).toMatchObject({ status: 'deviating', deviationPercent: null });
    expect(events[0]!.message).toContain('against a zero baseline');
  });

  it('watches only the configured direction', () => {
    const { events, weeks, feed } = setup({ direction: 'above' });
    weeks(0, 4);
    expect(feed(at(4, 0, 10), 5)).toMatchObject({ status: 'normal', deviationKWh: -20 }); // a stopped line is not "above"
    expect(events).toEqual([]);
  });

  it('neither compares nor learns from incomplete, estimated or untrusted-clock records, nor other subjects', () => {
    const { events, weeks, feed, history } = setup();
    weeks(0, 4);
    const size = history.size();
    expect(feed(at(4, 0, 10), 90, { complete: false, flags: ['gap'] })).toMatchObject({ status: 'skipped', reason: 'incomplete' });
    expect(feed(at(4, 0, 10), 90, { clockTrusted: false })).toMatchObject({ status: 'skipped', reason: 'clock-untrusted' });
    expect(feed(at(4, 0, 10), 90, { meter: 'pm-1' })).toMatchObject({ status: 'skipped', reason: 'subject' });
    expect(feed(at(4, 0, 10), null, { complete: false, flags: ['meters-missing'] })).toMatchObject({ status: 'skipped' });
    expect(history.size()).toBe(size);
    expect(events).toEqual([]);
  });

  it('refuses settings that cannot work', () => {
    expect(() => setup({ weeks: 2, minSamples: 3 })).toThrow(/minSamples must be a whole number from 1 to weeks \(2\), got 3/);
    expect(() => setup({ deviationPercent: 0 })).toThrow(/deviationPercent must be > 0/);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([10, 11, 9, 30])).toBe(10.5);
  });
});
