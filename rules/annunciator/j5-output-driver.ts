import type { EventEmitter } from 'node:events';
import five from 'johnny-five';
import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import type { Gpio, Level } from '../../drivers/gpio/gpio.js';
import { GpioIO } from '../../drivers/gpio/j5-io.js';
import { routeGpioFaults, type OutputDriver, type OutputState } from './output-driver.js';

/**
 * Outputs through johnny-five components (issue 3): five.Led for strobes and lamps, five.Relay for
 * relays, sounders (an active buzzer or a 24 V sounder behind a relay is an on/off load) and the
 * watchdog line. The `io` is our GpioIO over libgpiod/virtual lines on a gateway, or mock-firmata
 * in tests.
 *
 * Only on/off goes through J5. The flash and beep patterns are timed by the annunciator's
 * PatternPlayer, not by Led#blink/strobe: J5's blink is a symmetric setInterval toggle (it does
 * run under vi fake timers — 8 toggles in 2 s at 250 ms, checked), but the patterns here are
 * asymmetric (double flash, short beep every 5 s), must switch instantly when a higher class
 * arrives, and share one timing source with the sounders.
 *
 * Active-low wiring: a Relay of type "NC" writes LOW to close (J5's own inversion); a Led has no
 * digital inversion, so an active-low lamp is lit with led.off() and darkened with led.on().
 */
export interface J5OutputDriverOptions {
  /** The board must be ready within this (default 5 s). */
  readyTimeoutMs?: number;
  /** Where line faults come from when `io` is not a GpioIO (GpioIO brings its own Gpio). */
  gpio?: Gpio;
}

type Component = { kind: 'led'; led: five.Led } | { kind: 'relay'; relay: five.Relay };

export class J5OutputDriver implements OutputDriver {
  readonly description: string;
  private readonly components = new Map<string, { config: OutputConfig; component: Component; on: boolean }>();
  private readonly listeners: ((output: string | null, error: Error) => void)[] = [];

  constructor(
    board: five.Board,
    private readonly io: EventEmitter,
    outputs: readonly OutputConfig[],
    gpio: Gpio | undefined,
  ) {
    this.description = `johnny-five on ${io instanceof GpioIO ? io.gpio.description : String((io as { name?: unknown }).name ?? 'io')}`;
    const byLine = new Map<number, string>();
    for (const config of outputs) {
      const component: Component =
        config.kind === 'strobe' || config.kind === 'lamp'
          ? { kind: 'led', led: new five.Led({ pin: config.line, board }) }
          : { kind: 'relay', relay: new five.Relay({ pin: config.line, type: config.activeLow ? 'NC' : 'NO', board }) };
      this.components.set(config.name, { config, component, on: false });
      byLine.set(config.line, config.name);
      this.set(config.name, false); // request the line and put it in its off state now
    }
    if (gpio) routeGpioFaults(gpio, byLine, this.listeners);
    // J5 re-emits its io's "error" on the board; unheard, an EventEmitter "error" would throw.
    board.on('error', (e: unknown) => {
      const error = e instanceof Error ? e : new Error(`johnny-five board error: ${String(e)}`);
      for (const l of this.listeners) l(null, error);
    });
  }

  set(name: string, on: boolean): void {
    const c = this.get(name);
    c.on = on;
    const comp = c.component;
    if (comp.kind === 'relay') {
      if (on) comp.relay.close();
      else comp.relay.open();
    } else if (on !== c.config.activeLow) comp.led.on();
    else comp.led.off();
  }

  state(name: string): OutputState {
    const c = this.get(name);
    const comp = c.component;
    // The physical level as J5 last wrote it (Relay#isClosed exists at runtime; @types/johnny-five omits it).
    const level: Level =
      comp.kind === 'led'
        ? comp.led.isOn
          ? 1
          : 0
        : (comp.relay as unknown as { isClosed: boolean }).isClosed !== c.config.activeLow
          ? 1
          : 0;
    const fault = this.io instanceof GpioIO ? this.io.lineFault(c.config.line) : null;
    return { on: c.on, level, fault };
  }

  onFault(listener: (output: string | null, error: Error) => void): void {
    this.listeners.push(listener);
  }

  private get(name: string) {
    const c = this.components.get(name);
    if (!c) throw new Error(`no output named "${name}" (outputs: ${[...this.components.keys()].join(', ')})`);
    return c;
  }
}

/**
 * A J5 board over `io`, ready, with a component per output. The board is created before the
 * first await, so a test can emit mock-firmata's "connect"/"ready" right after calling this.
 */
export async function createJ5OutputDriver(outputs: readonly OutputConfig[], io: EventEmitter, opts: J5OutputDriverOptions = {}): Promise<J5OutputDriver> {
  // sigint: false — otherwise J5 installs its own SIGINT handler that exits the process (board.js).
  const boardOptions: five.BoardOption & { sigint: boolean } = { io, repl: false, debug: false, sigint: false, timeout: opts.readyTimeoutMs ?? 5_000 };
  const board = new five.Board(boardOptions);
  const timeoutMs = opts.readyTimeoutMs ?? 5_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`johnny-five board on ${describeIo(io)} was not ready within ${timeoutMs} ms`)), timeoutMs);
    board.on('ready', () => {
      // J5 emits "ready" once per board; @types/johnny-five has no once().
      clearTimeout(timer);
      resolve();
    });
  });
  const gpio = opts.gpio ?? (io instanceof GpioIO ? io.gpio : undefined);
  return new J5OutputDriver(board, io, outputs, gpio);
}

function describeIo(io: EventEmitter): string {
  return io instanceof GpioIO ? io.gpio.description : String((io as { name?: unknown }).name ?? 'its io');
}
