import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { config, GAS_HH, LATENCY, setup, VOTE } from './testing/controller-bench.js';
import type { JournalEntry } from '../../gateway/store/store.js';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
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
