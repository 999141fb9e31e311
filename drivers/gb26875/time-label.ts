/**
 * The 6-byte time label (时间标签, GB/T 26875.3-2011 §8.2.2): second, minute, hour, day, month,
 * year, one binary byte each, in that order. Year is 0–99; we read it as 2000–2099.
 *
 * The standard names no time zone. In China the label is Beijing time (UTC+8, no daylight saving),
 * which is why the conversions take an explicit offset defaulting to +480 minutes — a gateway whose
 * system clock runs in UTC still writes the time the centre expects.
 */
import { Gb26875EncodeError } from './errors.js';

export interface TimeLabel {
  readonly second: number;
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  /** 0–99, meaning 2000–2099. */
  readonly year: number;
}

export const TIME_LABEL_SIZE = 6;
export const BEIJING_UTC_OFFSET_MINUTES = 480;

const RANGES: readonly [keyof TimeLabel, number, number][] = [
  ['second', 0, 59],
  ['minute', 0, 59],
  ['hour', 0, 23],
  ['day', 1, 31],
  ['month', 1, 12],
  ['year', 0, 99],
];

/**
 * Reads without judging: a panel whose clock was never set sends zeros, and its fire alarm must
 * still get through. Use isValidTimeLabel / timeLabelToDate to judge the value.
 */
export function readTimeLabel(buf: Uint8Array, offset: number): TimeLabel {
  return {
    second: buf[offset]!,
    minute: buf[offset + 1]!,
    hour: buf[offset + 2]!,
    day: buf[offset + 3]!,
    month: buf[offset + 4]!,
    year: buf[offset + 5]!,
  };
}

/** Writes a label, refusing any field outside its range (the day is checked against the month too). */
export function writeTimeLabel(t: TimeLabel, buf: Uint8Array, offset: number, path: string): void {
  const problem = timeLabelProblem(t);
  if (problem) throw new Gb26875EncodeError(path, problem);
  buf[offset] = t.second;
  buf[offset + 1] = t.minute;
  buf[offset + 2] = t.hour;
  buf[offset + 3] = t.day;
  buf[offset + 4] = t.month;
  buf[offset + 5] = t.year;
}

export function isValidTimeLabel(t: TimeLabel): boolean {
  return timeLabelProblem(t) === undefined;
}

function timeLabelProblem(t: TimeLabel): string | undefined {
  for (const [field, min, max] of RANGES) {
    const v = t[field];
    if (!Number.isInteger(v) || v < min || v > max) return `${field} ${String(v)} is outside ${min}–${max}`;
  }
  const daysInMonth = new Date(Date.UTC(2000 + t.year, t.month, 0)).getUTCDate();
  if (t.day > daysInMonth) return `day ${t.day} does not exist in month ${t.month} of ${2000 + t.year}`;
  return undefined;
}

/** The label for an instant, in the zone given (Beijing time unless told otherwise). */
export function timeLabelFromDate(date: Date, utcOffsetMinutes = BEIJING_UTC_OFFSET_MINUTES): TimeLabel {
  const shifted = new Date(date.getTime() + utcOffsetMinutes * 60_000);
  const fullYear = shifted.getUTCFullYear();
  if (fullYear < 2000 || fullYear > 2099) {
    throw new Gb26875EncodeError('time', `year ${fullYear} cannot be carried: the label holds 2000–2099`);
  }
  return {
    second: shifted.getUTCSeconds(),
    minute: shifted.getUTCMinutes(),
    hour: shifted.getUTCHours(),
    day: shifted.getUTCDate(),
    month: shifted.getUTCMonth() + 1,
    year: fullYear - 2000,
  };
}

/** The instant a label names, or undefined when the label is not a real date and time. */
export function timeLabelToDate(t: TimeLabel, utcOffsetMinutes = BEIJING_UTC_OFFSET_MINUTES): Date | undefined {
  if (!isValidTimeLabel(t)) return undefined;
  const utc = Date.UTC(2000 + t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  return new Date(utc - utcOffsetMinutes * 60_000);
}
