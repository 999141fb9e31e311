import { describe, expect, it } from 'vitest';
import { Gb26875EncodeError } from './errors.js';
import { isValidTimeLabel, readTimeLabel, timeLabelFromDate, timeLabelToDate, writeTimeLabel, type TimeLabel } from './time-label.js';

const label: TimeLabel = { second: 2, minute: 58, hour: 9, day: 26, month: 9, year: 12 };

describe('time label', () => {
  it('reads and writes sec, min, hour, day, month, year in that order', () => {
    const b = Buffer.alloc(6);
    writeTimeLabel(label, b, 0, 'time');
    expect(b).toEqual(Buffer.from([0x02, 0x3a, 0x09, 0x1a, 0x09, 0x0c])); // 2012-09-26 09:58:02
    expect(readTimeLabel(b, 0)).toEqual(label);
  });

  it('is Beijing time by default, whatever the process time zone', () => {
    const instant = new Date('2012-09-26T01:58:02Z'); // 09:58:02 in Beijing
    expect(timeLabelFromDate(instant)).toEqual(label);
    expect(timeLabelToDate(label)?.toISOString()).toBe('2012-09-26T01:58:02.000Z');
    expect(timeLabelFromDate(instant, 0)).toEqual({ ...label, hour: 1 });
  });

  it('reads a panel’s unset clock without judging, and says it is no date', () => {
    const zeros = readTimeLabel(Buffer.alloc(6), 0);
    expect(zeros).toEqual({ second: 0, minute: 0, hour: 0, day: 0, month: 0, year: 0 });
    expect(isValidTimeLabel(zeros)).toBe(false);
    expect(timeLabelToDate(zeros)).toBeUndefined();
  });

  it('refuses to write a field out of range, naming it', () => {
    const b = Buffer.alloc(6);
    expect(() => writeTimeLabel({ ...label, month: 13 }, b, 0, 'header.time')).toThrow(/header\.time: month 13 is outside 1–12/);
    expect(() => writeTimeLabel({ ...label, month: 2, day: 30 }, b, 0, 'time')).toThrow(/day 30 does not exist in month 2 of 2012/);
    expect(() => writeTimeLabel({ ...label, second: 1.5 }, b, 0, 'time')).toThrow(Gb26875EncodeError);
  });

  it('refuses an instant outside 2000–2099', () => {
    expect(() => timeLabelFromDate(new Date('2100-01-01T00:00:00Z'))).toThrow(/year 2100 cannot be carried/);
  });
});
