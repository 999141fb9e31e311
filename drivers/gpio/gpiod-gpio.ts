import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Gpio, GpioInputLine, GpioInputOptions, GpioOutputLine, Level } from './gpio.js';
import { chipDevicePath, parseGpiodVersion } from './gpiod-cli.js';
import { GpiodInput } from './gpiod-input.js';
import { GpiodOutput } from './gpiod-output.js';
import { runTool, type Context } from './gpiod-process.js';

/**
 * GPIO through libgpiod's command-line tools on the Linux GPIO character device — the one
 * interface that works on every current Raspberry Pi (Pi 5 and kernels ≥ 6.6 included; sysfs
 * GPIO is gone and pigpio refuses the Pi 5, toolchain.md §2). No native addon to build.
 *
 * One `gpioset` child per output line holds that line's level; changing the level means ending
 * that child (SIGTERM) and starting another with the new value once the old one has released the
 * line (a second request would fail with EBUSY). The caller's write() returns at once — the
 * spawn happens in the same turn, or on the old child's exit — so the alarm path never waits
 * (DESIGN.md principle 1). Between the old child's exit and the new one's request the kernel
 * owns the line for a few milliseconds; the level in that gap is the chip's (usually the last
 * one). Relays, sounders and strobes do not notice; a line toggled at kHz would.
 *
 * One `gpiomon` child per input line streams its edges; a software debounce turns them into
 * presses. Before it starts, `gpioget` reads the line's present level.
 *
 * Children must not outlive the gateway (an orphan gpioset keeps its line busy and the restarted
 * gateway gets EBUSY): every child is sent SIGTERM from a process 'exit' hook (normal exit and
 * uncaught exceptions), v1's gpioset also ends on the EOF of its stdin when we are SIGKILLed, and
 * under systemd the service's cgroup is cleaned on restart. Run the gateway as a systemd service.
 *
 * A child that ends without being asked, a chip that vanished or a tool that will not start is
 * reported through onFault (a GpioFaultError naming the line) — once per distinct failure — and
 * retried every `retryMs`; an output's fault() shows it until a new child has held the line for
 * `settleMs`.
 */
export interface GpiodGpioOptions {
  /** A chip number, name or path, as libgpiod takes it (config: outputs.driver.chip). */
  chip: string;
  /** The tools' environment; tests put a fake gpioset/gpiomon/gpioget first on its PATH. */
  env?: NodeJS.ProcessEnv;
  /** Where chip names resolve (default /dev). */
  devDir?: string;
  /** Wait before starting a failed tool again (default 5 s). */
  retryMs?: number;
  /** A gpioset alive this long holds its line: a standing fault clears (default 300 ms). */
  settleMs?: number;
  /** `gpioset --version`, `gpioget` must answer within this (default 5 s). */
  commandTimeoutMs?: number;
}

export class GpiodGpio implements Gpio {
  private readonly opts: Required<Omit<GpiodGpioOptions, 'env'>> & { env: NodeJS.ProcessEnv };
  private version: string | null = null;
  private ctx: Context | null = null;
  private closed = false;
  private readonly children = new Set<ChildProcess>();
  private readonly outputs = new Map<number, GpiodOutput>();
  private readonly inputs = new Map<number, GpiodInput>();
  private readonly faultListeners: ((error: Error) => void)[] = [];
  /** Synchronous: 'exit' listeners cannot wait. kill() is a plain syscall. */
  private readonly killChildrenOnExit = (): void => {
    for (const child of this.children) child.kill('SIGTERM');
  };

  constructor(opts: GpiodGpioOptions) {
    this.opts = {
      chip: opts.chip,
      env: opts.env ?? process.env,
      devDir: opts.devDir ?? '/dev',
      retryMs: opts.retryMs ?? 5_000,
      settleMs: opts.settleMs ?? 300,
      commandTimeoutMs: opts.commandTimeoutMs ?? 5_000,
    };
  }

  get description(): string {
    return `gpiod ${this.opts.chip}${this.version ? ` (libgpiod ${this.version})` : ''}`;
  }

  /** Checks the chip exists and the tools are a version we know; refuses clearly otherwise. */
  async open(): Promise<void> {
    const { chip, devDir, env, commandTimeoutMs } = this.opts;
    const device = chipDevicePath(chip, devDir);
    if (!existsSync(device)) {
      throw new Error(
        `outputs.driver.chip "${chip}": ${device} does not exist (chips here: ${listChips(dirname(device)) || 'none'}). ` +
          'Check the chip name with gpiodetect, and that this is a Linux board with GPIO',
      );
    }
    let out: string;
    try {
      out = await runTool('gpioset', ['--version'], env, commandTimeoutMs);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT') {
        throw new Error('gpioset is not installed (not found on PATH): install the libgpiod tools, e.g. `apt-get install gpiod`', { cause: e });
      }
      throw new Error(`"gpioset --version" failed: ${err.message}`, { cause: e });
    }
    const v = parseGpiodVersion(out);
    process.once('exit', this.killChildrenOnExit);
    this.version = v.version;
    const self = this;
    this.ctx = {
      chip,
      gen: v.generation,
      env,
      retryMs: this.opts.retryMs,
      settleMs: this.opts.settleMs,
      commandTimeoutMs,
      isClosed: () => self.closed,
      report: (error) => {
        for (const l of self.faultListeners) {
          try {
            l(error);
          } catch {
            // a listener's bug must not stop the others hearing of the fault
          }
        }
      },
      track: (child) => {
        self.children.add(child);
        child.once('close', () => self.children.delete(child));
        child.once('error', () => self.children.delete(child));
      },
    };
  }

  /** Ends every child; waits for them (SIGKILL after 2 s). Lines revert to the kernel's default. */
  async close(): Promise<void> {
    this.closed = true;
    process.removeListener('exit', this.killChildrenOnExit);
    for (const o of this.outputs.values()) o.dispose();
    for (const i of this.inputs.values()) i.dispose();
    const ending = [...this.children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const force = setTimeout(() => child.kill('SIGKILL'), 2_000);
          child.once('close', () => {
            clearTimeout(force);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(ending);
  }

  output(line: number, initial: Level): GpioOutputLine {
    const ctx = this.claim(line);
    const out = new GpiodOutput(ctx, line, initial);
    this.outputs.set(line, out);
    return { line, write: (l) => out.write(l), read: () => out.read(), fault: () => out.fault() };
  }

  input(line: number, opts: GpioInputOptions, onChange: (level: Level) => void): GpioInputLine {
    const ctx = this.claim(line);
    const input = new GpiodInput(ctx, line, opts, onChange);
    this.inputs.set(line, input);
    return { line, read: () => input.read() };
  }

  onFault(listener: (error: Error) => void): void {
    this.faultListeners.push(listener);
  }

  private claim(line: number): Context {
    if (!this.ctx || this.closed) throw new Error(`gpiod ${this.opts.chip}: open() before requesting line ${line}`);
    if (this.outputs.has(line) || this.inputs.has(line)) {
      throw new Error(`gpiod ${this.opts.chip}: line ${line} is already requested as ${this.outputs.has(line) ? 'an output' : 'an input'}`);
    }
    return this.ctx;
  }
}

function listChips(dir: string): string {
  try {
    return readdirSync(dir)
      .filter((f) => f.startsWith('gpiochip'))
      .sort()
      .join(', ');
  } catch {
    return '';
  }
}
