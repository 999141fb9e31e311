/**
 * The GPIO interface (DESIGN.md principle 6: hardware sits behind small interfaces). Outputs
 * drive sounders, strobes and relays; inputs read the acknowledge button and the reset key.
 * Implementations: gpiod (libgpiod's character device, current Raspberry Pi OS and kernels,
 * Pi 5 included) and virtual (memory; tests, demo, and a gateway without local outputs).
 *
 * Writes are synchronous calls that never wait on I/O completion: the alarm path calls them in
 * the same turn as the reading that caused them (DESIGN.md principle 1). A failure surfaces
 * through `onFault`, never as a throw into the alarm path.
 */
export type Level = 0 | 1;

export interface GpioOutputLine {
  readonly line: number;
  /** Physical level: 1 = line high. Active-low inversion is done by the caller's output config. */
  write(level: Level): void;
  /** The level last written. */
  read(): Level;
  /**
   * The line's standing fault (its gpioset died, the chip vanished), or null while it is driven
   * as asked. Lets an interlock's read-back tell "written" from "held". Optional: a driver that
   * cannot lose a line (memory) may omit it.
   */
  fault?(): Error | null;
}

export interface GpioInputLine {
  readonly line: number;
  read(): Level;
}

export interface GpioInputOptions {
  bias: 'pull-up' | 'pull-down' | 'disabled';
  debounceMs: number;
}

export interface Gpio {
  /** e.g. "gpiod gpiochip0" or "virtual". */
  readonly description: string;
  open(): Promise<void>;
  /** Releases every line (outputs keep no guaranteed level after release: wire fail-safe). */
  close(): Promise<void>;
  output(line: number, initial: Level): GpioOutputLine;
  /** onChange is called with the debounced new level. */
  input(line: number, opts: GpioInputOptions, onChange: (level: Level) => void): GpioInputLine;
  /** A line cannot be driven or read (the chip vanished, gpioset died). */
  onFault(listener: (error: Error) => void): void;
}
