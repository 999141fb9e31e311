import { describe, expect, it } from 'vitest';
import { cronOccurrences } from './cron-occurrences.js';
import { LocalTime } from './local-time.js';
import { coveredMs, ShutdownCalendar } from './shutdown-calendar.js';

const MIN = 60_000;
/** Wall time in China (UTC+8) on 2026-11-23 (a Monday), as epoch ms. */
const cst = (h: number, m = 0, day = 23): number => Date.UTC(2026, 10, day, h - 8, m);
const shanghai = new LocalTime('Asia/Shanghai');

describe('cronOccurrences', () => {
  it('finds the starts of a nightly expression in the site zone', () => {
    expect(cronOccurrences('0 22 * * *', cst(0), cst(0, 0, 26), shanghai)).toEqual([cst(22), cst(22, 0, 24), cst(22, 0, 25)]);
  });

  it('honours weekdays, minutes and seconds the way node-cron does', () => {
    // 2026-11-23 is a Monday: weekdays 1-5 at 18:30 → Mon … Fri; none on Sat 28, Sun 29.
    expect(cronOccurrences('30 18 * * 1-5', cst(0), cst(0, 0, 30), shanghai).map((t) => new Date(t).getUTCDate())).toEqual([23, 24, 25, 26, 27]);
    expect(cronOccurrences('15 7 12 * * *', cst(0), cst(13), shanghai)).toEqual([cst(12, 7) + 15_000]);
  });

  it('counts from the zone it is given: 22:00 in New York is 03:00 UTC the next day, 02:00 in summer', () => {
    const ny = new LocalTime('America/New_York');
    expect(cronOccurrences('0 22 * * *', Date.UTC(2026, 10, 23, 12), Date.UTC(2026, 10, 24, 12), ny)).toEqual([Date.UTC(2026, 10, 24, 3)]);
    expect(cronOccurrences('0 22 * * *', Date.UTC(2026, 6, 1, 12), Date.UTC(2026, 6, 2, 12), ny)).toEqual([Date.UTC(2026, 6, 2, 2)]);
  });

  it('refuses an expression node-cron would refuse, naming it', () => {
    expect(() => cronOccurrences('0 25 * * *', cst(0), cst(1), shanghai)).toThrow(/"0 25 \* \* \*" is not a cron expression/);
  });
});

describe('ShutdownCalendar', () => {
  it('expands recurring windows into occurrences that overlap the asked range, including one that began the day before', () => {
    const cal = new ShutdownCalendar([{ name: 'night', cron: '0 22 * * *', durationMinutes: 8 * 60 }], [], shanghai);
    expect(cal.overlapping(cst(5), cst(5, 15))).toEqual([{ id: `night@${new Date(cst(22, 0, 22)).toISOString()}`, name: 'night', start: cst(22, 0, 22), end: cst(6), source: 'schedule' }]);
    expect(cal.overlapping(cst(6), cst(22))).toEqual([]); // 06:00 is the end: not inside
    expect(cal.overlapping(cst(21, 45), cst(22, 0))).toEqual([]);
    expect(cal.overlapping(cst(21, 45), cst(22, 1)).map((w) => w.start)).toEqual([cst(22)]);
  });

  it('adds dated windows and the cloud’s, a new push replacing the last', () => {
    const cal = new ShutdownCalendar([], [{ name: 'holiday', start: cst(0, 0, 25), end: cst(0, 0, 27) }], shanghai);
    cal.setCloudWindows([{ id: 'order-17', start: cst(8), end: cst(12) }]);
    expect(cal.overlapping(cst(0), cst(0, 0, 26)).map((w) => [w.id, w.source])).toEqual([
      ['order-17', 'cloud'],
      ['holiday', 'dates'],
    ]);
    cal.setCloudWindows([]);
    expect(cal.overlapping(cst(9), cst(10))).toEqual([]);
  });

  it('says no to a bad window, naming it', () => {
    expect(() => new ShutdownCalendar([{ name: 'n', cron: 'every night', durationMinutes: 60 }], [], shanghai)).toThrow(/shutdown window n: "every night" is not a cron expression/);
    expect(() => new ShutdownCalendar([{ name: 'n', cron: '0 22 * * *', durationMinutes: 0 }], [], shanghai)).toThrow(/durationMinutes must be > 0/);
    expect(() => new ShutdownCalendar([], [{ name: 'h', start: cst(2), end: cst(1) }], shanghai)).toThrow(/shutdown window h: the end must be after the start/);
    expect(() => new ShutdownCalendar([{ name: 'a', cron: '0 1 * * *', durationMinutes: 5 }], [{ name: 'a', start: cst(1), end: cst(2) }], shanghai)).toThrow(/a: the name is used twice/);
    const cal = new ShutdownCalendar([], [], shanghai);
    expect(() => cal.setCloudWindows([{ id: 'x', start: cst(3), end: cst(3) }])).toThrow(/cloud shutdown window x/);
  });
});

describe('coveredMs', () => {
  it('counts the union of windows inside the range once', () => {
    const w = (s: number, e: number) => ({ start: s * MIN, end: e * MIN });
    expect(coveredMs([w(0, 10), w(5, 20)], 0, 15 * MIN)).toBe(15 * MIN);
    expect(coveredMs([w(0, 5), w(10, 30)], 0, 15 * MIN)).toBe(10 * MIN);
    expect(coveredMs([w(0, 10), w(10, 15)], 0, 15 * MIN)).toBe(15 * MIN); // back to back
    expect(coveredMs([], 0, 15 * MIN)).toBe(0);
  });
});

describe('recurring windows across daylight-saving changes (node-cron reads the local wall clock)', () => {
  const ny = new LocalTime('America/New_York');
  it('a start in the skipped hour does not happen; one in the repeated hour happens twice', () => {
    expect(cronOccurrences('30 2 * * *', Date.UTC(2026, 2, 8, 4), Date.UTC(2026, 2, 8, 12), ny)).toEqual([]);
    expect(cronOccurrences('30 1 * * *', Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 1, 12), ny)).toEqual([Date.UTC(2026, 10, 1, 5, 30), Date.UTC(2026, 10, 1, 6, 30)]);
  });

  it('the duration is real time: a 22:00 window of 8 h ends at 05:00 local on the fall-back night', () => {
    const cal = new ShutdownCalendar([{ name: 'night', cron: '0 22 * * *', durationMinutes: 480 }], [], ny);
    const [w] = cal.overlapping(Date.UTC(2026, 10, 1, 3), Date.UTC(2026, 10, 1, 4));
    expect(ny.label(w!.start)).toBe('2026-10-31 22:00 (UTC-04:00)');
    expect(ny.label(w!.end)).toBe('2026-11-01 05:00 (UTC-05:00)');
  });
});
