import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALARM, LINE, OUTPUTS, panel } from './testing/rig.js';
import { MAX_OUTPUT_TEST_SECONDS, outputTestRefusal } from './output-test.js';

const installer = { kind: 'api', name: 'wang.wei' } as const;

beforeEach(() => vi.useFakeTimers({ now: Date.UTC(2026, 10, 23) }));
afterEach(() => vi.useRealTimers());

describe('outputTestRefusal', () => {
  const quiet: never[] = [];
  it.each([
    [{ name: 'horn', on: true, seconds: 5 }, quiet, 'no output named "horn" (outputs: sounder, strobe, fault-lamp, valve, fan)'],
    [{ name: 'watchdog', on: true, seconds: 5 }, quiet, 'output "watchdog" is the hardware watchdog line; it cannot be tested by hand (testing it would stop the pulse the watchdog relies on)'],
    [{ name: 'sounder', on: true, seconds: 0 }, quiet, `seconds must be more than 0 and at most ${MAX_OUTPUT_TEST_SECONDS}, not 0`],
    [{ name: 'sounder', on: true, seconds: 31 }, quiet, `seconds must be more than 0 and at most ${MAX_OUTPUT_TEST_SECONDS}, not 31`],
    [
      { name: 'sounder', on: true, seconds: 5 },
      [{ id: 'gd-01/gas_high', class: 'gas', priority: 'high', state: 'latched' }],
      'alarms need attention first (gd-01/gas_high latched): an output test never masks a real alarm',
    ],
  ] as const)('%o refused', (req, alarms, message) => {
    expect(outputTestRefusal(req, OUTPUTS, alarms)).toBe(message);
  });

  it('a process alarm does not block a test; a fault does', () => {
    const req = { name: 'strobe', on: true, seconds: 5 };
    expect(outputTestRefusal(req, OUTPUTS, [{ id: 'ahu/temp_high', class: 'process', priority: 'low', state: 'unacknowledged' }])).toBeNull();
    expect(outputTestRefusal(req, OUTPUTS, [{ id: 'gd-01/comm_lost', class: 'fault', priority: 'medium', state: 'acknowledged' }])).toMatch(/gd-01\/comm_lost acknowledged/);
  });
});

describe('Annunciator.testOutput', () => {
  it('holds one sounder on for the duration, leaves the others alone, then restores and journals the actor', async () => {
    const { gpio, annunciator, events } = await panel();
    expect(annunciator.testOutput({ name: 'sounder', on: true, seconds: 5 }, installer)).toEqual({ ok: true, message: 'sounder held on for 5000 ms' });
    expect(gpio.level(LINE.sounder)).toBe(1);
    expect(gpio.level(LINE.strobe)).toBe(0);
    expect(annunciator.testOutput({ name: 'strobe', on: true, seconds: 5 }, installer)).toEqual({ ok: false, message: 'output test refused: a test is already running' });
    vi.advanceTimersByTime(4_999);
    expect(gpio.level(LINE.sounder)).toBe(1);
    vi.advanceTimersByTime(1);
    expect(gpio.level(LINE.sounder)).toBe(0);
    expect(events.map((e) => [e.type, e.data?.actor ?? null])).toEqual([
      ['annunciator.output-test-started', installer],
      ['annunciator.output-test-ended', null],
    ]);
  });

  it('switches a relay (active-low line) and gives it back to the interlocks afterwards', async () => {
    const { gpio, annunciator } = await panel();
    expect(gpio.level(LINE.fan)).toBe(1); // active low: off is high
    annunciator.testOutput({ name: 'fan', on: true, seconds: 3 }, installer);
    expect(gpio.level(LINE.fan)).toBe(0);
    expect(annunciator.endOutputTest('fan', installer)).toEqual({ ok: true, message: 'test of fan ended' });
    expect(gpio.level(LINE.fan)).toBe(1);
    expect(annunciator.endOutputTest('fan', installer)).toEqual({ ok: false, message: 'no test of output "fan" is running' });
  });

  it('a real alarm ends the test at once and is announced with its own pattern', async () => {
    const { engine, annunciator, types } = await panel();
    annunciator.testOutput({ name: 'fan', on: true, seconds: 20 }, installer);
    engine.activate(ALARM.gas);
    expect(types()).toContain('annunciator.output-test-aborted');
    expect(annunciator.state).toBe('normal');
    expect(annunciator.status().outputs.find((o) => o.name === 'fan')?.on).toBe(false);
    expect(annunciator.status().outputs.find((o) => o.name === 'sounder')?.pattern).not.toBeNull();
  });

  it('is refused while an alarm is standing and while outputs are in failsafe', async () => {
    const { engine, annunciator } = await panel();
    engine.activate(ALARM.gas);
    expect(annunciator.testOutput({ name: 'sounder', on: true, seconds: 5 }, installer)).toEqual({
      ok: false,
      message: 'output test refused: alarms need attention first (gd-01/gas_high unacknowledged): an output test never masks a real alarm',
    });
    annunciator.failsafe('test');
    expect(annunciator.testOutput({ name: 'sounder', on: true, seconds: 5 }, installer)).toEqual({ ok: false, message: 'output test refused: outputs are held in their safe state (test)' });
  });
});
