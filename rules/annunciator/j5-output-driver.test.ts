import { afterEach, describe, expect, it, vi } from 'vitest';
import mock from 'mock-firmata';
import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import { createJ5OutputDriver } from './j5-output-driver.js';
import { createOutputDriver } from './create-output-driver.js';
import { ALARM, LINE, OUTPUTS, onPeriods, panel } from './testing/rig.js';

afterEach(() => vi.useRealTimers());

describe('J5OutputDriver on mock-firmata', () => {
  // An Arduino UNO pin map: a sounder relay, an active-low fan relay, a strobe Led and an active-low lamp Led.
  const outputs: OutputConfig[] = [
    { name: 'sounder', kind: 'sounder', line: 10, activeLow: false, failsafe: 'on' },
    { name: 'fan', kind: 'relay', line: 11, activeLow: true, failsafe: 'off' },
    { name: 'strobe', kind: 'strobe', line: 13, activeLow: false, failsafe: 'on' },
    { name: 'lamp', kind: 'lamp', line: 12, activeLow: true, failsafe: 'on' },
  ];

  async function driver() {
    const io = new mock.Firmata();
    const writes: [number, number][] = [];
    vi.spyOn(io, 'digitalWrite').mockImplementation((pin: number, v: number) => void writes.push([pin, v]));
    const pending = createJ5OutputDriver(outputs, io);
    io.emit('connect');
    io.emit('ready'); // what a real Firmata would emit
    return { d: await pending, writes };
  }

  it('puts every output in its off state at once, inverting active-low ones', async () => {
    const { writes } = await driver();
    expect(writes).toEqual([
      [10, 0],
      [11, 1],
      [13, 0],
      [12, 1],
    ]);
  });

  it('switches Relays and Leds and reads them back', async () => {
    const { d, writes } = await driver();
    writes.length = 0;
    d.set('sounder', true);
    d.set('fan', true);
    d.set('strobe', true);
    d.set('lamp', true);
    expect(writes).toEqual([
      [10, 1],
      [11, 0],
      [13, 1],
      [12, 0],
    ]);
    expect(d.state('fan')).toEqual({ on: true, level: 0, fault: null });
    expect(d.state('lamp')).toEqual({ on: true, level: 0, fault: null });
    d.set('strobe', false);
    expect(d.state('strobe')).toEqual({ on: false, level: 0, fault: null });
    expect(() => d.set('horn', true)).toThrow('no output named "horn" (outputs: sounder, fan, strobe, lamp)');
  });

  it('says which board was not ready in time', async () => {
    vi.useFakeTimers();
    const io = new mock.Firmata(); // never emits ready
    const pending = createJ5OutputDriver(outputs, io, { readyTimeoutMs: 1_000 });
    const check = expect(pending).rejects.toThrow('johnny-five board on Mock was not ready within 1000 ms');
    await vi.advanceTimersByTimeAsync(1_000);
    await check;
  });
});

describe('the annunciator through johnny-five (GpioIO over the virtual GPIO)', () => {
  it('gas: the strobe flashes at 1 Hz and the sounder pulses, silence stops the sounder only', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 10, 23) });
    const sigint = process.listenerCount('SIGINT');
    const { gpio, engine, annunciator } = await panel({ makeDriver: (g) => createOutputDriver(OUTPUTS, g) });
    expect(process.listenerCount('SIGINT')).toBe(sigint); // J5 must not take over Ctrl-C (sigint: false)
    expect(annunciator.status().outputs).toHaveLength(OUTPUTS.length);
    const t0 = Date.now();
    engine.activate(ALARM.gas);
    vi.advanceTimersByTime(10_000);
    expect(onPeriods(gpio, LINE.strobe, t0, t0 + 10_000).map((p) => p.ms)).toEqual(Array(10).fill(500));
    expect(onPeriods(gpio, LINE.sounder, t0, t0 + 10_000)).toHaveLength(10);
    annunciator.silence({ kind: 'button', name: 'ack-button' });
    const t1 = Date.now();
    vi.advanceTimersByTime(4_000);
    expect(gpio.level(LINE.sounder)).toBe(0);
    expect(gpio.writes(LINE.sounder, t1 + 1)).toHaveLength(0);
    expect(onPeriods(gpio, LINE.strobe, t1, t1 + 4_000)).toHaveLength(4);
    expect(annunciator.setRelay('fan', true)).toMatchObject({ ok: true, level: 0, confirmed: true }); // NC relay
    expect(gpio.level(LINE.fan)).toBe(0);
  });

  it('a dead line under J5 is an output fault naming the output', async () => {
    vi.useFakeTimers();
    const { gpio, events, annunciator } = await panel({ makeDriver: (g) => createOutputDriver(OUTPUTS, g) });
    gpio.injectFault(LINE.sounder, 'gpioset was killed by SIGKILL');
    expect(events.at(-1)).toMatchObject({ type: 'annunciator.output-fault', message: 'output "sounder" (line 17): gpioset was killed by SIGKILL' });
    expect(annunciator.status().outputs.find((o) => o.name === 'sounder')?.fault).toBe('gpioset was killed by SIGKILL');
  });
});
