import { spawn, type ChildProcess } from 'node:child_process';
import { GpioFaultError } from './gpio-fault.js';
import type { Level } from './gpio.js';
import { gpiosetArgs } from './gpiod-cli.js';
import { collect, describeExit, type Context } from './gpiod-process.js';

/** One output line: the gpioset child that holds it, and the level it should hold. */
export class GpiodOutput {
  private desired: Level;
  private child: ChildProcess | null = null;
  private childLevel: Level = 0;
  private killing = false;
  private standing: GpioFaultError | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly ctx: Context,
    private readonly line: number,
    initial: Level,
  ) {
    this.desired = initial;
    this.start();
  }

  write(level: Level): void {
    this.desired = level;
    if (this.ctx.isClosed()) return;
    if (this.child) {
      // The exit handler starts the next child with whatever is desired by then.
      if (!this.killing && this.childLevel !== level) {
        this.killing = true;
        this.child.kill('SIGTERM');
      }
      return;
    }
    if (this.retryTimer === undefined) this.start();
  }

  read(): Level {
    return this.desired;
  }

  fault(): Error | null {
    return this.standing;
  }

  dispose(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.settleTimer);
  }

  private start(): void {
    const level = this.desired;
    const args = gpiosetArgs(this.ctx.gen, this.ctx.chip, this.line, level);
    let child: ChildProcess;
    try {
      // stdin is a pipe we never write: v1's --mode=wait ends on its EOF when the gateway dies (gpiod-cli.ts).
      child = spawn('gpioset', args, { env: this.ctx.env, stdio: ['pipe', 'ignore', 'pipe'] });
      child.stdin?.on('error', () => undefined);
    } catch (e) {
      this.failed(`gpioset could not be started: ${(e as Error).message}`);
      return;
    }
    this.ctx.track(child);
    this.child = child;
    this.childLevel = level;
    this.killing = false;
    const stderr = collect(child);
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null, error?: Error) => {
      if (ended) return;
      ended = true;
      clearTimeout(this.settleTimer);
      if (this.child === child) this.child = null;
      if (this.ctx.isClosed()) return;
      const asked = this.killing;
      this.killing = false;
      if (error) return this.failed(`gpioset could not be started: ${error.message}`);
      // Ended by our SIGTERM (the tools die of it or exit 0): a level change.
      const byUs = asked && (signal === 'SIGTERM' || code === 0);
      if (!byUs) return this.failed(describeExit('gpioset', code, signal, stderr()));
      this.standing = null; // it held the line until we ended it (a 2 Hz strobe never reaches settleMs)
      this.start();
    };
    child.once('error', (e) => end(null, null, e));
    child.once('close', (code, signal) => end(code, signal));
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      if (this.child === child) this.standing = null;
    }, this.ctx.settleMs);
  }

  private failed(what: string): void {
    const error = new GpioFaultError(`output line ${this.line} on ${this.ctx.chip}: ${what}`, 'output', this.line);
    const isNew = this.standing?.message !== error.message;
    this.standing = error;
    if (isNew) this.ctx.report(error);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.ctx.isClosed() && !this.child) this.start();
    }, this.ctx.retryMs);
  }
}
