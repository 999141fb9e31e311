import { execFile, type ChildProcess } from 'node:child_process';
import type { GpioFaultError } from './gpio-fault.js';
import type { GpiodCliGeneration } from './gpiod-cli.js';

/** What a line's child-process keeper needs from its GpiodGpio. */
export interface Context {
  readonly chip: string;
  readonly gen: GpiodCliGeneration;
  readonly env: NodeJS.ProcessEnv;
  readonly retryMs: number;
  readonly settleMs: number;
  readonly commandTimeoutMs: number;
  isClosed(): boolean;
  report(error: GpioFaultError): void;
  track(child: ChildProcess): void;
}

/** Runs a tool to completion and returns its stdout; rejects with its stderr on failure. */
export function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        const detail = stderr.trim() ? `: ${stderr.trim().slice(0, 300)}` : '';
        const e = new Error(`${cmd} ${args.join(' ')} failed (${error.code ?? error.signal ?? error.message})${detail}`) as NodeJS.ErrnoException;
        e.code = typeof error.code === 'string' ? error.code : undefined;
        reject(e);
        return;
      }
      resolve(stdout);
    });
  });
}

/** Keeps the first 2 KB of a child's stderr for the fault message. */
export function collect(child: ChildProcess): () => string {
  let text = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    if (text.length < 2_000) text += d;
  });
  return () => text.trim();
}

export function describeExit(tool: string, code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return `${tool} ${how}${stderr ? `: ${JSON.stringify(stderr.slice(0, 300))}` : ''}`;
}

