import { spawn, type ChildProcess } from 'node:child_process';
import { Debouncer } from './debounce.js';
import { GpioFaultError } from './gpio-fault.js';
import type { GpioInputOptions, Level } from './gpio.js';
import { gpiogetArgs, gpiomonArgs, parseGpiogetLevel, parseGpiomonEvent } from './gpiod-cli.js';
import { collect, describeExit, runTool, type Context } from './gpiod-process.js';

/** One input line: gpioget for the level at start, then a gpiomon child streaming edges. */
export class GpiodInput {
  private readonly debouncer: Debouncer;
  private child: ChildProcess | null = null;
  private standing: string | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly line: number,
    private readonly opts: GpioInputOptions,
    onChange: (level: Level) => void,
  ) {
    // Until gpioget answers, assume the line rests where its bias pulls it.
    this.debouncer = new Debouncer(opts.bias === 'pull-up' ? 1 : 0, opts.debounceMs, onChange);
    this.start();
  }

  read(): Level {
    return this.debouncer.level;
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
    this.debouncer.dispose();
  }

  private start(): void {
    const { gen, chip, env, commandTimeoutMs } = this.ctx;
    runTool('gpioget', gpiogetArgs(gen, chip, this.line, this.opts.bias), env, commandTimeoutMs).then(
      (out) => {
        if (this.ctx.isClosed()) return;
        const level = parseGpiogetLevel(out);
        if (level === null) return this.failed(`gpioget printed ${JSON.stringify(out.trim().slice(0, 200))}, not a level`);
        this.debouncer.reset(level); // the level at start-up is not a press
        this.monitor();
      },
      (e: Error) => {
        if (!this.ctx.isClosed()) this.failed(`gpioget failed: ${e.message}`);
      },
    );
  }

  private monitor(): void {
    let child: ChildProcess;
    try {
      child = spawn('gpiomon', gpiomonArgs(this.ctx.gen, this.ctx.chip, this.line, this.opts.bias), {
        env: this.ctx.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      this.failed(`gpiomon could not be started: ${(e as Error).message}`);
      return;
    }
    this.ctx.track(child);
    this.child = child;
    const stderr = collect(child);
    let buffered = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const event = parseGpiomonEvent(buffered.slice(0, nl));
        buffered = buffered.slice(nl + 1);
        if (event && event.line === this.line) {
          this.standing = null;
          this.debouncer.sample(event.level);
        }
      }
    });
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = null;
      if (this.ctx.isClosed()) return;
      this.failed(error ? `gpiomon could not be started: ${error.message}` : describeExit('gpiomon', code, signal, stderr()));
    };
    child.once('error', (e) => end(null, null, e));
    child.once('close', (code, signal) => end(code, signal));
  }

  private failed(what: string): void {
    const message = `input line ${this.line} on ${this.ctx.chip}: ${what}`;
    if (this.standing !== message) this.ctx.report(new GpioFaultError(message, 'input', this.line));
    this.standing = message;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.ctx.isClosed()) this.start();
    }, this.ctx.retryMs);
  }
}
