/**
 * Installs the peer the `peer` bench compares Vigil with — Node-RED and
 * node-red-contrib-modbus — for the benchmark only: pinned exact versions, into a cache
 * directory outside the repository (never a dependency of the project), re-used when it is
 * already there with the right versions.
 *
 * Versions: the newest of each that runs on Node 20 and installs from the npm registry alone.
 * node-red 5.x and contrib-modbus ≥ 5.45 need Node ≥ 22 (`npm view <pkg> engines`), and
 * contrib-modbus 5.45+ also pulls a tarball from a third-party host; 4.1.15 / 5.23.3 declare
 * `node >=18.5` / `>=12` and come from the registry.
 *
 * `--ignore-scripts`: nothing the bench uses needs an install script (Modbus TCP only; the
 * serialport binding contrib-modbus drags in ships prebuilt and is never opened).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const PEER_PACKAGES = { 'node-red': '4.1.15', 'node-red-contrib-modbus': '5.23.3' } as const;

export interface PeerInstall {
  /** The directory whose node_modules holds node-red and node-red-contrib-modbus. */
  dir: string;
  nodeModules: string;
  /** node-red's entry point, started as `node red.js --settings … --userDir …`. */
  redJs: string;
  versions: Record<string, string>;
  /** Wall time of the install in this run; null when the cache was re-used. */
  installMs: number | null;
}

/** `$XDG_CACHE_HOME/vigil-bench/peer/<versions>` (else `~/.cache/…`): one directory per version set. */
export function peerCacheDir(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  const tag = Object.entries(PEER_PACKAGES).map(([name, v]) => `${name}@${v}`).join('+');
  return join(base, 'vigil-bench', 'peer', tag);
}

/** What is wrong with the install in `dir` (missing package, other version), or null when it is usable. */
export function installProblem(dir: string): string | null {
  for (const [name, want] of Object.entries(PEER_PACKAGES)) {
    const pkgFile = join(dir, 'node_modules', name, 'package.json');
    if (!existsSync(pkgFile)) return `${name} is not installed (no ${pkgFile})`;
    let version: unknown;
    try {
      version = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version?: unknown }).version;
    } catch (e) {
      return `${pkgFile}: ${(e as Error).message}`;
    }
    if (version !== want) return `${name} is ${JSON.stringify(version)} in ${pkgFile}, the bench pins ${want}`;
  }
  const redJs = join(dir, 'node_modules', 'node-red', 'red.js');
  return existsSync(redJs) ? null : `node-red has no red.js (${redJs})`;
}

/**
 * Returns a usable peer install, installing it first when the cache has none. Throws an Error
 * naming the command, the directory and npm's last output when the install fails or exceeds
 * `timeoutMs` — the bench must fail loudly, never skip the comparison.
 */
export async function ensurePeerInstalled(opts: { dir?: string; timeoutMs?: number } = {}): Promise<PeerInstall> {
  const dir = opts.dir ?? peerCacheDir();
  const done = (installMs: number | null): PeerInstall => ({
    dir,
    nodeModules: join(dir, 'node_modules'),
    redJs: join(dir, 'node_modules', 'node-red', 'red.js'),
    versions: { ...PEER_PACKAGES },
    installMs,
  });
  if (installProblem(dir) === null) return done(null);

  // Install beside the final directory, then rename: an interrupted install never looks usable.
  const staging = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(staging, { recursive: true });
  const t0 = performance.now();
  try {
    writeFileSync(join(staging, 'package.json'), `${JSON.stringify({ name: 'vigil-bench-peer', private: true, dependencies: PEER_PACKAGES }, null, 2)}\n`);
    await runNpmInstall(staging, opts.timeoutMs ?? 120_000);
    const problem = installProblem(staging);
    if (problem) throw new Error(`peer install in ${staging} finished but is unusable: ${problem}`);
    rmSync(dir, { recursive: true, force: true }); // a stale or partial install of the same versions
    try {
      renameSync(staging, dir);
    } catch (e) {
      // Another bench run may have finished the same install first; theirs is as good.
      if (installProblem(dir) !== null) throw new Error(`peer install: cannot move ${staging} to ${dir}: ${(e as Error).message}`);
    }
    return done(performance.now() - t0);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function runNpmInstall(cwd: string, timeoutMs: number): Promise<void> {
  // One quick retry per fetch (npm's default is two, with waits of 10–60 s): an unreachable
  // registry fails in seconds, a lost packet is still retried.
  const args = ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', '--loglevel=error', '--fetch-retries=1', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=5000'];
  const what = `npm ${args.join(' ')} (${Object.entries(PEER_PACKAGES).map(([n, v]) => `${n}@${v}`).join(', ')}) in ${cwd}`;
  return new Promise((resolve, reject) => {
    // Under `npm test`/`npm run`, npm_execpath is the npm that started us; otherwise npm on PATH.
    const viaNpmCli = process.env.npm_execpath?.endsWith('.js') === true;
    const child = viaNpmCli ? spawn(process.execPath, [process.env.npm_execpath!, ...args], { cwd }) : spawn('npm', args, { cwd });
    let out = '';
    const keep = (b: Buffer): void => {
      out = (out + b.toString()).slice(-4_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`peer install timed out after ${Math.round(timeoutMs / 1000)} s: ${what}. Is the npm registry reachable?\n${out.slice(-2_000)}`));
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`peer install could not start npm: ${e.message} (${what})`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`peer install failed (exit ${code ?? signal}): ${what}. The peer bench needs the npm registry.\n${out.slice(-2_000)}`));
    });
  });
}
