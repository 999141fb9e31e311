import { spawn } from 'node:child_process';

/**
 * Runs `node <script> <args…>`, which prints one line of space-separated numbers per durable
 * commit (with a synchronous write, after the commit resolved), and SIGKILLs it once it has
 * printed `killAfter` lines. Resolves with the complete lines it printed, parsed; a line cut
 * by the kill is not a report. Rejects if the child exits by itself or is too slow.
 * Shared by the kill -9 tests (kill.int.test.ts, alarm-kill.int.test.ts).
 */
export function runAndKill(script: string, args: readonly string[], label: string, killAfter: number, timeoutMs = 5_000): Promise<number[][]> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: number[][] = [];
  let buffered = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: only ${lines.length} commits in ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) lines.push(line.split(' ').map(Number));
      if (lines.length >= killAfter && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(lines);
      else reject(new Error(`${label}: child exited by itself (code ${code}); stderr: ${stderr}`));
    });
  });
}
