import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InterlockSchema, type InterlockConfig } from '../../gateway/config/safety-schema.js';
import type { PointValue } from '../../gateway/readings.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import { fakeTimersClock } from '../../drivers/modbus/fake-transport.js';
import type { AlarmEngineView } from '../engine/types.js';
import type { AlarmSnapshot } from '../model.js';
import { InterlockController } from './interlock-controller.js';
import type { InterlockControllerOptions, InterlockStatus, PointIo, TripTiming } from './types.js';

const LATENCY = 20; // one bus transaction

/** The engine as the interlocks see it: conditions a test switches, listeners called synchronously. */
class FakeEngine implements Pick<AlarmEngineView, 'get' | 'onCondition'> {
  private readonly active = new Map<string, boolean>();
  private readonly listeners: ((id: string, active: boolean) => void)[] = [];
  constructor(ids: string[]) {
    for (const id of ids) this.active.set(id, false);
  }
  get(id: string): AlarmSnapshot | undefined {
    const active = this.active.get(id);
    if (active === undefined) return undefined;
    return { id, name: id, description: id, kind: 'high', priority: 'critical', colour: 'red', class: 'gas', latch: true, state: active ? 'unacknowledged' : 'normal', conditionActive: active, latchPending: active, annunciating: active, shelvedUntil: null, occurrence: null };
  }
  onCondition(l: (id: string, active: boolean) => void): void {
    this.listeners.push(l);
  }
  set(id: string, active: boolean): void {
    this.active.set(id, active);
    for (const l of this.listeners) l(id, active);
  }
}

/**
 * A valve controller on a bus: writes and reads take LATENCY of fake time; `obeys` false makes
 * it ignore writes (a jammed actuator); the feedback follows the command after `travelMs`.
 */
class FakeValve implements PointIo {
  values = new Map<string, PointValue>([
    ['valve/close_command', false],
    ['valve/closed_feedback', false],
  ]);
  obeys = true;
  travelMs = 0;
  writeFails: Error | null = null;
  writeThrows = false;
  hangs = false;
  readonly writes: { at: number; target: string; value: PointValue }[] = [];
  readonly reads: { at: number; target: string }[] = [];

  writePoint(device: string, point: string, value: number | boolean): Promise<void> {
    const target = `${device}/${point}`;
    if (this.writeThrows) throw new Error('writePoint exploded');
    this.writes.push({ at: Date.now(), target, value });
    if (this.hangs) return new Promise(() => undefined);
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        if (this.writeFails) return reject(this.writeFails);
        if (this.obeys) {
          this.values.set(target, value);
          if (point === 'close_command') setTimeout(() => this.values.set('valve/closed_feedback', value), this.travelMs);
        }
        resolve();
      }, LATENCY),
    );
  }

  readPoint(device: string, point: string): Promise<PointValue> {
    const target = `${device}/${point}`;
    this.reads.push({ at: Date.now(), target });
    return new Promise((resolve) => setTimeout(() => resolve(this.values.get(target) ?? null), LATENCY));
  }
}

const GAS_HH = 'gas-1/gas_high_high';
const VOTE = 'site/two_of_three';

function config(over: Partial<InterlockConfig> = {}): InterlockConfig {
  return InterlockSchema.parse({
    name: 'close-gas-valve',
    description: 'Close the kitchen gas valve on a 2nd-level alarm',
    when: [GAS_HH, VOTE],
    actions: [{ write: { device: 'valve', point: 'close_command', value: true } }],
    ...over,
  });
}

function setup(cfgs: InterlockConfig[] = [config()], over: Partial<InterlockControllerOptions> = {}) {
  const engine = new FakeEngine([GAS_HH, VOTE, 'gas-2/gas_high_high']);
  const valve = new FakeValve();
  const journal: JournalEntry[] = [];
  const timings: TripTiming[] = [];
  const states: InterlockStatus[] = [];
  const relays: { name: string; on: boolean }[] = [];
  const controller = new InterlockController(cfgs, {
    engine,
    io: valve,
    setRelay: (name, on) => (relays.push({ name, on }), true),
    outputNames: ['exhaust-fan', 'sounder'],
    clock: fakeTimersClock(),
    journal: (e) => journal.push(e),
    onTiming: (t) => timings.push(t),
    onStateChange: (s) => states.push(s),
    ...over,
  });
  const events = () => journal.map((e) => `${e.event.type} ${e.event.severity} ${String(e.event.data?.['state'])}`);
  return { engine, valve, journal, events, timings, states, relays, controller };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('trip', () => {
  it('issues the write in the same turn as the condition change, then confirms it by read-back', async () => {
    const { engine, valve, controller, events, timings, journal } = setup();
    controller.start();
    engine.set(GAS_HH, true);
    // No await, no timer: the write is already on its way.
    expect(valve.writes).toEqual([{ at: 1_000_000, target: 'valve/close_command', value: true }]);
    expect(controller.get('close-gas-valve')?.state).toBe('tripping');
    expect(events()).toEqual(['interlock.tripped alarm tripping']);
    expect(journal[0]?.subject).toBe('interlock:close-gas-valve');
    expect(journal[0]?.event.message).toBe(`interlock close-gas-valve tripped by ${GAS_HH}: write valve/close_command := true`);

    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(valve.reads.map((r) => r.target)).toEqual(['valve/close_command']);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'tripped', trippedBy: GAS_HH, lastError: null });
    expect(events()).toEqual(['interlock.tripped alarm tripping', 'interlock.confirmed info tripped']);
    expect(timings).toEqual([{ interlock: 'close-gas-valve', trigger: GAS_HH, trippedAt: 1_000_000, issuedAt: 1_000_000, confirmedAt: 1_000_000 + 2 * LATENCY, attempts: 1 }]);
  });

  it('trips on a vote alarm like on any other trigger, and every interlock on the trigger acts', async () => {
    const fan = config({ name: 'start-fan', actions: [{ output: { name: 'exhaust-fan', value: 'on', releaseOnReset: false } }] });
    const { engine, valve, relays, controller } = setup([config(), fan]);
    controller.start();
    engine.set(VOTE, true);
    expect(valve.writes).toHaveLength(1);
    expect(relays).toEqual([{ name: 'exhaust-fan', on: true }]);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(controller.status().map((s) => [s.name, s.state, s.trippedBy])).toEqual([
      ['close-gas-valve', 'tripped', VOTE],
      ['start-fan', 'tripped', VOTE],
    ]);
  });

  it('does nothing when a trigger clears, and re-asserts the actions when it activates again', async () => {
    const { engine, valve, controller } = setup();
    controller.start();
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    engine.set(GAS_HH, false);
    expect(controller.get('close-gas-valve')?.state).toBe('tripped');
    valve.values.set('valve/close_command', false); // someone opened it by hand without a reset
    engine.set(GAS_HH, true);
    expect(valve.writes).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(valve.values.get('valve/close_command')).toBe(true);
  });

  it('ignores triggers before start(), then trips at start() when a condition is already active', () => {
    const { engine, valve, controller } = setup();
    engine.set(GAS_HH, true);
    expect(valve.writes).toHaveLength(0);
    controller.start();
    expect(valve.writes).toHaveLength(1);
    expect(controller.get('close-gas-valve')?.trippedBy).toBe(GAS_HH);
  });
});

describe('confirmation, retry and failure', () => {
  it('retries a read-back mismatch after 200, 400, 800 ms, then fails with a fault event — and keeps retrying every 5 s', async () => {
    const { engine, valve, controller, events, journal, states, timings } = setup();
    controller.start();
    valve.obeys = false; // a jammed actuator: the command never takes
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(10_000);
    const t0 = 1_000_000;
    const attempt = 2 * LATENCY; // write + read-back
    expect(valve.writes.slice(0, 4).map((w) => w.at - t0)).toEqual([0, attempt + 200, 2 * attempt + 600, 3 * attempt + 1400]);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'failed', lastError: 'read-back of valve/close_command gave false, expected true' });
    expect(events()).toEqual(['interlock.tripped alarm tripping', 'interlock.failed fault failed']);
    const failed = journal[1]!.event;
    expect(failed.message).toBe(
      'interlock close-gas-valve FAILED: write valve/close_command := true not confirmed after 4 attempts (last: read-back of valve/close_command gave false, expected true); retrying every 5 s',
    );
    expect(failed.data?.['errors']).toHaveLength(4);
    expect(states.map((s) => s.state)).toContain('failed');
    expect(timings).toEqual([expect.objectContaining({ confirmedAt: null, attempts: 4 })]);

    // Failed is not forgotten: another attempt every 5 s, quietly (no journal flood).
    const before = valve.writes.length;
    await vi.advanceTimersByTimeAsync(15_000);
    expect(valve.writes.length - before).toBe(3);
    expect(events()).toHaveLength(2);

    // The actuator is freed: the next attempt confirms and the fault clears.
    valve.obeys = true;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'tripped', lastError: null });
    expect(events()[2]).toBe('interlock.confirmed info tripped');
    expect(journal[2]!.event.message).toMatch(/the interlock fault has cleared/);
  });

  it('retries a write the bus refused, naming the device, point and error', async () => {
    const { engine, valve, controller } = setup([config({ retries: 1 })]);
    controller.start();
    valve.writeFails = new Error('bus rs485-1 unit 7 FC15 coil 0+1: COMM_TIMEOUT');
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(LATENCY + 200 + LATENCY);
    expect(valve.writes).toHaveLength(2);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'failed', lastError: 'write valve/close_command := true failed: bus rs485-1 unit 7 FC15 coil 0+1: COMM_TIMEOUT' });
  });

  it('confirms through a feedback point polled until the actuator has travelled', async () => {
    const cfg = config({ confirm: { device: 'valve', point: 'closed_feedback', value: true, withinMs: 3_000 } });
    const { engine, valve, controller, timings } = setup([cfg]);
    controller.start();
    valve.travelMs = 1_200;
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(controller.get('close-gas-valve')?.state).toBe('tripping');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(controller.get('close-gas-valve')?.state).toBe('tripped');
    // The written point itself is not read back: the limit switch says more than the coil.
    expect(new Set(valve.reads.map((r) => r.target))).toEqual(new Set(['valve/closed_feedback']));
    // Reads every 250 ms (+ bus time) from when the write was acknowledged, until the switch closed.
    const confirmedAfter = timings[0]!.confirmedAt! - timings[0]!.trippedAt;
    expect(confirmedAfter).toBeGreaterThanOrEqual(LATENCY + 1_200);
    expect(confirmedAfter).toBeLessThanOrEqual(LATENCY + 1_200 + 250 + 2 * LATENCY);
  });

  it('fails an attempt whose feedback does not arrive within withinMs', async () => {
    const cfg = config({ retries: 0, confirm: { device: 'valve', point: 'closed_feedback', value: true, withinMs: 1_000 } });
    const { engine, valve, controller } = setup([cfg]);
    controller.start();
    valve.travelMs = 60_000; // a broken limit switch
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(900);
    expect(controller.get('close-gas-valve')?.state).toBe('tripping');
    await vi.advanceTimersByTimeAsync(400);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'failed', lastError: 'feedback valve/closed_feedback did not show true within 1000 ms (last: false)' });
  });

  it('counts an attempt that never settles as failed', async () => {
    const { engine, valve, controller } = setup([config({ retries: 0 })], { policy: { attemptTimeoutMs: 4_000 } });
    controller.start();
    valve.hangs = true;
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(3_999);
    expect(controller.get('close-gas-valve')?.state).toBe('tripping');
    await vi.advanceTimersByTimeAsync(1);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'failed', lastError: 'the attempt did not settle within 4000 ms' });
  });

  it('fails an output action the driver refuses', async () => {
    const fan = config({ name: 'start-fan', retries: 0, actions: [{ output: { name: 'exhaust-fan', value: 'on', releaseOnReset: false } }] });
    const { engine, controller } = setup([fan], { setRelay: () => false });
    controller.start();
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.get('start-fan')).toMatchObject({ state: 'failed', lastError: 'output exhaust-fan could not be switched on (the output driver refused)' });
  });

  it('never throws out of the controller: a throwing writePoint, journal or listener is the interlock’s failure only', async () => {
    const { engine, valve, controller } = setup([config({ retries: 0 })], {
      journal: () => {
        throw new Error('disk full');
      },
      onStateChange: () => {
        throw new Error('listener bug');
      },
      onTiming: () => {
        throw new Error('listener bug');
      },
    });
    controller.start();
    valve.writeThrows = true;
    expect(() => engine.set(GAS_HH, true)).not.toThrow();
    await vi.advanceTimersByTimeAsync(0);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'failed', lastError: 'write valve/close_command := true failed: writePoint exploded' });
    valve.writeThrows = false;
    await vi.advanceTimersByTimeAsync(5_000 + 2 * LATENCY);
    expect(controller.get('close-gas-valve')?.state).toBe('tripped');
  });
});

describe('reset', () => {
  it('is refused while a trigger is still active, naming it; accepted once clear — and the valve stays closed', async () => {
    const { engine, valve, controller, journal } = setup();
    controller.start();
    engine.set(GAS_HH, true);
    engine.set(VOTE, true);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    const alice = { kind: 'api', name: 'alice' } as const;
    expect(controller.reset('close-gas-valve', alice)).toEqual({
      ok: false,
      refusal: 'condition-present',
      message: `interlock close-gas-valve cannot be reset: its trigger conditions are still active (${GAS_HH}, ${VOTE})`,
      state: 'tripped',
    });
    engine.set(GAS_HH, false);
    expect(controller.reset('close-gas-valve', alice)).toMatchObject({ ok: false, message: expect.stringContaining(`condition is still active (${VOTE})`) });
    engine.set(VOTE, false);
    expect(controller.reset('close-gas-valve', alice, 'area checked, no leak')).toEqual({ ok: true, state: 'ready' });
    const last = journal.at(-1)!;
    expect(last.event).toMatchObject({ type: 'interlock.reset', severity: 'info', data: { state: 'ready', actor: alice, from: 'tripped', note: 'area checked, no leak' } });
    // Not undone: nothing wrote `false`, the valve is still closed.
    expect(valve.writes.map((w) => w.value)).toEqual([true]);
    expect(valve.values.get('valve/close_command')).toBe(true);
    // Armed again.
    engine.set(GAS_HH, true);
    expect(valve.writes).toHaveLength(2);
  });

  it('of a failed interlock stops its retries and says the actions were never confirmed', async () => {
    const { engine, valve, controller, journal } = setup([config({ retries: 0 })]);
    controller.start();
    valve.obeys = false;
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    engine.set(GAS_HH, false);
    expect(controller.reset('close-gas-valve', { kind: 'button', name: 'reset-key' })).toEqual({ ok: true, state: 'ready' });
    expect(journal.at(-1)!.event.message).toMatch(/never confirmed: check the actuators on site/);
    const writes = valve.writes.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(valve.writes).toHaveLength(writes);
  });

  it('switches back only the actions configured to be released: the fan stops, the valve stays closed', async () => {
    const cfg = config({
      actions: [
        { write: { device: 'valve', point: 'close_command', value: true } },
        { output: { name: 'exhaust-fan', value: 'on', releaseOnReset: true } },
      ],
    });
    const { engine, valve, relays, controller, journal } = setup([cfg]);
    controller.start();
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    engine.set(GAS_HH, false);
    expect(controller.reset('close-gas-valve', { kind: 'api', name: 'alice' })).toEqual({ ok: true, state: 'ready' });
    expect(relays).toEqual([
      { name: 'exhaust-fan', on: true },
      { name: 'exhaust-fan', on: false },
    ]);
    expect(valve.writes.map((w) => w.value)).toEqual([true]);
    expect(journal.at(-1)!.event).toMatchObject({ type: 'interlock.reset', data: { released: ['output exhaust-fan off'] } });
    expect(journal.at(-1)!.event.message).toContain('released: output exhaust-fan off; the other actions stay as they are');
  });

  it('writes a release value when one is configured, and journals a release that fails', async () => {
    const cfg = config({ actions: [{ write: { device: 'valve', point: 'close_command', value: true, releaseValue: false } }] });
    const { engine, valve, controller, journal } = setup([cfg]);
    controller.start();
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    engine.set(GAS_HH, false);
    valve.writeFails = new Error('COMM_TIMEOUT');
    controller.reset('close-gas-valve', { kind: 'api', name: 'alice' });
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(valve.writes.map((w) => w.value)).toEqual([true, false]);
    expect(journal.at(-1)!.event).toMatchObject({ type: 'interlock.release-failed', severity: 'warning', data: { state: 'ready' } });
    expect(journal.at(-1)!.event.message).toContain('write valve/close_command := false failed: COMM_TIMEOUT');
  });

  it('says no clearly when there is nothing to reset', () => {
    const { controller } = setup();
    controller.start();
    expect(controller.reset('close-gas-valve', { kind: 'api', name: 'bob' })).toMatchObject({ ok: false, refusal: 'not-applicable', message: 'interlock close-gas-valve is not tripped; nothing to reset' });
    expect(controller.reset('open-sesame', { kind: 'api', name: 'bob' })).toMatchObject({ ok: false, refusal: 'unknown-interlock', message: 'no interlock "open-sesame" (interlocks: close-gas-valve)' });
  });
});

describe('bypass', () => {
  it('blocks trips and journals each blocked trip; removing it while a trigger is active trips at once', async () => {
    const { engine, valve, controller, events, journal } = setup();
    controller.start();
    const tech = { kind: 'api', name: 'technician' } as const;
    expect(controller.bypass('close-gas-valve', tech, 'valve actuator replacement')).toEqual({ ok: true, state: 'bypassed' });
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(valve.writes).toHaveLength(0);
    expect(events()).toEqual(['interlock.bypassed warning bypassed', 'interlock.trip-blocked warning bypassed']);
    expect(journal[1]!.event.message).toBe(`interlock close-gas-valve is bypassed: ${GAS_HH} activated and nothing was done (write valve/close_command := true NOT performed)`);
    expect(controller.get('close-gas-valve')?.bypassedBy).toEqual(tech);
    expect(controller.reset('close-gas-valve', tech)).toMatchObject({ ok: false, refusal: 'not-applicable' });

    expect(controller.removeBypass('close-gas-valve', tech)).toEqual({ ok: true, state: 'tripping' });
    expect(valve.writes).toHaveLength(1);
    expect(events().slice(2)).toEqual(['interlock.bypass-removed info ready', 'interlock.tripped alarm tripping']);
  });

  it('stops the retries of a failed interlock (maintenance on a broken actuator)', async () => {
    const { engine, valve, controller } = setup([config({ retries: 0 })]);
    controller.start();
    valve.obeys = false;
    engine.set(GAS_HH, true);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(controller.get('close-gas-valve')?.state).toBe('failed');
    controller.bypass('close-gas-valve', { kind: 'api', name: 'technician' });
    const writes = valve.writes.length;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(valve.writes).toHaveLength(writes);
  });
});

describe('restart', () => {
  async function journalOf(run: (s: ReturnType<typeof setup>) => Promise<void>): Promise<JournalEntry> {
    const s = setup();
    s.controller.start();
    await run(s);
    s.controller.stop();
    return s.journal.at(-1)!;
  }

  it('a tripped interlock restored from its last journal entry re-asserts its actions and still needs a reset', async () => {
    const last = await journalOf(async ({ engine }) => {
      engine.set(GAS_HH, true);
      await vi.advanceTimersByTimeAsync(2 * LATENCY);
    });
    expect(last.event.type).toBe('interlock.confirmed');
    const { valve, controller, events } = setup();
    expect(controller.restoreFromJournal(last)).toBe(true);
    controller.start();
    expect(valve.writes).toHaveLength(1);
    expect(controller.get('close-gas-valve')).toMatchObject({ state: 'tripping', trippedBy: GAS_HH, trippedTs: last.event.data?.['trippedTs'] });
    expect(events()).toEqual(['interlock.tripped alarm tripping']);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(controller.get('close-gas-valve')?.state).toBe('tripped');
  });

  it('a bypass survives a restart; a reset interlock restarts ready', async () => {
    const bypassed = await journalOf(async ({ controller }) => void controller.bypass('close-gas-valve', { kind: 'api', name: 'technician' }));
    const s1 = setup();
    s1.controller.restoreFromJournal(bypassed);
    s1.controller.start();
    s1.engine.set(GAS_HH, true);
    expect(s1.valve.writes).toHaveLength(0);
    expect(s1.controller.get('close-gas-valve')).toMatchObject({ state: 'bypassed', bypassedBy: { kind: 'api', name: 'technician' } });

    const reset = await journalOf(async ({ engine, controller }) => {
      engine.set(GAS_HH, true);
      await vi.advanceTimersByTimeAsync(2 * LATENCY);
      engine.set(GAS_HH, false);
      controller.reset('close-gas-valve', { kind: 'api', name: 'alice' });
    });
    const s2 = setup();
    s2.controller.restoreFromJournal(reset);
    s2.controller.start();
    expect(s2.valve.writes).toHaveLength(0);
    expect(s2.controller.get('close-gas-valve')?.state).toBe('ready');
  });

  it('an entry it cannot read restores as tripped (fail safe); one for a removed interlock is ignored', () => {
    const s = setup();
    const odd: JournalEntry = { subject: 'interlock:close-gas-valve', event: { type: 'interlock.from-the-future', severity: 'info', ts: 0, clockTrusted: true, message: '?' } };
    expect(s.controller.restoreFromJournal(odd)).toBe(true);
    expect(s.controller.restoreFromJournal({ ...odd, subject: 'interlock:gone' })).toBe(false);
    s.controller.start();
    expect(s.valve.writes).toHaveLength(1);
    expect(s.controller.get('close-gas-valve')?.trippedBy).toBe('restart');
  });
});

describe('construction', () => {
  it('refuses unknown trigger alarms, unknown outputs and duplicate names, all at once', () => {
    const bad = [
      config({ when: ['gas-9/gas_high_high'] }),
      config({ actions: [{ output: { name: 'siren', value: 'on', releaseOnReset: false } }] }),
    ];
    expect(() => setup(bad)).toThrow(
      [
        'interlocks[0].when[0]: no alarm "gas-9/gas_high_high" (interlock close-gas-valve)',
        'interlocks[1].name: "close-gas-valve" is used by another interlock',
        'interlocks[1].actions[0].output.name: no output "siren" (outputs: exhaust-fan, sounder)',
      ].join('\n'),
    );
  });
});
