import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../gateway/paths.js';

/** The compiled CLI, as an installer runs it (`npm test` builds first). */
export const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

export interface VigilRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `vigil ARGS` in a child process without blocking this one (a virtual rig or a slow
 * Chromium may need the event loop meanwhile); killed after `timeoutMs`. Resolves once its
 * output is complete ('close', not 'exit').
 */
export function runVigil(args: readonly string[], timeoutMs: number): Promise<VigilRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
