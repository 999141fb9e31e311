import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeTimersClock } from '../../drivers/modbus/fake-transport.js';
import { SchedulesSchema, type SchedulesConfig } from '../../gateway/config/safety-schema.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import type { AlarmEngineView } from '../engine/types.js';
import type { Actor, AlarmCommand, AlarmSnapshot, AlarmState, AlarmTransition, CommandResult } from '../model.js';
import type { Priority } from '../definitions/schema.js';
import { cronProblem, lastMatch, type CronJob, type CronScheduler } from './cron-scheduler.js';
import { Schedules, type SchedulesOptions } from './schedules.js';

const MONDAY_0900 = Date.UTC(2026, 10, 23, 9, 0, 0); // 2026-11-23 is a Monday
const MINUTE = 60_000;

/** Jobs a test fires by hand; matching (for windows already under way) is node-cron's, in UTC. */
class FakeScheduler implements CronScheduler {
  readonly jobs: { expression: string; run: () => void; stopped: boolean }[] = [];
  schedule(expression: string, run: () => void): CronJob {
    const problem = cronProblem(expression);
    if (problem) throw new Error(problem);
    const job = { expression, run, stopped: false };
    this.jobs.push(job);
    return { stop: () => void (job.stopped = true) };
  }
  lastMatch(expression: string, at: Date, withinMs: number): Date | null {
    return lastMatch(expression, at, withinMs, 'UTC');
  }
  fire(expression: string): void {
    for (const j of this.jobs.filter((x) => x.expression === expression && !x.stopped)) j.run();
  }
}

/** Just enough of the engine: states, suppress/unsuppress as the transition table would answer them, transitions. */
class FakeEngine implements Pick<AlarmEngineView, 'snapshot' | 'command' | 'onTransition'> {
  readonly commands: string[] = [];
  private readonly alarms = new Map<string, { state: AlarmState; priority: Priority; before?: AlarmState }>();
  private readonly listeners: ((t: AlarmTransition) => void)[] = [];
  constructor(ids: Record<string, AlarmState>) {
    for (const [id, state] of Object.entries(ids)) this.alarms.set(id, { state, priority: 'high' });
  }
  snapshot(): AlarmSnapshot[] {
    return [...this.alarms].map(([id, a]) => {
      const active = a.state === 'unacknowledged' || a.state === 'acknowledged';
      // ids ending in "calibration_due" stand for process-class reminders (no sounder or strobe shows them)
      const cls = id.endsWith('calibration_due') ? 'process' : 'gas';
      return { id, name: id, description: id, kind: 'high', priority: a.priority, colour: 'orange', class: cls, latch: true, state: a.state, conditionActive: active, latchPending: false, annunciating: active || a.state === 'latched' || a.state === 'rtn-unacknowledged', shelvedUntil: null, occurrence: null };
    });
  }
  command(cmd: AlarmCommand): CommandResult {
    const a = this.alarms.get(cmd.alarmId);
    if (!a) return { ok: false, refusal: 'unknown-alarm', message: `no alarm ${cmd.alarmId}` };
    const refuse = (): CommandResult => ({ ok: false, refusal: 'not-applicable', message: `${cmd.action} does not apply to ${cmd.alarmId} (${a.state})`, state: a.state });
    if (cmd.action === 'suppress') {
      if (a.state === 'suppressed' || a.state === 'out-of-service') return refuse();
      a.before = a.state;
      a.state = 'suppressed';
    } else if (cmd.action === 'unsuppress') {
      if (a.state !== 'suppressed') return refuse();
      a.state = a.before ?? 'normal';
    } else return refuse();
    this.commands.push(`${cmd.action} ${cmd.alarmId} by ${cmd.actor.kind}:${cmd.actor.name}`);
    return { ok: true, transition: {} as AlarmTransition };
  }
  onTransition(l: (t: AlarmTransition) => void): void {
    this.listeners.push(l);
  }
  state(id: string): AlarmState | undefined {
    return this.alarms.get(id)?.state;
  }
  set(id: string, state: AlarmState): void {
    this.alarms.get(id)!.state = state;
  }
  activate(id: string, priority: Priority): void {
    for (const l of this.listeners) l({ alarmId: id, priority, event: 'activate' } as AlarmTransition);
  }
}

const ALARMS: Record<string, AlarmState> = {
  'gas-1/gas_high': 'normal',
  'gas-1/gas_high_high': 'normal',
  'gas-1/comm_fault': 'normal',
  'gas-2/gas_high': 'normal',
  'efm-1/leakage': 'out-of-service',
};

const WEEKLY = '0 9 * * 1';

function setup(cfg: unknown, over: Partial<SchedulesOptions> = {}, alarms = ALARMS) {
  const engine = new FakeEngine(alarms);
  const scheduler = new FakeScheduler();
  const journal: JournalEntry[] = [];
  const selfTests: { durationMs: number; actor: Actor }[] = [];
  let trusted = true;
  const clock = { ...fakeTimersClock(), isTrusted: () => trusted };
  const schedules = new Schedules(SchedulesSchema.parse(cfg) as SchedulesConfig, {
    engine,
    scheduler,
    clock,
    journal: (e) => journal.push(e),
    selfTest: (durationMs, actor) => void selfTests.push({ durationMs, actor }),
    ...over,
  });
  const events = () => journal.map((e) => `${e.subject} ${e.event.type} ${e.event.severity}`);
  return { engine, scheduler, journal, events, selfTests, schedules, untrust: () => (trusted = false) };
}

const calibration = (over: object = {}) => ({ maintenance: [{ name: 'weekly-calibration', description: 'Monday gas detector calibration', cron: WEEKLY, durationMinutes: 60, alarms: ['gas-1/*', 'gas-2/gas_high'], ...over }] });

beforeEach(() => {
  vi.useFakeTimers({ now: MONDAY_0900 - 5 * MINUTE });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('maintenance windows', () => {
  it('suppress the listed alarms (ids and <device>/*) at the start, with the schedule as actor, and unsuppress them after the duration', async () => {
    const { engine, scheduler, journal, events, schedules } = setup(calibration());
    schedules.start();
    expect(engine.commands).toEqual([]);
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    scheduler.fire(WEEKLY);
    expect(engine.commands).toEqual([
      'suppress gas-1/gas_high by schedule:weekly-calibration',
      'suppress gas-1/gas_high_high by schedule:weekly-calibration',
      'suppress gas-1/comm_fault by schedule:weekly-calibration',
      'suppress gas-2/gas_high by schedule:weekly-calibration',
    ]);
    expect(events()).toEqual(['schedule:weekly-calibration schedule.window-opened info']);
    expect(journal[0]!.event.message).toBe('maintenance window weekly-calibration open until 2026-11-23T10:00:00.000Z: 4 alarm(s) suppressed');
    expect(schedules.status().maintenance[0]).toMatchObject({ open: true, openedTs: MONDAY_0900, closesTs: MONDAY_0900 + 60 * MINUTE });

    await vi.advanceTimersByTimeAsync(60 * MINUTE - 1);
    expect(engine.state('gas-1/gas_high')).toBe('suppressed');
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.commands.slice(4)).toEqual([
      'unsuppress gas-1/gas_high by schedule:weekly-calibration',
      'unsuppress gas-1/gas_high_high by schedule:weekly-calibration',
      'unsuppress gas-1/comm_fault by schedule:weekly-calibration',
      'unsuppress gas-2/gas_high by schedule:weekly-calibration',
    ]);
    expect(events()[1]).toBe('schedule:weekly-calibration schedule.window-closed info');
    expect(schedules.status().maintenance[0]).toMatchObject({ open: false, suppressed: [] });
  });

  it('leave an out-of-service alarm as it was, and keep an alarm two windows share until the last one closes', async () => {
    const cfg = {
      maintenance: [
        { name: 'gas-1-service', description: 'gas-1 service', cron: WEEKLY, durationMinutes: 30, alarms: ['gas-1/gas_high', 'efm-1/leakage'] },
        { name: 'line-work', description: 'line work', cron: '0 9 * * *', durationMinutes: 60, alarms: ['gas-1/gas_high'] },
      ],
    };
    const { engine, scheduler, journal, schedules } = setup(cfg);
    schedules.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    scheduler.fire(WEEKLY);
    scheduler.fire('0 9 * * *');
    expect(journal[0]!.event.data).toMatchObject({ suppressed: ['gas-1/gas_high'], refused: [{ id: 'efm-1/leakage', reason: 'suppress does not apply to efm-1/leakage (out-of-service)' }] });
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(engine.state('gas-1/gas_high')).toBe('suppressed'); // line-work still holds it
    expect(engine.state('efm-1/leakage')).toBe('out-of-service');
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(engine.state('gas-1/gas_high')).toBe('normal');
    expect(engine.commands.filter((c) => c.startsWith('unsuppress'))).toEqual(['unsuppress gas-1/gas_high by schedule:line-work']);
  });

  it('are not opened on a wall clock the gateway cannot trust, and say so', async () => {
    const { engine, scheduler, journal, schedules, untrust } = setup(calibration());
    schedules.start();
    untrust();
    scheduler.fire(WEEKLY);
    expect(engine.commands).toEqual([]);
    expect(journal.map((e) => [e.event.type, e.event.severity])).toEqual([['schedule.window-skipped', 'warning']]);
    expect(journal[0]!.event.message).toMatch(/not opened: the wall clock is not trusted/);
  });

  it('a gateway starting inside a window opens it for the time that is left; its persisted suppressions are kept', async () => {
    vi.setSystemTime(MONDAY_0900 + 30 * MINUTE);
    const { engine, journal, schedules } = setup(calibration(), {}, { ...ALARMS, 'gas-1/gas_high': 'suppressed' });
    schedules.start();
    expect(engine.state('gas-1/gas_high')).toBe('suppressed');
    expect(engine.state('gas-2/gas_high')).toBe('suppressed');
    expect(journal[0]!.event.message).toBe(
      'maintenance window weekly-calibration open until 2026-11-23T10:00:00.000Z (started 2026-11-23T09:00:00.000Z, before this start-up): 4 alarm(s) suppressed',
    );
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(Object.keys(ALARMS).map((id) => engine.state(id))).toEqual(['normal', 'normal', 'normal', 'normal', 'out-of-service']);
  });

  it('a gateway starting after a window ended unsuppresses what it left suppressed', () => {
    vi.setSystemTime(MONDAY_0900 + 90 * MINUTE);
    const { engine, journal, schedules } = setup(calibration(), {}, { ...ALARMS, 'gas-1/gas_high': 'suppressed', 'gas-2/gas_high': 'suppressed' });
    schedules.start();
    expect(engine.state('gas-1/gas_high')).toBe('normal');
    expect(engine.state('gas-2/gas_high')).toBe('normal');
    expect(journal.map((e) => `${e.subject} ${e.event.message}`)).toEqual([
      'schedule:start-up maintenance windows at start-up: 2 alarm(s) left suppressed with no window open were unsuppressed (gas-1/gas_high, gas-2/gas_high)',
    ]);
  });

  it('a gateway starting on an untrusted clock takes no window as open: suppressed alarms are shown again', () => {
    vi.setSystemTime(MONDAY_0900 + 30 * MINUTE);
    const { engine, journal, schedules, untrust } = setup(calibration(), {}, { ...ALARMS, 'gas-1/gas_high': 'suppressed' });
    untrust();
    schedules.start();
    expect(engine.state('gas-1/gas_high')).toBe('normal');
    expect(journal.map((e) => e.event.message)).toEqual([
      'maintenance windows at start-up: 1 alarm(s) left suppressed while the wall clock is not trusted (no window is taken as open) were unsuppressed (gas-1/gas_high)',
    ]);
  });

  it('stop() ends the jobs and leaves the suppressions for the next start to reconcile', async () => {
    const { engine, scheduler, schedules } = setup(calibration());
    schedules.start();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    scheduler.fire(WEEKLY);
    schedules.stop();
    expect(scheduler.jobs.every((j) => j.stopped)).toBe(true);
    await vi.advanceTimersByTimeAsync(120 * MINUTE);
    expect(engine.state('gas-1/gas_high')).toBe('suppressed');
  });
});

describe('self-test', () => {
  const cfg = { selfTest: { cron: '0 10 * * 1', durationMs: 2_000 } };

  it('runs the outputs test with the schedule as actor, journaled', async () => {
    const { scheduler, selfTests, events, schedules } = setup(cfg);
    schedules.start();
    scheduler.fire('0 10 * * 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(selfTests).toEqual([{ durationMs: 2_000, actor: { kind: 'schedule', name: 'self-test' } }]);
    expect(events()).toEqual(['schedule:self-test schedule.self-test info']);
    expect(schedules.status().selfTest).toMatchObject({ lastResult: 'ok' });
  });

  it('a failing test is a fault event', async () => {
    const { scheduler, journal, schedules } = setup(cfg, {
      selfTest: async () => {
        throw new Error('gpiochip0 line 17: busy');
      },
    });
    schedules.start();
    scheduler.fire('0 10 * * 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(journal.at(-1)!.event).toMatchObject({ type: 'schedule.self-test-failed', severity: 'fault', message: 'self-test FAILED: gpiochip0 line 17: busy; the local sounders and strobes are not proven' });
  });

  it('is skipped while an alarm annunciates, so it cannot mask or cut a real alarm’s pattern', async () => {
    const { engine, scheduler, selfTests, journal, schedules } = setup(cfg);
    engine.set('gas-2/gas_high', 'unacknowledged');
    schedules.start();
    scheduler.fire('0 10 * * 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(selfTests).toEqual([]);
    expect(journal[0]!.event).toMatchObject({ type: 'schedule.self-test-skipped', message: 'self-test skipped: 1 alarm(s) annunciating (gas-2/gas_high)' });
  });

  it('is not held off by a process-class reminder (calibration due) that no sounder or strobe shows', async () => {
    const { scheduler, selfTests, schedules } = setup(cfg, {}, { ...ALARMS, 'gas-1/calibration_due': 'acknowledged' });
    schedules.start();
    scheduler.fire('0 10 * * 1');
    await vi.advanceTimersByTimeAsync(0);
    expect(selfTests).toHaveLength(1);
  });
});

describe('daily summary', () => {
  it('counts activations by priority since the last summary, the states now, and adds the lead’s figures', async () => {
    const { engine, scheduler, journal, schedules } = setup({ dailySummary: {} }, { summary: async () => ({ floods: 1, chattering: ['gas-1/gas_high'] }) });
    schedules.start();
    engine.activate('gas-1/gas_high', 'high');
    engine.activate('gas-1/gas_high_high', 'critical');
    engine.activate('gas-1/gas_high', 'high');
    engine.set('gas-1/gas_high', 'latched');
    engine.set('gas-2/gas_high', 'suppressed');
    scheduler.fire('0 8 * * *');
    await vi.advanceTimersByTimeAsync(0);
    const e = journal.at(-1)!;
    expect(e.subject).toBe('schedule:daily-summary');
    expect(e.event.message).toBe(
      'daily summary: 3 alarm activation(s) since 2026-11-23T08:55:00.000Z (1 critical, 2 high); now 0 active, 0 unacknowledged, 1 latched, 0 shelved, 1 suppressed, 1 out of service (of 5)',
    );
    expect(e.event.data).toMatchObject({ activations: { total: 3, byPriority: { critical: 1, high: 2, medium: 0, low: 0 } }, now: { latched: 1, suppressed: 1, outOfService: 1 }, floods: 1, chattering: ['gas-1/gas_high'] });

    // The next summary counts from this one.
    await vi.advanceTimersByTimeAsync(MINUTE);
    scheduler.fire('0 8 * * *');
    await vi.advanceTimersByTimeAsync(0);
    expect(journal.at(-1)!.event.data).toMatchObject({ activations: { total: 0, since: MONDAY_0900 - 5 * MINUTE } });
  });

  it('still reports when the lead’s figures fail, saying why', async () => {
    const { scheduler, journal, schedules } = setup({ dailySummary: { cron: '30 7 * * *' } }, {
      summary: () => {
        throw new Error('journal unreadable');
      },
    });
    schedules.start();
    scheduler.fire('30 7 * * *');
    await vi.advanceTimersByTimeAsync(0);
    expect(journal.at(-1)!.event.data).toMatchObject({ summaryError: 'journal unreadable', activations: { total: 0 } });
  });
});

describe('construction', () => {
  it('refuses bad expressions, unknown alarms and devices, and a self-test with no outputs — all at once', () => {
    const cfg = {
      maintenance: [
        { name: 'a', description: 'a', cron: '61 9 * * 1', durationMinutes: 10, alarms: ['gas-9/gas_high', 'gas-1/gas_high'] },
        { name: 'b', description: 'b', cron: WEEKLY, durationMinutes: 10, alarms: ['pump-3/*'] },
      ],
      selfTest: { cron: 'weekly' },
      dailySummary: {},
    };
    expect(() => setup(cfg, { selfTest: undefined })).toThrow(
      [
        'schedules.maintenance[0].cron: "61 9 * * 1" is not a cron expression: 61 is a invalid expression for minute',
        'schedules.maintenance[0].alarms[0]: no alarm "gas-9/gas_high" (window a)',
        'schedules.maintenance[1].alarms[0]: no alarm matches "pump-3/*" (window b)',
        'schedules.selfTest.cron: "weekly" is not a cron expression: expected 5 or 6 fields but got 1',
        'schedules.selfTest: this gateway has no outputs to test (no `outputs` section)',
      ].join('\n'),
    );
  });
});
