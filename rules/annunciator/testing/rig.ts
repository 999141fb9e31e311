import type { InputConfig, OutputConfig } from '../../../gateway/config/safety-schema.js';
import type { GatewayEvent } from '../../../gateway/store/store.js';
import type { Clock } from '../../../gateway/clock/clock.js';
import { VirtualGpio } from '../../../drivers/gpio/virtual-gpio.js';
import { Annunciator, type AnnunciatorOptions } from '../annunciator.js';
import { GpioOutputDriver, type OutputDriver } from '../output-driver.js';
import { FakeEngine } from './fake-engine.js';

/** A panel for annunciator tests: outputs and inputs on a VirtualGpio, a FakeEngine with one alarm per class. */
export const OUTPUTS: OutputConfig[] = [
  { name: 'sounder', kind: 'sounder', line: 17, activeLow: false, failsafe: 'on' },
  { name: 'strobe', kind: 'strobe', line: 18, activeLow: false, failsafe: 'on' },
  { name: 'fault-lamp', kind: 'lamp', line: 19, activeLow: false, failsafe: 'on', classes: ['fault'] },
  { name: 'valve', kind: 'relay', line: 20, activeLow: false, failsafe: 'off' },
  { name: 'fan', kind: 'relay', line: 21, activeLow: true, failsafe: 'off' },
  { name: 'watchdog', kind: 'watchdog', line: 22, activeLow: false, failsafe: 'off' },
];
export const LINE = { sounder: 17, strobe: 18, faultLamp: 19, valve: 20, fan: 21, watchdog: 22, ackButton: 5, resetKey: 6 } as const;

export const INPUTS: InputConfig[] = [
  { name: 'ack-button', action: 'silence-acknowledge', line: 5, activeLow: true, bias: 'pull-up', debounceMs: 30 },
  { name: 'reset-key', action: 'reset', line: 6, activeLow: true, bias: 'pull-up', debounceMs: 30 },
];

export const ALARM = { gas: 'gd-01/gas_high', gas2: 'gd-02/gas_high', fire: 'panel/fire', fault: 'gd-01/comm_lost', efire: 'em-01/leakage', process: 'ahu/temp_high' } as const;

/** Time from vi fake timers (Date.now is faked with them). */
export const fakeTimersClock: Clock = { now: () => Date.now(), monotonic: () => Date.now(), isTrusted: () => true };

export function defaultEngine(): FakeEngine {
  return new FakeEngine()
    .define(ALARM.gas, 'gas', { priority: 'critical', latch: true })
    .define(ALARM.gas2, 'gas', { priority: 'high' })
    .define(ALARM.fire, 'fire', { priority: 'critical' })
    .define(ALARM.fault, 'fault', { priority: 'medium' })
    .define(ALARM.efire, 'electrical-fire', { priority: 'high' })
    .define(ALARM.process, 'process', { priority: 'low' });
}

export async function panel(
  over: Partial<AnnunciatorOptions> & { engine?: FakeEngine; makeDriver?: (gpio: VirtualGpio) => OutputDriver | Promise<OutputDriver> } = {},
) {
  const gpio = new VirtualGpio();
  await gpio.open();
  const engine = over.engine ?? defaultEngine();
  const driver = over.makeDriver ? await over.makeDriver(gpio) : new GpioOutputDriver(OUTPUTS, gpio);
  const events: GatewayEvent[] = [];
  const presses: [string, string][] = [];
  const annunciator = new Annunciator({
    outputs: OUTPUTS,
    inputs: INPUTS,
    driver,
    gpio,
    engine,
    clock: fakeTimersClock,
    onEvent: (e) => events.push(e),
    onInput: (action, name) => presses.push([action, name]),
    ...over,
  });
  annunciator.start();
  const types = () => events.map((e) => e.type);
  return { gpio, engine, driver, annunciator, events, presses, types };
}

/**
 * The on-periods of a line (start, duration) that begin in [from, to) and end by `to` — what a
 * person standing in front of the strobe would count.
 */
export function onPeriods(gpio: VirtualGpio, line: number, from: number, to: number): { start: number; ms: number }[] {
  const out: { start: number; ms: number }[] = [];
  let level: 0 | 1 = 0;
  let since = Number.NEGATIVE_INFINITY;
  for (const w of gpio.writes(line)) {
    if (w.ts > to) break;
    if (w.level === level) continue;
    if (w.level === 1) since = w.ts;
    else if (since >= from && w.ts <= to) out.push({ start: since, ms: w.ts - since });
    level = w.level;
  }
  return out;
}
