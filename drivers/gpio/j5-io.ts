import { EventEmitter } from 'node:events';
import type { Gpio, GpioInputLine, GpioInputOptions, GpioOutputLine, Level } from './gpio.js';

/**
 * A johnny-five IO plugin over our Gpio interface, so five.Led, five.Relay, five.Button … drive
 * libgpiod lines on a current Raspberry Pi (or the virtual GPIO in tests and the demo). No kept-up
 * J5 plugin works on a Pi 5 / kernel ≥ 6.6 (toolchain.md §2: raspi-io and pi-io need pigpio, linux-io
 * needs sysfs GPIO); J5 needs no more from an IO plugin than what board-io/mock-firmata provide:
 * a `pins` array with supportedModes, MODES/HIGH/LOW, pinMode/digitalWrite/digitalRead, and the
 * 'connect' then 'ready' events.
 *
 * Digital in/out only: analog, PWM, servo, I²C and tone bit-banging are refused with an error
 * that says so (a sounder here is an active buzzer or a 24 V sounder behind a relay, switched
 * on/off; a piezo's square wave cannot be made through gpioset).
 *
 * Use: `new five.Board({ io: new GpioIO(gpio, { lines }), repl: false, debug: false, sigint: false })`.
 * Always pass `io` (without it J5 scans serial ports for an Arduino) and `sigint: false` (J5
 * otherwise installs a SIGINT handler that exits the process behind the gateway's back).
 */
export interface GpioIOOptions {
  /** The line offsets J5 may use (the configured outputs and inputs). */
  lines: readonly number[];
  /** How a line J5 sets to INPUT is requested (default pull-up, 30 ms debounce). */
  input?: GpioInputOptions;
}

const MODES = Object.freeze({ INPUT: 0x00, OUTPUT: 0x01, ANALOG: 0x02, PWM: 0x03, SERVO: 0x04 });

interface PinInfo {
  supportedModes: number[];
  mode: number;
  value: number;
  report: number;
  analogChannel: number;
}

export class GpioIO extends EventEmitter {
  readonly name = 'Vigil GPIO';
  readonly MODES = MODES;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly pins: PinInfo[];
  readonly analogPins: number[] = [];
  /** J5's default LED pin; there is none on a gateway. */
  readonly defaultLed = -1;
  isReady = false;
  private readonly allowed: ReadonlySet<number>;
  private readonly outputs = new Map<number, GpioOutputLine>();
  private readonly inputs = new Map<number, { line: GpioInputLine; readers: ((value: number) => void)[] }>();
  private readonly inputOptions: GpioInputOptions;

  constructor(
    readonly gpio: Gpio,
    opts: GpioIOOptions,
  ) {
    super();
    this.allowed = new Set(opts.lines);
    this.inputOptions = opts.input ?? { bias: 'pull-up', debounceMs: 30 };
    const length = opts.lines.length ? Math.max(...opts.lines) + 1 : 0;
    this.pins = Array.from({ length }, (_, i) => ({
      supportedModes: this.allowed.has(i) ? [MODES.INPUT, MODES.OUTPUT] : [],
      mode: this.allowed.has(i) ? MODES.OUTPUT : 0x7f, // 0x7f: IGNORE in Firmata's table
      value: 0,
      report: 0,
      analogChannel: 127,
    }));
    // The Gpio is open already, so the "board" is ready at once; J5 wants the events on a later turn.
    process.nextTick(() => {
      this.isReady = true;
      this.emit('connect');
      this.emit('ready');
    });
  }

  pinMode(pin: number, mode: number): this {
    this.check(pin, 'pinMode');
    if (mode === MODES.OUTPUT) this.outputFor(pin);
    else if (mode === MODES.INPUT) this.inputFor(pin);
    else throw new Error(`${this.name}: pin ${pin} mode ${mode} is not supported (digital INPUT and OUTPUT only)`);
    this.pins[pin]!.mode = mode;
    return this;
  }

  digitalWrite(pin: number, value: number): this {
    this.check(pin, 'digitalWrite');
    // Firmata's idiom of writing HIGH to an input to enable its pull-up: the bias is configured instead.
    if (this.inputs.has(pin)) return this;
    const level: Level = value ? 1 : 0;
    // J5's Relay writes without a pinMode first; the first write requests the line.
    this.outputFor(pin, level).write(level);
    this.pins[pin]!.value = level;
    return this;
  }

  /** Calls back with the debounced level on every change (as Firmata reports a digital pin). */
  digitalRead(pin: number, callback: (value: number) => void): this {
    this.check(pin, 'digitalRead');
    this.inputFor(pin).readers.push(callback);
    return this;
  }

  analogRead(pin: number): never {
    throw new Error(`${this.name}: analogRead(${pin}) is not supported (digital lines only)`);
  }

  analogWrite(pin: number): never {
    throw new Error(`${this.name}: analogWrite/PWM on pin ${pin} is not supported (digital lines only)`);
  }

  pwmWrite(pin: number): never {
    return this.analogWrite(pin);
  }

  servoWrite(pin: number): never {
    throw new Error(`${this.name}: servoWrite(${pin}) is not supported (digital lines only)`);
  }

  /** The standing fault of an output line J5 has written (see GpioOutputLine.fault), null if none or unknown. */
  lineFault(pin: number): Error | null {
    return this.outputs.get(pin)?.fault?.() ?? null;
  }

  /** J5's Board#samplingInterval; inputs here are event-driven, so there is nothing to adjust. */
  setSamplingInterval(_ms: number): this {
    return this;
  }

  private check(pin: number, op: string): void {
    if (!this.allowed.has(pin)) {
      throw new Error(`${this.name}: ${op} on line ${pin}, which is not configured (configured lines: ${[...this.allowed].join(', ') || 'none'})`);
    }
  }

  private outputFor(pin: number, initial: Level = 0): GpioOutputLine {
    let line = this.outputs.get(pin);
    if (!line) {
      if (this.inputs.has(pin)) throw new Error(`${this.name}: line ${pin} is an input and cannot be written`);
      line = this.gpio.output(pin, initial);
      this.outputs.set(pin, line);
    }
    return line;
  }

  private inputFor(pin: number): { line: GpioInputLine; readers: ((value: number) => void)[] } {
    let input = this.inputs.get(pin);
    if (!input) {
      if (this.outputs.has(pin)) throw new Error(`${this.name}: line ${pin} is an output and cannot be read as an input`);
      const readers: ((value: number) => void)[] = [];
      const line = this.gpio.input(pin, this.inputOptions, (level) => {
        this.pins[pin]!.value = level;
        for (const r of readers) r(level);
      });
      input = { line, readers };
      this.inputs.set(pin, input);
    }
    return input;
  }
}
