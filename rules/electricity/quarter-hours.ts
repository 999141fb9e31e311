/**
 * Quarter-hour intervals aligned to the local wall clock (:00, :15, :30, :45), the period the
 * provincial electricity-monitoring systems use (standards.md §5: "enterprise state obtained as
 * fast as every 15 min"; "compute 15-min energy deltas at the edge, aligned to wall-clock quarter
 * hours").
 *
 * Every zone in use today is offset from UTC by a whole number of quarter hours (+08:00 China,
 * +05:30 India, +05:45 Nepal, +08:45 Eucla, +12:45 Chatham), so the local quarter hours ARE the
 * UTC quarter hours: an interval is [k·15 min, (k+1)·15 min) in epoch milliseconds, whatever the
 * zone. Consequences, on purpose:
 * - a daylight-saving change moves the local labels, never the boundaries: every interval is
 *   exactly 15 minutes; the spring-forward day has 92 of them, the fall-back day 100 (the
 *   repeated local hour gives four intervals with the same local labels but different epoch
 *   starts — records carry epoch ms, so they stay distinct);
 * - the zone matters only for the calendar (baseline weekday/slot, shutdown windows in local
 *   time), and a zone whose offset is not a whole number of quarter hours is refused rather
 *   than given intervals that are not on its quarter hours.
 */
import type { LocalTime } from './local-time.js';

export const QUARTER_MS = 15 * 60_000;

/** Start of the quarter hour holding `ms`. */
export function quarterStart(ms: number): number {
  return Math.floor(ms / QUARTER_MS) * QUARTER_MS;
}

/**
 * Throws when the zone's offset is not a whole number of quarter hours around `at` (checked in
 * January and July of that year too, to see both sides of any DST rule).
 */
export function assertQuarterHourZone(local: LocalTime, at: number): void {
  const year = new Date(at).getUTCFullYear();
  for (const t of [at, Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)]) {
    const { offsetMinutes } = local.parts(t);
    if (offsetMinutes % 15 !== 0) {
      throw new RangeError(
        `time zone ${JSON.stringify(local.zone ?? 'gateway local')} is UTC${offset(offsetMinutes)}: quarter-hour energy intervals need an offset that is a whole number of quarter hours`,
      );
    }
  }
}

function offset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
