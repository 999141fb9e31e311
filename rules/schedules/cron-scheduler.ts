/**
 * node-cron behind a small interface, so the schedules can be tested by firing jobs directly
 * (DESIGN principle 6: hardware — and the wall clock — behind small interfaces).
 *
 * Expressions are node-cron 4 syntax: 5 fields (minute hour day-of-month month day-of-week) or 6
 * with seconds first, in the gateway's local time zone unless a zone is given.
 */
import cron from 'node-cron';

export interface CronJob {
  stop(): void;
}

export interface CronScheduler {
  /** Calls `run` at every time the expression matches. Throws when the expression is invalid. */
  schedule(expression: string, run: () => void): CronJob;
  /**
   * The latest time at or before `at` (to the second) when the expression matched, looking back
   * no further than `withinMs`; null when there was none. node-cron has no "previous run", so a
   * window that began before a restart is found by walking back over the candidate minutes.
   */
  lastMatch(expression: string, at: Date, withinMs: number): Date | null;
}

/** Why an expression is not a valid node-cron expression, or undefined (for config validation too). */
export function cronProblem(expression: string): string | undefined {
  const { valid, errors } = cron.validateDetailed(expression);
  if (valid) return undefined;
  return `${JSON.stringify(expression)} is not a cron expression: ${errors.map((e) => e.message).join('; ') || 'invalid'}`;
}

export interface NodeCronSchedulerOptions {
  /** IANA zone (e.g. "Asia/Shanghai"); default the gateway's local zone. */
  timezone?: string;
  /** Where node-cron's own messages (a missed execution after a blocked loop) go. */
  logger?: { warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
}

export class NodeCronScheduler implements CronScheduler {
  constructor(private readonly opts: NodeCronSchedulerOptions = {}) {}

  schedule(expression: string, run: () => void): CronJob {
    const problem = cronProblem(expression);
    if (problem) throw new Error(problem);
    const log = this.opts.logger;
    const task = cron.schedule(expression, () => run(), {
      ...(this.opts.timezone !== undefined ? { timezone: this.opts.timezone } : {}),
      ...(log
        ? {
            logger: {
              info: () => undefined,
              debug: () => undefined,
              warn: (m: string) => log.warn({ component: 'cron', expression }, m),
              error: (m: string | Error) => log.error({ component: 'cron', expression, err: m }, 'cron job failed'),
            },
          }
        : {}),
    });
    // destroy() also drops the task from node-cron's registry (stop() alone would keep it there).
    return { stop: () => void task.destroy() };
  }

  lastMatch(expression: string, at: Date, withinMs: number): Date | null {
    return lastMatch(expression, at, withinMs, this.opts.timezone);
  }
}

/**
 * See CronScheduler.lastMatch. With the local zone, minutes whose local hour and minute are not
 * in the expression are skipped with Date's own getters before asking node-cron, so a weekly
 * window costs a few node-cron matches instead of 10,080 (each formats a date: ~20 µs here, far
 * more on a Pi — and this runs while the gateway is already polling).
 */
export function lastMatch(expression: string, at: Date, withinMs: number, timezone?: string): Date | null {
  const fields = cron.parse(expression);
  // A task that is created but never started only lends its matcher; destroy() unregisters it.
  const probe = cron.createTask(expression, () => undefined, timezone !== undefined ? { timezone } : {});
  try {
    const seconds = [...fields.second].sort((a, b) => b - a);
    const earliest = at.getTime() - withinMs;
    const atSecond = Math.floor(at.getTime() / 1000) * 1000;
    for (let minute = Math.floor(atSecond / 60_000) * 60_000; minute + 59_000 >= earliest; minute -= 60_000) {
      if (timezone === undefined) {
        const d = new Date(minute);
        if (!fields.minute.includes(d.getMinutes()) || !fields.hour.includes(d.getHours())) continue;
      }
      for (const s of seconds) {
        const t = minute + s * 1000;
        if (t > atSecond || t < earliest) continue;
        if (probe.match(new Date(t))) return new Date(t);
      }
    }
    return null;
  } finally {
    void probe.destroy();
  }
}
