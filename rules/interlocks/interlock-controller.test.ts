import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { config, GAS_HH, LATENCY, setup, VOTE } from './testing/controller-bench.js';

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
