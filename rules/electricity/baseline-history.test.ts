import { describe, expect, it } from 'vitest';
import { BaselineHistory } from './baseline-history.js';
import { LocalTime } from './local-time.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** Monday 2026-11-02 08:15 in China. */
const MON = Date.UTC(2026, 10, 2, 0, 15);
const shanghai = new LocalTime('Asia/Shanghai');

describe('BaselineHistory', () => {
  it('gives the same weekday and time of the previous weeks only', () => {
    const h = new BaselineHistory({ weeks: 3, local: shanghai });
    for (let w = 0; w < 5; w++) h.add('site', MON + w * WEEK, 10 + w);
    h.add('site', MON + 4 * WEEK - DAY, 99); // Sunday: another slot
    h.add('site', MON + 4 * WEEK + 15 * 60_000, 99); // 08:30: another slot
    h.add('pm-1', MON + 3 * WEEK, 99); // another subject
    // For Monday of week 5: weeks 4, 3, 2 (week 1 is beyond three weeks; week 5 itself is not "previous").
    expect(h.samples('site', MON + 4 * WEEK)).toEqual([
      { date: '2026-11-09', kWh: 11 },
      { date: '2026-11-16', kWh: 12 },
      { date: '2026-11-23', kWh: 13 },
    ]);
  });

  it('keeps at most `weeks` + 1 samples per slot and a bounded number of subjects', () => {
    const h = new BaselineHistory({ weeks: 4, local: shanghai, maxSubjects: 2 });
    for (let w = 0; w < 52; w++) h.add('site', MON + w * WEEK, 1);
    expect(h.size()).toBe(5);
    expect(h.add('pm-1', MON, 1)).toBe(true);
    expect(h.add('pm-2', MON, 1)).toBe(false);
  });

  it('follows the local wall clock across a DST change and keeps the first of a repeated local hour', () => {
    const ny = new LocalTime('America/New_York');
    const h = new BaselineHistory({ weeks: 2, local: ny });
    // Monday 2026-10-26 08:15 EDT (UTC−4) and Monday 2026-11-02 08:15 EST (UTC−5): the same slot.
    h.add('site', Date.UTC(2026, 9, 26, 12, 15), 7);
    expect(h.samples('site', Date.UTC(2026, 10, 2, 13, 15))).toEqual([{ date: '2026-10-26', kWh: 7 }]);
    // Sunday 2026-11-01 01:15 happens twice (05:15 UTC in EDT, 06:15 UTC in EST).
    expect(h.add('site', Date.UTC(2026, 10, 1, 5, 15), 3)).toBe(true);
    expect(h.add('site', Date.UTC(2026, 10, 1, 6, 15), 4)).toBe(false);
    expect(h.samples('site', Date.UTC(2026, 10, 8, 6, 15))).toEqual([{ date: '2026-11-01', kWh: 3 }]);
  });

  it('exports and imports its history so a restart keeps it', () => {
    const a = new BaselineHistory({ weeks: 4, local: shanghai });
    for (let w = 0; w < 3; w++) a.add('site', MON + w * WEEK, 5 + w);
    a.add('pm-1', MON, 2.5);
    const doc = JSON.parse(JSON.stringify(a.export()));
    const b = new BaselineHistory({ weeks: 4, local: shanghai });
    expect(b.import(doc)).toEqual({ added: 4, skipped: 0 });
    expect(b.samples('site', MON + 3 * WEEK)).toEqual(a.samples('site', MON + 3 * WEEK));
    expect(b.import(doc)).toEqual({ added: 0, skipped: 4 }); // nothing twice
  });

  it('refuses a document that is not an export, naming the problem', () => {
    const h = new BaselineHistory({ weeks: 4, local: shanghai });
    expect(() => h.import({ version: 2, entries: [] })).toThrow(/baseline history import refused: version/);
    expect(() => h.import({ version: 1, entries: [{ subject: 'site', start: MON, kWh: -1 }] })).toThrow(/entries\.0\.kWh/);
    expect(h.size()).toBe(0);
  });
});
