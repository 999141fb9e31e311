import { once } from 'node:events';
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { createRequire } from 'node:module';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { VigilError } from './errors.js';

/**
 * The gateway's logger: pino, JSON lines, one child per component
 * (`logger.child({ component: 'bus', bus: 'rs485-1' })`).
 *
 * The alarm path must never wait on logs (DESIGN principle 1): a slow SD card or a blocked
 * stdout pipe must not delay a sounder. So stdout, stderr and files are written through
 * pino's asynchronous destination (sonic-boom with sync: false): log calls only append to a
 * memory buffer and the writes happen off the event-loop turn. The cost is that lines still
 * buffered when the process is killed or calls process.exit() are lost unless flushed — await
 * flushLogger() first. (Ending by process.exitCode lets pending writes finish by themselves.)
 */

export type { Logger };

export type LogDestination = 'stdout' | 'stderr' | { file: string } | DestinationStream;

export interface LoggerOptions {
  level: Level | 'silent';
  /** Human-readable lines via pino-pretty (a devDependency: for laptops, not gateways). */
  pretty?: boolean;
  /** Default 'stdout' (journald picks it up under systemd). */
  destination?: LogDestination;
  /**
   * Called when the destination fails while running (disk full, I/O error) or drops lines
   * because its buffer is full. Default: one line on stderr. Never thrown: a log problem must
   * not stop the gateway (an unhandled stream 'error' would crash the process, alarm path
   * included). A log file that cannot be opened at all is refused by createLogger instead.
   */
  onDestinationProblem?: (problem: Error) => void;
}

/**
 * Cap on log bytes waiting for a slow destination (a stalled SD card, a blocked pipe). Beyond
 * it lines are dropped and reported, rather than growing memory on a 1 GB gateway until the
 * kernel kills the process that drives the sounders.
 */
export const LOG_BUFFER_MAX_BYTES = 8 * 1024 * 1024;

/** Config values that must never reach a log line, wherever they are nested one level deep. */
const REDACT = ['password', 'passphrase', 'token', 'secret'].flatMap((k) => [k, `*.${k}`]);

export function createLogger(opts: LoggerOptions): Logger {
  const dest = opts.destination ?? 'stdout';
  const base = {
    level: opts.level,
    redact: { paths: REDACT, censor: '[redacted]' },
  };
  if (opts.pretty) return pino(base, prettyTransport(dest));
  const report = opts.onDestinationProblem ?? reportOnStderr;
  return pino(base, asyncDestination(dest, report));
}

function asyncDestination(dest: LogDestination, report: (problem: Error) => void): DestinationStream {
  if (dest !== 'stdout' && dest !== 'stderr' && !('file' in dest)) {
    return dest; // a caller-supplied stream (tests, an in-memory ring buffer for the UI …)
  }
  const fd = dest === 'stdout' ? 1 : dest === 'stderr' ? 2 : openLogFile(dest.file);
  const where = typeof dest === 'string' ? dest : dest.file;
  // Given an open fd, sonic-boom is ready at once, so flushSync() works from the first line on
  // (see flushLogger for the 'ready' pitfall with a path).
  const stream = pino.destination({ dest: fd, sync: false, maxLength: LOG_BUFFER_MAX_BYTES });

  // One report per episode, not one per log line: an error is reported again only after a
  // write has succeeded since, dropping only after the buffer has drained since.
  let errorReported: string | null = null;
  let dropping = false;
  stream.on('error', (err: NodeJS.ErrnoException) => {
    const key = err.code ?? err.message;
    if (key === errorReported) return;
    errorReported = key;
    report(new Error(`log destination ${where}: ${err.message}`, { cause: err }));
  });
  stream.on('write', () => {
    errorReported = null;
  });
  stream.on('drop', () => {
    if (dropping) return;
    dropping = true;
    report(new Error(`log destination ${where} is not keeping up; dropping log lines`));
  });
  stream.on('drain', () => {
    dropping = false;
  });
  return stream;
}

/**
 * Opened synchronously, once, at start-up (before any bus is polled): a log file that cannot be
 * opened is refused then, naming the file (DESIGN principle 7), instead of failing later in
 * the background with lines silently lost. O_APPEND keeps `copytruncate` log rotation safe.
 */
function openLogFile(file: string): number {
  try {
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'a');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new VigilError('CONFIG_INVALID', `cannot open log file ${file}: ${err.code ?? err.message}`, { file }, { cause: e });
  }
}

function reportOnStderr(problem: Error): void {
  process.stderr.write(`vigil: ${problem.message}\n`);
}

function prettyTransport(dest: LogDestination): DestinationStream {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
  } catch {
    // Say no clearly: the worker thread would otherwise fail later with a vaguer message.
    throw new VigilError('CONFIG_INVALID', 'pretty logs need the pino-pretty package (a development dependency); run without --pretty on a gateway', {});
  }
  let destination: number | string;
  if (dest === 'stdout') destination = 1;
  else if (dest === 'stderr') destination = 2;
  else if ('file' in dest) destination = dest.file;
  else throw new VigilError('CONFIG_INVALID', 'pretty logs go to stdout, stderr or a file, not to a custom stream', {});
  // A transport runs pino-pretty in a worker thread, so formatting stays off the main thread too.
  return pino.transport({ target: 'pino-pretty', options: { destination, mkdir: true } }) as DestinationStream;
}

/** The parts of sonic-boom (pino.destination) flushLogger relies on. */
interface SonicBoomLike {
  fd: number;
  flushSync(): void;
  _writing?: boolean;
}

function isSonicBoom(s: unknown): s is SonicBoomLike & NodeJS.EventEmitter {
  return typeof s === 'object' && s !== null && typeof (s as SonicBoomLike).flushSync === 'function' && typeof (s as SonicBoomLike).fd === 'number';
}

/**
 * Write out buffered log lines (shutdown, fatal start-up errors) — await it before exiting.
 * Works on the root logger or any child (they share the stream). Never rejects: shutdown
 * must go on, and destination failures are reported by createLogger's listener.
 *
 * It waits until the destination can take a synchronous write, then writes the rest:
 * - Pitfall (toolchain.md §8): `pino.destination({ dest: PATH, sync: false })` opens the file
 *   asynchronously, and `flushSync()` before the stream's 'ready' event throws "sonic boom is
 *   not ready yet" — e.g. a config error logged in the first milliseconds. createLogger opens
 *   files itself and passes the fd, so its streams are ready at once; for any other
 *   destination we wait for 'ready' here.
 * - While an asynchronous write is in flight, writing the rest synchronously could put lines
 *   out of order; so wait for 'drain' (write finished). sonic-boom has no public "writing"
 *   flag, hence the guarded look at `_writing`.
 */
export function flushLogger(logger: Logger): Promise<void> {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (!isSonicBoom(stream)) {
    // pino.transport (pretty) and plain streams: pino's flush reaches them.
    return new Promise((resolve) => logger.flush(() => resolve()));
  }
  const flushNow = (): void => {
    try {
      stream.flushSync();
    } catch {
      // The destination's 'error' listener has reported the failure; nothing more to do here.
    }
  };
  return (async () => {
    try {
      if (stream.fd < 0) await once(stream, 'ready');
      if (stream._writing === true) await once(stream, 'drain');
    } catch {
      return; // 'error' instead of 'ready' / 'drain': reported by the destination's listener
    }
    flushNow();
  })();
}
