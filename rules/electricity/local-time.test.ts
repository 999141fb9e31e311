import { describe, expect, it } from 'vitest';
import { addDays, LocalTime } from './local-time.js';
import { assertQuarterHourZone, QUARTER_MS, quarterStart } from './quarter-hours.js';

describe('LocalTime', () => {
  it('reads an IANA zone: 2026-11-23 02:07 UTC is Monday 10:07 in Shanghai', () => {
    expect(new LocalTime('Asia/Shanghai').parts(Date.UTC(2026, 10, 23, 2, 7, 30))).toEqual({ year: 2026, month: 11, day: 23, weekday: 1, hour: 10, minute: 7, offsetMinutes: 480, date: '2026-11-23' });
  });

  it('reads a fixed offset, across midnight', () => {
    expect(new LocalTime('-05:30').parts(Date.UTC(2026, 0, 1, 3, 0))).toMatchObject({ date: '2025-12-31', weekday: 3, hour: 21, minute: 30, offsetMinutes: -330 });
  });

  it('without a zone, agrees with the process’s own clock', () => {
    const t = Date.UTC(2026, 5, 15, 12, 34);
    const d = new Date(t);
    expect(new LocalTime().parts(t)).toMatchObject({ hour: d.getHours(), minute: d.getMinutes(), weekday: d.getDay(), offsetMinutes: -d.getTimezoneOffset() });
  });

  it('follows daylight saving time', () => {
    const ny = new LocalTime('America/New_York');
    expect(ny.parts(Date.UTC(2026, 2, 8, 6, 45))).toMatchObject({ hour: 1, minute: 45, offsetMinutes: -300 });
    expect(ny.parts(Date.UTC(2026, 2, 8, 7, 0))).toMatchObject({ hour: 3, minute: 0, offsetMinutes: -240 });
    expect(ny.label(Date.UTC(2026, 2, 8, 7, 0))).toBe('2026-03-08 03:00 (UTC-04:00)');
  });

  it('maps fixed offsets for node-cron, and says no to what it cannot use', () => {
    expect(new LocalTime('+08:00').cronZone()).toBe('Etc/GMT-8');
    expect(new LocalTime('-03:00').cronZone()).toBe('Etc/GMT+3');
    expect(new LocalTime('Asia/Shanghai').cronZone()).toBe('Asia/Shanghai');
    expect(() => new LocalTime('+05:45').cronZone()).toThrow(/need an IANA zone name/);
    expect(() => new LocalTime('+15:00')).toThrow(/at most ±14:00/);
    expect(() => new LocalTime('Beijing')).toThrow(/"Beijing" is neither an IANA zone name/);
  });

  it('adds calendar days across months and years', () => {
    expect(addDays('2026-03-01', -7)).toBe('2026-02-22');
    expect(addDays('2026-12-29', 7)).toBe('2027-01-05');
  });
});

describe('quarter hours', () => {
  it('are the UTC quarter hours, so a DST change moves labels and never boundaries', () => {
    const ny = new LocalTime('America/New_York');
    // Spring-forward day 2026-03-08: local midnight to local midnight is 23 h = 92 quarter hours of exactly 15 min.
    const from = Date.UTC(2026, 2, 8, 5);
    const to = Date.UTC(2026, 2, 9, 4);
    expect((to - from) / QUARTER_MS).toBe(92);
    const labels = [quarterStart(Date.UTC(2026, 2, 8, 6, 50)), quarterStart(Date.UTC(2026, 2, 8, 7, 5))].map((t) => ny.parts(t)).map((p) => `${p.hour}:${p.minute}`);
    expect(labels).toEqual(['1:45', '3:0']);
    expect(quarterStart(Date.UTC(2026, 2, 8, 7, 5)) - quarterStart(Date.UTC(2026, 2, 8, 6, 50))).toBe(QUARTER_MS);
  });

  it('accepts every zone in use, whole quarter hours included, and refuses one that is not', () => {
    const at = Date.UTC(2026, 10, 23);
    for (const zone of ['Asia/Shanghai', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Eucla', 'Pacific/Chatham', 'America/St_Johns']) {
      expect(() => assertQuarterHourZone(new LocalTime(zone), at)).not.toThrow();
    }
    expect(() => assertQuarterHourZone(new LocalTime('+05:43'), at)).toThrow(/UTC\+05:43: quarter-hour energy intervals need/);
  });
});
