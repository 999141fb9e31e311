/**
 * Process, port and temp-dir plumbing shared by the benches. Every child a bench starts goes
 * through spawnTracked(), so one killAll() (also run on exit and on a signal) ends them all by
 * pid; every temp dir goes through makeTempDir(), removed by removeTempDirs().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** dist/ root of the compiled build (this file is dist/bench/support/proc.js). */
export const distRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(distRoot, 'provisioning', 'cli.js');

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export interface Tracked {
  child: ChildProcess;
  /** All stdout/stderr seen so far (capped), for error messages. */
  output(): string;
  /** Resolves with the first stdout line matching `re` (rejects on exit or after timeoutMs). */
  waitForLine(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
}

export function spawnTracked(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Tracked {
  const child = spawn(process.execPath, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  const add = (b: Buffer): void => {
    out += b.toString();
    if (out.length > 64_000) out = out.slice(-32_000);
  };
  child.stdout!.on('data', add);
  child.stderr!.on('data', add);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  const waitForLine = (re: RegExp, timeoutMs: number): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      let buf = '';
      const onData = (b: Buffer): void => {
        buf += b.toString();
        const m = buf.match(re);
        if (m) {
          cleanup();
          resolve(m);
        }
      };
      const onExit = (code: number | null): void => {
        cleanup();
        reject(new Error(`child ${args.join(' ')} exited (${code}) before printing ${re}:\n${out.slice(-2000)}`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`child ${args.join(' ')} did not print ${re} within ${timeoutMs} ms:\n${out.slice(-2000)}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        child.off('exit', onExit);
      };
      child.stdout!.on('data', onData);
      child.once('exit', onExit);
    });
  return { child, output: () => out, waitForLine, exited };
}

/** SIGTERM, then SIGKILL after graceMs. Resolves when the child is gone. */
export async function stopChild(t: Tracked, graceMs = 3_000): Promise<void> {
  const { child } = t;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await t.exited;
  clearTimeout(timer);
}

export function killAll(): void {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  children.clear();
}

export function makeTempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), `vigil-bench-${prefix}-`));
  tempDirs.add(d);
  return d;
}

export function removeTempDir(d: string): void {
  rmSync(d, { recursive: true, force: true });
  tempDirs.delete(d);
}

export function removeTempDirs(): void {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

let hooked = false;
/** Make sure children die and temp dirs go even when the bench crashes or is interrupted. */
export function installCleanupHooks(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    killAll();
    removeTempDirs();
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      removeTempDirs();
      process.exit(130);
    });
  }
}

/** A free TCP port on 127.0.0.1 (bound and released; small race, fine for a bench). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Starts bench/support/broker-process.js (aedes in its own process); resolves with its URL. */
export async function startBrokerProcess(): Promise<{ url: string; port: number; proc: Tracked }> {
  const proc = spawnTracked([join(distRoot, 'bench', 'support', 'broker-process.js')]);
  const m = await proc.waitForLine(/BROKER_PORT (\d+)/, 15_000);
  const port = Number(m[1]);
  return { url: `mqtt://127.0.0.1:${port}`, port, proc };
}

/** VmRSS of a process in bytes, from /proc/<pid>/status; null if it is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; null if it is gone. */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of proc(5) (utime, stime) are at 11 and 12 after the ") " split; USER_HZ is 100 on Linux.
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return null;
  }
}

export async function getJson<T>(url: string, timeoutMs = 2_000): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok && res.status !== 503) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** True when this module is the script node was started with (`node dist/bench/x.js`). */
export function isMain(metaUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === metaUrl;
}
