/**
 * A virtual RS-485 cable: two pseudo-terminals joined by socat (toolchain.md §3). The gateway
 * opens one end as if it were /dev/ttyUSB0; the RTU slave opens the other. Baud rate means
 * nothing on a pty — bytes arrive as fast as they are written, with no line timing.
 *
 * No orphan socat, however the test process ends:
 *  - close() stops it and waits for it to exit (bounded, then SIGKILL);
 *  - a process 'exit' handler kills every socat still running;
 *  - socat runs under a small sh wrapper that holds a pipe from this process and kills socat
 *    when the pipe reaches EOF — which the kernel does for us if this process dies in a way
 *    no handler sees (SIGKILL, a crashed vitest worker).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPairOptions {
  /** Directory for the two symlinks; default a fresh temporary directory, removed on close. */
  dir?: string;
  /** Link names inside `dir`: [gateway end, rig end]. Default ['ttyV0', 'ttyV1']. */
  names?: readonly [string, string];
  /** How long to wait for socat to create both links. Default 5000 ms. */
  timeoutMs?: number;
  /** The socat executable. Default 'socat' (from PATH). */
  socat?: string;
}

export interface PtyPair {
  /** The end the gateway (or a Modbus client in a test) opens. */
  readonly gatewayPath: string;
  /** The end the simulated slaves answer on. */
  readonly rigPath: string;
  /** Stops socat (idempotent). */
  close(): Promise<void>;
}

export const SOCAT_MISSING_HINT = 'install it with `sudo apt-get install socat` (or run `node scripts/ensure-system-tools.mjs`)';

// sh holds stdin (our pipe) and kills socat when it reads EOF; $0 is the socat command.
const WRAPPER = '"$0" "$@" </dev/null & pid=$!; echo "$pid"; read _ || true; kill "$pid" 2>/dev/null; wait "$pid"';

const running = new Set<{ wrapper: ChildProcess; socatPid: () => number | undefined }>();
let exitHookInstalled = false;

function killAllOnExit(): void {
  for (const r of running) {
    const pid = r.socatPid();
    if (pid) tryKill(pid, 'SIGTERM');
    if (r.wrapper.pid) tryKill(r.wrapper.pid, 'SIGTERM');
  }
}

function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

export async function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const socat = options.socat ?? 'socat';
  if (spawnSync('sh', ['-c', 'command -v "$0"', socat], { stdio: 'ignore' }).status !== 0) {
    throw new Error(`socat is not installed; the virtual RS-485 bus needs it: ${SOCAT_MISSING_HINT}`);
  }
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'vigil-rig-')));
  const [gwName, rigName] = options.names ?? ['ttyV0', 'ttyV1'];
  const gatewayPath = join(dir, gwName);
  const rigPath = join(dir, rigName);
  const args = ['-d', '-d', `pty,raw,echo=0,link=${gatewayPath}`, `pty,raw,echo=0,link=${rigPath}`];

  const wrapper = spawn('sh', ['-c', WRAPPER, socat, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let socatPid: number | undefined;
  let log = '';
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => wrapper.once('exit', () => ((exited = true), resolve())));
  wrapper.stdout.setEncoding('utf8').on('data', (s: string) => {
    socatPid ??= Number.parseInt(s, 10) || undefined;
  });
  // socat -d -d logs the pty names and errors here; kept (bounded) for error messages.
  wrapper.stderr.setEncoding('utf8').on('data', (s: string) => {
    log = (log + s).slice(-4000);
  });
  wrapper.stdin.on('error', () => undefined);
  const entry = { wrapper, socatPid: () => socatPid };
  running.add(entry);
  if (!exitHookInstalled) {
    process.on('exit', killAllOnExit);
    exitHookInstalled = true;
  }

  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    wrapper.stdin.end(); // EOF: the wrapper kills socat and exits
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 2000).unref());
    if (!exited && (await Promise.race([exitedPromise, timeout])) === 'timeout') {
      if (socatPid) tryKill(socatPid, 'SIGKILL');
      if (wrapper.pid) tryKill(wrapper.pid, 'SIGKILL');
      await exitedPromise;
    }
    running.delete(entry);
    if (ownDir) await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (!(existsSync(gatewayPath) && existsSync(rigPath))) {
    if (exited || Date.now() > deadline) {
      await close();
      throw new Error(`socat did not create ${gatewayPath} and ${rigPath} ${exited ? '(it exited)' : `within ${options.timeoutMs ?? 5000} ms`}: ${log.trim() || 'no output'}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { gatewayPath, rigPath, close };
}
