import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VirtualGpio } from './virtual-gpio.js';
import { isGpioFault } from './gpio-fault.js';
import type { Level } from './gpio.js';

describe('VirtualGpio', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  async function opened() {
    const gpio = new VirtualGpio();
    await gpio.open();
    return gpio;
  }

  it('records every output write with its time, and counts edges', async () => {
    const gpio = await opened();
    const out = gpio.output(17, 0);
    vi.advanceTimersByTime(100);
    out.write(1);
    vi.advanceTimersByTime(250);
    out.write(1); // a repeated level is a write but not an edge
    out.write(0);
    expect(gpio.writes(17)).toEqual([
      { line: 17, level: 0, ts: 1_000_000 },
      { line: 17, level: 1, ts: 1_000_100 },
      { line: 17, level: 1, ts: 1_000_350 },
      { line: 17, level: 0, ts: 1_000_350 },
    ]);
    expect(gpio.edges(17)).toBe(2);
    expect(gpio.edges(17, 1_000_200)).toBe(1);
    expect(out.read()).toBe(0);
    expect(gpio.level(17)).toBe(0);
  });

  it('debounces an input: a bounce shorter than debounceMs is ignored, a held level is reported once', async () => {
    const gpio = await opened();
    const seen: Level[] = [];
    const input = gpio.input(5, { bias: 'pull-up', debounceMs: 30 }, (l) => seen.push(l));
    expect(input.read()).toBe(1); // pulled up: rests high
    gpio.set(5, 0);
    vi.advanceTimersByTime(10);
    gpio.set(5, 1); // contact bounce
    vi.advanceTimersByTime(50);
    expect(seen).toEqual([]);
    gpio.set(5, 0);
    vi.advanceTimersByTime(10);
    gpio.set(5, 1);
    gpio.set(5, 0); // bounces while closing
    vi.advanceTimersByTime(29);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([0]);
    expect(input.read()).toBe(0);
  });

  it('press() takes a pulled-up button low and back after holdMs', async () => {
    const gpio = await opened();
    const seen: Level[] = [];
    gpio.input(6, { bias: 'pull-up', debounceMs: 20 }, (l) => seen.push(l));
    gpio.press(6, 200);
    vi.advanceTimersByTime(500);
    expect(seen).toEqual([0, 1]);
  });

  it('refuses a line twice, and lines before open()', async () => {
    const closed = new VirtualGpio();
    expect(() => closed.output(1, 0)).toThrow(/open\(\) before requesting line 1/);
    const gpio = await opened();
    gpio.output(4, 0);
    expect(() => gpio.input(4, { bias: 'pull-up', debounceMs: 0 }, () => undefined)).toThrow(/line 4 is already requested as an output/);
    expect(() => gpio.set(4, 1)).toThrow(/line 4 is not an input/);
  });

  it('an injected fault reaches onFault and shows on the line until cleared', async () => {
    const gpio = await opened();
    const out = gpio.output(22, 0);
    const faults: Error[] = [];
    gpio.onFault((e) => faults.push(e));
    gpio.injectFault(22, 'gpioset died');
    expect(faults).toHaveLength(1);
    expect(isGpioFault(faults[0]) && faults[0].line).toBe(22);
    expect(out.fault?.()?.message).toBe('gpioset died');
    gpio.clearFault(22);
    expect(out.fault?.()).toBeNull();
  });

  it('keeps a bounded history', async () => {
    const gpio = new VirtualGpio({ maxHistory: 100 });
    await gpio.open();
    const out = gpio.output(1, 0);
    for (let i = 0; i < 1_000; i++) out.write((i % 2) as Level);
    expect(gpio.writes(1).length).toBeLessThanOrEqual(110);
    expect(gpio.writes(1).at(-1)?.level).toBe(1);
  });
});
