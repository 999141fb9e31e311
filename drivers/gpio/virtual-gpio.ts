import { Debouncer } from './debounce.js';
import { GpioFaultError } from './gpio-fault.js';
import type { Gpio, GpioInputLine, GpioInputOptions, GpioOutputLine, Level } from './gpio.js';

/**
 * GPIO in memory: the gateway without local hardware, the demo, and every test. Each write is
 * recorded with a time stamp so a test (or the demo console) can see the pattern a sounder or
 * strobe is playing; inputs are driven with set()/press() and pass through the same debounce as
 * on real hardware. Faults can be injected to exercise the annunciator's fault path.
 */
export interface WriteRecord {
  line: number;
  level: Level;
  /** From `now` (default Date.now, which vi fake timers control). */
  ts: number;
}

export interface VirtualGpioOptions {
  now?: () => number;
  /** Write records kept (oldest dropped first, up to 10 % more before a trim); the demo runs for days. Default 10 000. */
  maxHistory?: number;
}

interface VirtualOutput {
  level: Level;
  fault: Error | null;
}

interface VirtualInput {
  /** The raw (undebounced) level on the pin. */
  raw: Level;
  /** The level the line rests at with nothing pressed (from its bias). */
  idle: Level;
  debouncer: Debouncer;
}

export class VirtualGpio implements Gpio {
  readonly description = 'virtual';
  private readonly now: () => number;
  private readonly maxHistory: number;
  private readonly outputs = new Map<number, VirtualOutput>();
  private readonly inputs = new Map<number, VirtualInput>();
  private readonly history: WriteRecord[] = [];
  private readonly faultListeners: ((error: Error) => void)[] = [];
  private readonly writeListeners: ((record: WriteRecord) => void)[] = [];
  private isOpen = false;

  constructor(opts: VirtualGpioOptions = {}) {
    this.now = opts.now ?? (() => Date.now());
    this.maxHistory = opts.maxHistory ?? 10_000;
  }

  async open(): Promise<void> {
    this.isOpen = true;
  }

  async close(): Promise<void> {
    this.isOpen = false;
    for (const input of this.inputs.values()) input.debouncer.dispose();
  }

  output(line: number, initial: Level): GpioOutputLine {
    this.claim(line);
    const out: VirtualOutput = { level: initial, fault: null };
    this.outputs.set(line, out);
    this.record(line, initial);
    return {
      line,
      write: (level: Level) => {
        out.level = level;
        this.record(line, level);
      },
      read: () => out.level,
      fault: () => out.fault,
    };
  }

  input(line: number, opts: GpioInputOptions, onChange: (level: Level) => void): GpioInputLine {
    this.claim(line);
    // A pulled-up line rests high; pulled-down or floating (bias disabled, external resistor) low.
    const idle: Level = opts.bias === 'pull-up' ? 1 : 0;
    const input: VirtualInput = { raw: idle, idle, debouncer: new Debouncer(idle, opts.debounceMs, onChange) };
    this.inputs.set(line, input);
    return { line, read: () => input.debouncer.level };
  }

  onFault(listener: (error: Error) => void): void {
    this.faultListeners.push(listener);
  }

  // ---- test and demo controls -------------------------------------------------------------

  /** Drive an input's raw level (a key switch turned, a wire shorted); debounced like hardware. */
  set(line: number, level: Level): void {
    const input = this.inputs.get(line);
    if (!input) throw new Error(`virtual GPIO: line ${line} is not an input (inputs: ${[...this.inputs.keys()].join(', ') || 'none'})`);
    input.raw = level;
    input.debouncer.sample(level);
  }

  /** Press a push button: the line leaves its idle level and returns after holdMs (timers). */
  press(line: number, holdMs = 100): void {
    const input = this.inputs.get(line);
    if (!input) throw new Error(`virtual GPIO: line ${line} is not an input (inputs: ${[...this.inputs.keys()].join(', ') || 'none'})`);
    const pressed: Level = input.idle === 1 ? 0 : 1;
    this.set(line, pressed);
    setTimeout(() => this.set(line, input.idle), holdMs);
  }

  /** The current level of any line: an output's last write, an input's debounced level. */
  level(line: number): Level | undefined {
    return this.outputs.get(line)?.level ?? this.inputs.get(line)?.debouncer.level;
  }

  /** Every write (oldest first), optionally of one line and from a time on. */
  writes(line?: number, sinceTs = Number.NEGATIVE_INFINITY): WriteRecord[] {
    return this.history.filter((r) => (line === undefined || r.line === line) && r.ts >= sinceTs);
  }

  /** Level changes of an output line from sinceTs on (0→1 and 1→0 each count once). */
  edges(line: number, sinceTs = Number.NEGATIVE_INFINITY): number {
    let prev: Level | undefined;
    let count = 0;
    for (const r of this.history) {
      if (r.line !== line) continue;
      if (prev !== undefined && r.level !== prev && r.ts >= sinceTs) count++;
      prev = r.level;
    }
    return count;
  }

  /** Called after each write (the demo console shows the sounder and strobe live). */
  onWrite(listener: (record: WriteRecord) => void): void {
    this.writeListeners.push(listener);
  }

  /** Make a line report a fault, as a dead gpioset (output) or gpiomon (input) would. */
  injectFault(line: number, message = `virtual GPIO: line ${line} injected fault`): void {
    const out = this.outputs.get(line);
    if (!out && !this.inputs.has(line)) throw new Error(`virtual GPIO: line ${line} is not requested`);
    const fault = new GpioFaultError(message, out ? 'output' : 'input', line);
    if (out) out.fault = fault;
    for (const l of this.faultListeners) l(fault);
  }

  clearFault(line: number): void {
    const out = this.outputs.get(line);
    if (out) out.fault = null;
  }

  private claim(line: number): void {
    if (!this.isOpen) throw new Error(`virtual GPIO: open() before requesting line ${line}`);
    if (this.outputs.has(line) || this.inputs.has(line)) {
      throw new Error(`virtual GPIO: line ${line} is already requested as ${this.outputs.has(line) ? 'an output' : 'an input'}`);
    }
  }

  private record(line: number, level: Level): void {
    const rec = { line, level, ts: this.now() };
    this.history.push(rec);
    // Trim in chunks so a long-running demo does not shift the whole array on every write.
    if (this.history.length > this.maxHistory + Math.ceil(this.maxHistory / 10)) {
      this.history.splice(0, this.history.length - this.maxHistory);
    }
    for (const l of this.writeListeners) l(rec);
  }
}
