import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import { isGpioFault } from '../../drivers/gpio/gpio-fault.js';
import type { Gpio, GpioOutputLine, Level } from '../../drivers/gpio/gpio.js';

/**
 * How the annunciator switches its outputs: by name, logically on or off. The driver owns the
 * wiring (line, active-low) and the hardware path (GPIO lines directly, or johnny-five components
 * over an IO plugin), so the annunciator's logic is tested without either.
 */
export interface OutputState {
  /** Logically on (sounder sounding, relay energised), as last commanded. */
  on: boolean;
  /** The physical level on the line (differs from `on` for an active-low output). */
  level: Level;
  /** The line's standing fault, or null while it is driven as asked. */
  fault: Error | null;
}

export interface OutputDriver {
  readonly description: string;
  /** Synchronous and never waits on I/O (DESIGN.md principle 1). Unknown names throw: a wiring bug. */
  set(name: string, on: boolean): void;
  state(name: string): OutputState;
  /** A line failed; `output` is the output's name, or null for a chip-wide fault. */
  onFault(listener: (output: string | null, error: Error) => void): void;
}

/** Physical level for a logical state. */
export function levelFor(output: Pick<OutputConfig, 'activeLow'>, on: boolean): Level {
  return on !== output.activeLow ? 1 : 0;
}

/**
 * Outputs straight on Gpio lines. Every line is requested at construction, logically off.
 * Faults of lines that are not ours (inputs) are left to whoever owns them.
 */
export class GpioOutputDriver implements OutputDriver {
  readonly description: string;
  private readonly lines = new Map<string, { config: OutputConfig; line: GpioOutputLine; on: boolean }>();
  private readonly byLine = new Map<number, string>();
  private readonly listeners: ((output: string | null, error: Error) => void)[] = [];

  constructor(outputs: readonly OutputConfig[], gpio: Gpio) {
    this.description = `direct on ${gpio.description}`;
    for (const config of outputs) {
      this.lines.set(config.name, { config, line: gpio.output(config.line, levelFor(config, false)), on: false });
      this.byLine.set(config.line, config.name);
    }
    routeGpioFaults(gpio, this.byLine, this.listeners);
  }

  set(name: string, on: boolean): void {
    const o = this.get(name);
    o.on = on;
    o.line.write(levelFor(o.config, on));
  }

  state(name: string): OutputState {
    const o = this.get(name);
    return { on: o.on, level: o.line.read(), fault: o.line.fault?.() ?? null };
  }

  onFault(listener: (output: string | null, error: Error) => void): void {
    this.listeners.push(listener);
  }

  private get(name: string) {
    const o = this.lines.get(name);
    if (!o) throw new Error(`no output named "${name}" (outputs: ${[...this.lines.keys()].join(', ')})`);
    return o;
  }
}

/**
 * Hands a Gpio's faults to output-fault listeners by output name: a fault on one of our lines
 * names its output, a chip-wide fault (no line) is passed on with null, and faults on lines that
 * are not outputs (the input buttons) are left to their owner.
 */
export function routeGpioFaults(gpio: Gpio, byLine: ReadonlyMap<number, string>, listeners: readonly ((output: string | null, error: Error) => void)[]): void {
  gpio.onFault((error) => {
    const line = isGpioFault(error) ? error.line : undefined;
    if (isGpioFault(error) && error.role === 'input') return;
    const name = line === undefined ? null : byLine.get(line);
    if (name === undefined) return;
    for (const l of listeners) l(name, error);
  });
}
