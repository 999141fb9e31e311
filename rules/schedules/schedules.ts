/**
 * The site file's `schedules`: maintenance windows (maintenance-windows.ts), the periodic
 * sounder/strobe self-test and the daily summary event, each on a node-cron expression, each
 * journaled under "schedule:<name>" with the schedule as the actor.
 *
 * Nothing here is on the alarm path; a job that fails is journaled (a failed self-test is a
 * fault: the duty staff must know their sounder was not proven) and the other jobs carry on.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import type { SchedulesConfig } from '../../gateway/config/safety-schema.js';
import { VigilError } from '../../gateway/errors.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import type { AlarmEngineView } from '../engine/types.js';
import type { Actor } from '../model.js';
import { cronProblem, type CronJob, type CronScheduler } from './cron-scheduler.js';
import { ActivationCounter, currentCounts, summaryMessage } from './daily-summary.js';
import { scheduleEntry } from './journal.js';
import { MaintenanceWindows, type MaintenanceWindowStatus } from './maintenance-windows.js';

export interface SchedulesLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SchedulesOptions {
  engine: Pick<AlarmEngineView, 'snapshot' | 'command' | 'onTransition'>;
  scheduler: CronScheduler;
  clock: Clock;
  /** Journal entries to commit (Store.commitAlarms); called synchronously, must not block. */
  journal(entry: JournalEntry): void;
  /** Switches every sounder/strobe/lamp on for durationMs and back (the annunciator). Required with `selfTest`. */
  selfTest?(durationMs: number, actor: Actor): void | Promise<void>;
  /** Figures for the daily summary only the lead has (24 h from the journal, floods, chattering …); merged into its data. */
  summary?(): Record<string, unknown> | Promise<Record<string, unknown>>;
  logger?: SchedulesLogger;
}

export interface SchedulesStatus {
  maintenance: MaintenanceWindowStatus[];
  selfTest: { cron: string; durationMs: number; lastTs: number | null; lastResult: string | null } | null;
  dailySummary: { cron: string; lastTs: number | null } | null;
}

const SELF_TEST: Actor = { kind: 'schedule', name: 'self-test' };

export class Schedules {
  private readonly windows: MaintenanceWindows;
  private readonly activations: ActivationCounter;
  private readonly jobs: CronJob[] = [];
  private selfTestLast: { ts: number; result: string } | null = null;
  private summaryLastTs: number | null = null;
  private running = false;

  /** Refuses (CONFIG_INVALID, every problem with its path) a bad cron expression, an unknown alarm, a self-test with nothing to run it. */
  constructor(
    private readonly cfg: SchedulesConfig,
    private readonly opts: SchedulesOptions,
  ) {
    const problems: string[] = [];
    const cron = (path: string, expr: string): void => {
      const p = cronProblem(expr);
      if (p) problems.push(`${path}: ${p}`);
    };
    const maintenance = cfg.maintenance ?? [];
    maintenance.forEach((w, i) => cron(`schedules.maintenance[${i}].cron`, w.cron));
    const names = maintenance.map((w) => w.name);
    names.forEach((n, i) => names.indexOf(n) !== i && problems.push(`schedules.maintenance[${i}].name: "${n}" is used by another window`));
    problems.push(...MaintenanceWindows.problems(maintenance, opts.engine.snapshot().map((a) => a.id)));
    if (cfg.selfTest) {
      cron('schedules.selfTest.cron', cfg.selfTest.cron);
      if (!opts.selfTest) problems.push('schedules.selfTest: this gateway has no outputs to test (no `outputs` section)');
    }
    if (cfg.dailySummary) cron('schedules.dailySummary.cron', cfg.dailySummary.cron);
    if (problems.length > 0) throw new VigilError('CONFIG_INVALID', problems.join('\n'), { problems });

    const journal = this.journal.bind(this);
    this.windows = new MaintenanceWindows(maintenance, { engine: opts.engine, scheduler: opts.scheduler, clock: opts.clock, journal });
    this.activations = new ActivationCounter(opts.clock.now());
    if (cfg.dailySummary) opts.engine.onTransition((t) => this.activations.note(t));
  }

  /** Schedules every job, and reconciles/opens the maintenance windows for the present moment. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const { scheduler } = this.opts;
    this.guard('maintenance start-up', () => this.windows.start());
    for (const w of this.cfg.maintenance ?? []) this.jobs.push(scheduler.schedule(w.cron, () => this.guard(`maintenance window ${w.name}`, () => this.windows.fire(w.name))));
    if (this.cfg.selfTest) this.jobs.push(scheduler.schedule(this.cfg.selfTest.cron, () => void this.runSelfTest()));
    if (this.cfg.dailySummary) this.jobs.push(scheduler.schedule(this.cfg.dailySummary.cron, () => void this.runDailySummary()));
  }

  /** Stops every job. Open windows' suppressions stay with the alarms (persisted); start() reconciles them. */
  stop(): void {
    this.running = false;
    for (const job of this.jobs.splice(0)) job.stop();
    this.windows.stop();
  }

  status(): SchedulesStatus {
    return {
      maintenance: this.windows.status(),
      selfTest: this.cfg.selfTest ? { cron: this.cfg.selfTest.cron, durationMs: this.cfg.selfTest.durationMs, lastTs: this.selfTestLast?.ts ?? null, lastResult: this.selfTestLast?.result ?? null } : null,
      dailySummary: this.cfg.dailySummary ? { cron: this.cfg.dailySummary.cron, lastTs: this.summaryLastTs } : null,
    };
  }

  /**
   * The periodic self-test: every sounder, strobe and lamp on for `durationMs`. Skipped while an
   * alarm (other than a process-class one) is annunciating — a test pattern must not mask or interrupt a real alarm's pattern
   * (fire, gas and fault patterns are distinct, GB 16808) — and journaled either way.
   */
  async runSelfTest(actor: Actor = SELF_TEST): Promise<void> {
    const cfg = this.cfg.selfTest;
    if (!cfg || !this.opts.selfTest) return;
    const now = this.opts.clock.now();
    // Process-class alarms (a calibration reminder) show on no sounder or strobe by default, so they
    // do not hold the self-test off; everything an output would show does.
    const annunciating = this.opts.engine.snapshot().filter((a) => a.annunciating && a.class !== 'process').map((a) => a.id);
    if (annunciating.length > 0) {
      this.selfTestLast = { ts: now, result: 'skipped' };
      this.journal(scheduleEntry(this.opts.clock, 'self-test', 'schedule.self-test-skipped', 'info', `self-test skipped: ${annunciating.length} alarm(s) annunciating (${annunciating.join(', ')})`, { annunciating }));
      return;
    }
    this.journal(scheduleEntry(this.opts.clock, 'self-test', 'schedule.self-test', 'info', `self-test: every sounder, strobe and lamp on for ${cfg.durationMs} ms`, { durationMs: cfg.durationMs, actor }));
    try {
      await this.opts.selfTest(cfg.durationMs, actor);
      this.selfTestLast = { ts: now, result: 'ok' };
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      this.selfTestLast = { ts: now, result: `failed: ${why}` };
      this.journal(scheduleEntry(this.opts.clock, 'self-test', 'schedule.self-test-failed', 'fault', `self-test FAILED: ${why}; the local sounders and strobes are not proven`, { error: why, actor }));
    }
  }

  /** The daily summary event (info): activations since the last one, the alarms' states now, and the lead's figures. */
  async runDailySummary(): Promise<void> {
    const { clock, engine } = this.opts;
    const now = clock.now();
    const activations = this.activations.take(now);
    const counts = currentCounts(engine.snapshot());
    let extra: Record<string, unknown> = {};
    try {
      extra = (await this.opts.summary?.()) ?? {};
    } catch (e) {
      extra = { summaryError: e instanceof Error ? e.message : String(e) };
    }
    this.summaryLastTs = now;
    this.journal(scheduleEntry(clock, 'daily-summary', 'schedule.daily-summary', 'info', summaryMessage(activations, counts), { activations, now: counts, ...extra }));
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.opts.logger?.error({ component: 'schedules', err: e }, `${what} failed`);
    }
  }

  private journal(entry: JournalEntry): void {
    try {
      this.opts.journal(entry);
    } catch (e) {
      this.opts.logger?.error({ component: 'schedules', err: e, event: entry.event.type }, 'the schedules journal callback threw');
    }
  }
}
