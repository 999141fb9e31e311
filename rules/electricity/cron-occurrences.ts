/**
 * When a cron expression fires between two instants, in the site's zone: the starts of
 * recurring shutdown windows ("0 22 * * *" + 8 h = every night 22:00–06:00).
 *
 * node-cron schedules forward from now and has no "occurrences between"; its matcher (the same
 * one that fires schedules.maintenance, so the two read an expression alike) is asked about
 * candidate minutes only: the walk goes by quarter hour, and only minutes whose local hour and
 * minute are in the expression are matched (~20 µs each), so a week of a daily expression
 * costs a few hundred calendar look-ups and seven matches.
 */
import cron from 'node-cron';
import { cronProblem } from '../schedules/cron-scheduler.js';
import type { LocalTime } from './local-time.js';
import { QUARTER_MS, quarterStart } from './quarter-hours.js';

const MIN = 60_000;

/** Epoch ms at which `expression` fires in [from, to), oldest first. */
export function cronOccurrences(expression: string, from: number, to: number, local: LocalTime): number[] {
  const problem = cronProblem(expression);
  if (problem) throw new RangeError(problem);
  const fields = cron.parse(expression);
  const zone = local.cronZone();
  // Created, never started: it only lends its matcher; destroy() drops it from node-cron's registry.
  const probe = cron.createTask(expression, () => undefined, zone !== undefined ? { timezone: zone } : {});
  const out: number[] = [];
  try {
    for (let q = quarterStart(from); q < to; q += QUARTER_MS) {
      const p = local.parts(q);
      for (let m = 0; m < 15; m++) {
        // p.minute is a multiple of 15 in every zone in use; the roll-over keeps an odd offset correct too.
        const minute = (p.minute + m) % 60;
        const hour = p.minute + m >= 60 ? (p.hour + 1) % 24 : p.hour;
        if (!fields.hour.includes(hour) || !fields.minute.includes(minute)) continue;
        for (const s of fields.second) {
          const t = q + m * MIN + s * 1000;
          if (t >= from && t < to && probe.match(new Date(t))) out.push(t);
        }
      }
    }
  } finally {
    void probe.destroy();
  }
  return out.sort((a, b) => a - b);
}
