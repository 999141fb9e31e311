import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineHeartbeat } from './engine-watchdog.js';
import { ALARM, LINE, onPeriods, panel } from './testing/rig.js';
import { Annunciator } from './annunciator.js';
import { FakeEngine } from './testing/fake-engine.js';
import { GpioOutputDriver } from './output-driver.js';
import { VirtualGpio } from '../../drivers/gpio/virtual-gpio.js';

const api = { kind: 'api', name: 'alice' } as const;

beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 23) }));
afterEach(() => vi.useRealTimers());

describe('Annunciator: patterns', () => {
  it('gas: the strobe flashes at 1 Hz (10 flashes of 0.5 s in 10 s) and the sounder pulses at 1 Hz', async () => {
    const { gpio, engine } = await panel();
    const t0 = Date.now();
    engine.activate(ALARM.gas);
    expect(gpio.level(LINE.strobe)).toBe(1); // seen in the same turn as the transition
    expect(gpio.level(LINE.sounder)).toBe(1);
    vi.advanceTimersByTime(10_000);
    const flashes = onPeriods(gpio, LINE.strobe, t0, t0 + 10_000);
    expect(flashes).toHaveLength(10);
    expect(flashes.every((f) => f.ms === 500)).toBe(true);
    expect(onPeriods(gpio, LINE.sounder, t0, t0 + 10_000).map((p) => p.ms)).toEqual(Array(10).fill(500));
    expect(gpio.edges(LINE.faultLamp)).toBe(0); // the fault lamp only covers faults
  });

  it('fire: 2 Hz strobe, continuous sounder', async () => {
    const { gpio, engine } = await panel();
    const t0 = Date.now();
    const before = gpio.writes(LINE.sounder).length;
    engine.activate(ALARM.fire);
    vi.advanceTimersByTime(10_000);
    expect(onPeriods(gpio, LINE.strobe, t0, t0 + 10_000).map((p) => p.ms)).toEqual(Array(20).fill(250));
    expect(gpio.writes(LINE.sounder).slice(before).map((w) => w.level)).toEqual([1]); // on once, never off
  });

  it('fault: slow 0.5 Hz flash and a short beep every 5 s — unlike gas', async () => {
    const { gpio, engine } = await panel();
    const t0 = Date.now();
    engine.activate(ALARM.fault);
    vi.advanceTimersByTime(10_000);
    expect(onPeriods(gpio, LINE.faultLamp, t0, t0 + 10_000).map((p) => p.ms)).toEqual(Array(5).fill(1_000));
    expect(onPeriods(gpio, LINE.strobe, t0, t0 + 10_000).map((p) => p.ms)).toEqual(Array(5).fill(1_000));
    const beeps = onPeriods(gpio, LINE.sounder, t0, t0 + 10_000);
    expect(beeps.map((p) => [p.start - t0, p.ms])).toEqual([
      [0, 500],
      [5_000, 500],
    ]);
  });

  it('electrical fire: a double flash and a double beep, distinguishable from gas', async () => {
    const { gpio, engine } = await panel();
    const t0 = Date.now();
    engine.activate(ALARM.efire);
    vi.advanceTimersByTime(3_000);
    expect(onPeriods(gpio, LINE.strobe, t0, t0 + 3_000).map((p) => p.start - t0)).toEqual([0, 500, 1_500, 2_000]);
    expect(onPeriods(gpio, LINE.sounder, t0, t0 + 2_000).map((p) => [p.start - t0, p.ms])).toEqual([
      [0, 250],
      [500, 250],
    ]);
  });

  it('on a shared output fire beats gas beats fault, and it steps back down as they are handled', async () => {
    const { engine, annunciator } = await panel();
    const pattern = (name: string) => annunciator.status().outputs.find((o) => o.name === name)?.pattern;
    engine.activate(ALARM.fault);
    expect([pattern('strobe'), pattern('sounder')]).toEqual(['fault-slow-flash', 'fault-beep']);
    engine.activate(ALARM.gas);
    expect([pattern('strobe'), pattern('sounder')]).toEqual(['gas-flash', 'gas-pulsed']);
    engine.activate(ALARM.fire);
    expect([pattern('strobe'), pattern('sounder')]).toEqual(['fire-flash', 'fire-continuous']);
    engine.activate(ALARM.fault); // a further fault changes nothing
    expect(pattern('sounder')).toBe('fire-continuous');
    engine.command({ action: 'acknowledge', alarmId: ALARM.fire, actor: api });
    engine.clear(ALARM.fire);
    expect([pattern('strobe'), pattern('sounder')]).toEqual(['gas-flash', 'gas-pulsed']);
    expect(pattern('fault-lamp')).toBe('fault-slow-flash'); // its own lamp keeps showing the fault
  });

  it('process alarms light a lamp that covers them but never sound, and hazard outputs ignore them', async () => {
    const { gpio, engine } = await panel();
    engine.activate(ALARM.process);
    vi.advanceTimersByTime(2_000);
    expect(gpio.level(LINE.sounder)).toBe(0);
    expect(gpio.level(LINE.strobe)).toBe(0);
  });
});

describe('Annunciator: states, silence and re-sound', () => {
  it('silence stops the sounder but not the strobe; a new alarm re-sounds', async () => {
    const { gpio, engine, annunciator, events } = await panel();
    engine.activate(ALARM.gas);
    vi.advanceTimersByTime(1_200);
    expect(annunciator.silence(api)).toEqual({ silenced: ['sounder'] });
    const t1 = Date.now();
    vi.advanceTimersByTime(5_000);
    expect(gpio.level(LINE.sounder)).toBe(0);
    expect(gpio.writes(LINE.sounder, t1 + 1).length).toBe(0);
    expect(onPeriods(gpio, LINE.strobe, t1, t1 + 5_000).length).toBeGreaterThanOrEqual(4); // still flashing
    expect(events.find((e) => e.type === 'annunciator.silenced')).toMatchObject({ severity: 'info', message: 'sounders silenced by api:alice: sounder', data: { outputs: ['sounder'] } });

    engine.activate(ALARM.gas2); // a NEW activation
    expect(gpio.level(LINE.sounder)).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'annunciator.resounded', data: { alarmId: ALARM.gas2, outputs: ['sounder'] } });
    const t2 = Date.now();
    vi.advanceTimersByTime(4_000);
    expect(onPeriods(gpio, LINE.sounder, t2, t2 + 4_000)).toHaveLength(4);
  });

  it('a returned-but-unacknowledged alarm re-activating re-sounds too', async () => {
    const { gpio, engine, annunciator } = await panel();
    engine.activate(ALARM.gas2);
    engine.clear(ALARM.gas2); // rtn-unacknowledged: still sounds
    expect(gpio.level(LINE.sounder)).toBe(1);
    annunciator.silence(api);
    expect(gpio.level(LINE.sounder)).toBe(0);
    engine.activate(ALARM.gas2);
    expect(gpio.level(LINE.sounder)).toBe(1);
  });

  it('acknowledging stops the sounder; the strobe flashes while the alarm is active and while latched', async () => {
    const { gpio, engine } = await panel();
    engine.activate(ALARM.gas); // latching
    engine.command({ action: 'acknowledge', alarmId: ALARM.gas, actor: api });
    expect(gpio.level(LINE.sounder)).toBe(0);
    engine.clear(ALARM.gas); // → latched
    const t0 = Date.now();
    vi.advanceTimersByTime(3_000);
    expect(onPeriods(gpio, LINE.strobe, t0, t0 + 3_000)).toHaveLength(3);
    expect(gpio.writes(LINE.sounder, t0 + 1)).toHaveLength(0);
    engine.command({ action: 'reset', alarmId: ALARM.gas, actor: api });
    expect(gpio.level(LINE.strobe)).toBe(0);
    vi.advanceTimersByTime(3_000);
    expect(gpio.level(LINE.strobe)).toBe(0);
  });

  it('a shelved alarm drives nothing', async () => {
    const { gpio, engine } = await panel();
    engine.activate(ALARM.gas);
    engine.command({ action: 'shelve', alarmId: ALARM.gas, actor: api, durationMs: 60_000 });
    vi.advanceTimersByTime(2_000);
    expect(gpio.level(LINE.sounder)).toBe(0);
    expect(gpio.level(LINE.strobe)).toBe(0);
  });

  it('alarms already standing at start are shown at once (a restart with a latched alarm)', async () => {
    const engine = new FakeEngine().define(ALARM.gas, 'gas', { state: 'latched', latch: true }).define(ALARM.fault, 'fault', { state: 'unacknowledged' });
    const { gpio, annunciator } = await panel({ engine });
    expect(gpio.level(LINE.strobe)).toBe(1);
    expect(annunciator.status().outputs.find((o) => o.name === 'strobe')?.pattern).toBe('gas-flash');
    expect(annunciator.status().outputs.find((o) => o.name === 'sounder')?.pattern).toBe('fault-beep');
  });
});

describe('Annunciator: self-test', () => {
  it('switches every sounder, strobe and lamp on for the duration, then restores', async () => {
    const { gpio, annunciator, types } = await panel();
    expect(annunciator.selfTest(3_000, { kind: 'schedule', name: 'weekly' })).toMatchObject({ ok: true });
    for (const l of [LINE.sounder, LINE.strobe, LINE.faultLamp]) expect(gpio.level(l)).toBe(1);
    expect(gpio.level(LINE.valve)).toBe(0); // relays are not tested by the annunciator
    expect(annunciator.selfTest(1_000, api)).toEqual({ ok: false, message: 'self-test refused: one is already running' });
    vi.advanceTimersByTime(3_000);
    for (const l of [LINE.sounder, LINE.strobe, LINE.faultLamp]) expect(gpio.level(l)).toBe(0);
    expect(types()).toEqual(['annunciator.self-test-started', 'annunciator.self-test-ended']);
  });

  it('a real alarm during a self-test ends it at once and is announced with its own pattern', async () => {
    const { engine, annunciator, types } = await panel();
    annunciator.selfTest(10_000, api);
    vi.advanceTimersByTime(1_000);
    engine.activate(ALARM.fire);
    expect(types()).toContain('annunciator.self-test-aborted');
    expect(annunciator.status().outputs.find((o) => o.name === 'sounder')?.pattern).toBe('fire-continuous');
    expect(annunciator.state).toBe('normal');
  });
});

describe('Annunciator: failsafe and the watchdog', () => {
  it('the watchdog line toggles at 1 Hz while all is well and stops on failsafe', async () => {
    const { gpio, annunciator } = await panel();
    const t0 = Date.now();
    vi.advanceTimersByTime(10_000);
    expect(onPeriods(gpio, LINE.watchdog, t0, t0 + 10_000).map((p) => p.ms)).toEqual(Array(10).fill(500));
    annunciator.failsafe('test');
    const t1 = Date.now();
    vi.advanceTimersByTime(10_000);
    expect(gpio.edges(LINE.watchdog, t1 + 1)).toBe(0);
    expect(gpio.level(LINE.watchdog)).toBe(0); // its declared failsafe level
  });

  it('failsafe drives every output to its declared level and holds it until recover()', async () => {
    const { gpio, engine, annunciator, events } = await panel();
    annunciator.setRelay('valve', true);
    annunciator.setRelay('fan', true);
    engine.activate(ALARM.gas);
    annunciator.failsafe('alarm engine stopped');
    expect(gpio.level(LINE.sounder)).toBe(1); // failsafe: on, steady
    expect(gpio.level(LINE.strobe)).toBe(1);
    expect(gpio.level(LINE.faultLamp)).toBe(1);
    expect(gpio.level(LINE.valve)).toBe(0); // failsafe: off
    expect(gpio.level(LINE.fan)).toBe(1); // off, and active-low: the line is high
    expect(events.at(-1)).toMatchObject({ type: 'annunciator.failsafe-entered', severity: 'fault' });
    expect(events.at(-1)?.message).toMatch(/sounder on, strobe on, fault-lamp on, valve off, fan off, watchdog off\): alarm engine stopped$/);

    vi.advanceTimersByTime(1);
    const t0 = Date.now();
    engine.command({ action: 'acknowledge', alarmId: ALARM.gas, actor: api });
    engine.activate(ALARM.fire);
    expect(annunciator.silence(api)).toEqual({ silenced: [] });
    expect(annunciator.setRelay('valve', true)).toMatchObject({ ok: false, message: expect.stringMatching(/held off \(its safe state\)/) });
    vi.advanceTimersByTime(5_000);
    for (const l of [LINE.sounder, LINE.strobe, LINE.valve, LINE.fan]) expect(gpio.edges(l, t0)).toBe(0);

    expect(annunciator.recover(api)).toEqual({ ok: true, message: 'outputs back to normal operation' });
    expect(gpio.level(LINE.valve)).toBe(1); // the interlock's last command is restored
    expect(annunciator.status().outputs.find((o) => o.name === 'sounder')?.pattern).toBe('fire-continuous');
    const t1 = Date.now();
    vi.advanceTimersByTime(2_000);
    expect(gpio.edges(LINE.watchdog, t1)).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)).toMatchObject({ type: 'annunciator.failsafe-left', severity: 'info' });
  });

  it('an engine that stops evaluating while devices poll puts the outputs in failsafe; recover is refused until it is back', async () => {
    const hb: EngineHeartbeat = { failed: null, lastEvaluationMs: Date.now(), expectEvaluations: true };
    const { gpio, annunciator, events } = await panel({ heartbeat: () => hb });
    vi.advanceTimersByTime(10_000);
    expect(annunciator.state).toBe('normal');
    vi.advanceTimersByTime(1_000);
    expect(annunciator.state).toBe('failsafe');
    expect(gpio.level(LINE.sounder)).toBe(1);
    expect(events.at(-1)?.message).toMatch(/alarm engine has not evaluated a reading for 11.0 s while devices are polling \(limit 10.0 s\)/);
    expect(annunciator.recover(api)).toMatchObject({ ok: false, message: expect.stringMatching(/^recover refused: alarm engine has not evaluated/) });
    hb.lastEvaluationMs = Date.now();
    expect(annunciator.recover(api).ok).toBe(true);
    expect(gpio.level(LINE.sounder)).toBe(0);
  });

  it('no polling, no staleness; a reported engine failure is failsafe at the next check', async () => {
    const hb: EngineHeartbeat = { failed: null, lastEvaluationMs: null, expectEvaluations: false };
    const { annunciator, events } = await panel({ heartbeat: () => hb });
    vi.advanceTimersByTime(60_000);
    expect(annunciator.state).toBe('normal');
    hb.failed = 'TypeError in rule gd-01/gas_high';
    vi.advanceTimersByTime(1_000);
    expect(annunciator.state).toBe('failsafe');
    expect(events.at(-1)?.message).toMatch(/alarm engine failed: TypeError in rule gd-01\/gas_high$/);
  });

  it('engineFailed() from the runtime goes to failsafe at once', async () => {
    const { gpio, annunciator } = await panel();
    annunciator.engineFailed('evaluate threw');
    expect(annunciator.state).toBe('failsafe');
    expect(gpio.level(LINE.sounder)).toBe(1);
  });
});

describe('Annunciator: relays for the interlocks', () => {
  it('setRelay switches a relay and returns the read-back', async () => {
    const { gpio, annunciator } = await panel();
    expect(annunciator.setRelay('valve', true)).toEqual({ ok: true, output: 'valve', requested: true, on: true, level: 1, fault: null, confirmed: true });
    expect(annunciator.setRelay('fan', true)).toMatchObject({ ok: true, on: true, level: 0, confirmed: true }); // active-low
    expect(gpio.level(LINE.fan)).toBe(0);
    expect(annunciator.setRelay('sounder', true)).toEqual({ ok: false, output: 'sounder', message: 'output "sounder" is a sounder, driven by the annunciator; interlocks switch relays (valve, fan)' });
    expect(annunciator.setRelay('pump', true)).toEqual({ ok: false, output: 'pump', message: 'no output named "pump" (relays: valve, fan)' });
  });

  it('a faulted line is not confirmed, is reported once, and its recovery is reported', async () => {
    const { gpio, annunciator, events } = await panel();
    gpio.injectFault(LINE.valve, 'output line 20 on gpiochip0: gpioset exited with code 1');
    gpio.injectFault(LINE.valve, 'output line 20 on gpiochip0: gpioset exited with code 1');
    expect(events.filter((e) => e.type === 'annunciator.output-fault')).toEqual([
      expect.objectContaining({ severity: 'fault', message: 'output "valve" (line 20): output line 20 on gpiochip0: gpioset exited with code 1', data: expect.objectContaining({ output: 'valve', line: 20 }) }),
    ]);
    expect(annunciator.setRelay('valve', true)).toMatchObject({ ok: true, confirmed: false, fault: 'output line 20 on gpiochip0: gpioset exited with code 1' });
    gpio.clearFault(LINE.valve);
    vi.advanceTimersByTime(1_000);
    expect(events.at(-1)).toMatchObject({ type: 'annunciator.output-recovered', message: 'output "valve" (line 20) is driven again' });
  });
});

describe('Annunciator: physical inputs', () => {
  it('calls back once per debounced press, not while held, not on bounce', async () => {
    const { gpio, presses } = await panel();
    // contact bounce shorter than 30 ms: not a press
    gpio.set(LINE.ackButton, 0);
    vi.advanceTimersByTime(10);
    gpio.set(LINE.ackButton, 1);
    vi.advanceTimersByTime(100);
    expect(presses).toEqual([]);
    // a real press with bounce on closing, held for 5 s
    gpio.set(LINE.ackButton, 0);
    gpio.set(LINE.ackButton, 1);
    gpio.set(LINE.ackButton, 0);
    vi.advanceTimersByTime(5_000);
    gpio.set(LINE.ackButton, 1);
    vi.advanceTimersByTime(100);
    expect(presses).toEqual([['silence-acknowledge', 'ack-button']]);
    gpio.press(LINE.resetKey, 500);
    vi.advanceTimersByTime(1_000);
    gpio.press(LINE.ackButton);
    vi.advanceTimersByTime(1_000);
    expect(presses).toEqual([
      ['silence-acknowledge', 'ack-button'],
      ['reset', 'reset-key'],
      ['silence-acknowledge', 'ack-button'],
    ]);
  });

  it('a dead input line is reported as an input fault, once', async () => {
    const { gpio, events } = await panel();
    gpio.injectFault(LINE.resetKey, 'input line 6 on gpiochip0: gpiomon exited with code 1');
    gpio.injectFault(LINE.resetKey, 'input line 6 on gpiochip0: gpiomon exited with code 1');
    expect(events).toEqual([
      expect.objectContaining({ type: 'annunciator.input-fault', severity: 'fault', message: 'input "reset-key": input line 6 on gpiochip0: gpiomon exited with code 1' }),
    ]);
  });

  it('a failing handler is reported and does not stop the next press', async () => {
    let calls = 0;
    const { gpio, events } = await panel({
      onInput: () => {
        calls++;
        throw new Error('journal closed');
      },
    });
    gpio.press(LINE.ackButton);
    vi.advanceTimersByTime(500);
    gpio.press(LINE.ackButton);
    vi.advanceTimersByTime(500);
    expect(calls).toBe(2);
    expect(events.at(-1)).toMatchObject({ type: 'annunciator.input-failed', message: 'input "ack-button" (silence-acknowledge) could not be handled: journal closed' });
  });
});

describe('Annunciator: configuration', () => {
  it('refuses duplicate names and lines, and inputs without a handler, naming each', async () => {
    const gpio = new VirtualGpio();
    await gpio.open();
    const outputs = [
      { name: 'a', kind: 'sounder', line: 1, activeLow: false, failsafe: 'on' },
      { name: 'a', kind: 'strobe', line: 2, activeLow: false, failsafe: 'on' },
      { name: 'b', kind: 'lamp', line: 1, activeLow: false, failsafe: 'on' },
    ] as const;
    expect(
      () =>
        new Annunciator({
          outputs: [...outputs],
          inputs: [{ name: 'btn', action: 'silence', line: 2, activeLow: true, bias: 'pull-up', debounceMs: 30 }],
          driver: new GpioOutputDriver([outputs[0]], gpio),
          gpio,
          engine: new FakeEngine(),
          clock: { now: Date.now, monotonic: Date.now, isTrusted: () => true },
          onEvent: () => undefined,
        }),
    ).toThrow(
      'outputs: lines[1].name "a" is also used by lines[0]; lines[2].line 1 is also used by lines[0]; inputs[0].line 2 is also used by lines[1]; inputs are configured but nothing handles a press (onInput)',
    );
  });
});
