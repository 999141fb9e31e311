import { afterEach, describe, expect, it, vi } from 'vitest';
import five from 'johnny-five';
import { GpioIO } from './j5-io.js';
import { VirtualGpio } from './virtual-gpio.js';

/** A J5 board over GpioIO on the virtual GPIO: what five.Led / five.Relay / five.Button do reaches the lines. */
async function board(lines: number[]) {
  const gpio = new VirtualGpio();
  await gpio.open();
  const io = new GpioIO(gpio, { lines });
  const b = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: 1_000 } as five.BoardOption);
  await new Promise<void>((resolve) => b.on('ready', () => resolve()));
  return { gpio, io, board: b };
}

describe('GpioIO: johnny-five over our Gpio', () => {
  afterEach(() => vi.useRealTimers());

  it('five.Led and five.Relay drive the lines (an NC relay inverts)', async () => {
    const { gpio, board: b } = await board([17, 18, 20]);
    const led = new five.Led({ pin: 18, board: b });
    led.on();
    expect(gpio.level(18)).toBe(1);
    led.off();
    expect(gpio.level(18)).toBe(0);
    const relay = new five.Relay({ pin: 17, board: b });
    relay.close();
    expect(gpio.level(17)).toBe(1);
    const nc = new five.Relay({ pin: 20, type: 'NC', board: b });
    nc.close();
    expect(gpio.level(20)).toBe(0);
    nc.open();
    expect(gpio.level(20)).toBe(1);
    expect(gpio.writes(18).map((w) => w.level)).toEqual([0, 1, 0]);
  });

  it('five.Button on an input line sees a debounced press', async () => {
    const { gpio, board: b } = await board([5]);
    vi.useFakeTimers();
    const button = new five.Button({ pin: 5, isPullup: true, board: b });
    const seen: string[] = [];
    button.on('press', () => seen.push('press'));
    button.on('release', () => seen.push('release'));
    gpio.set(5, 0);
    vi.advanceTimersByTime(20);
    expect(seen).toEqual([]); // GpioIO's input debounce is 30 ms
    vi.advanceTimersByTime(40);
    gpio.set(5, 1);
    vi.advanceTimersByTime(60);
    expect(seen).toEqual(['press', 'release']);
  });

  it('refuses lines that are not configured and everything but digital I/O, saying so', async () => {
    const { io } = await board([17]);
    expect(() => io.digitalWrite(4, 1)).toThrow('Vigil GPIO: digitalWrite on line 4, which is not configured (configured lines: 17)');
    expect(() => io.pinMode(17, io.MODES.PWM)).toThrow('Vigil GPIO: pin 17 mode 3 is not supported (digital INPUT and OUTPUT only)');
    expect(() => io.analogWrite(17)).toThrow(/analogWrite\/PWM on pin 17 is not supported/);
  });
});
