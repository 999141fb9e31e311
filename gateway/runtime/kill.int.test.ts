import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../paths.js';
import { startBroker, waitUntil, type TestBroker } from '../forward/testing/broker.js';
import { startSiteUnderTest, type SiteUnderTest } from './testing/site-under-test.js';
import { missingSeqs, publishedSeqs } from './testing/collect.js';

const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

/** The gateway's log lines (JSON on stdout) are kept so a test can look for warnings. */
const logs = new WeakMap<ChildProcess, string[]>();

function runGateway(siteFile: string): ChildProcess {
  const child = spawn(process.execPath, [CLI, 'run', '--config', siteFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.setEncoding('utf8');
  const lines: string[] = [];
  logs.set(child, lines);
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

function highestSeq(seqs: ReadonlySet<number>): number {
  let max = 0;
  for (const s of seqs) if (s > max) max = s;
  return max;
}

/**
 * A power cut as the gateway process sees it: SIGKILL in the middle of polling and forwarding,
 * with the broker down so the outbox is full of committed, unsent readings. After a restart,
 * every sequence number from 1 to the highest the broker has seen must have arrived: a gap
 * would be a committed reading that was lost.
 */
describe('vigil run killed with SIGKILL mid-stream', () => {
  let broker: TestBroker | undefined;
  let site: SiteUnderTest | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await site?.stop();
    await broker?.stop();
  });

  it('loses no committed reading across three kills, and stops cleanly on SIGTERM', async () => {
    expect(existsSync(CLI), `${CLI} is missing — run \`npm run build\` first`).toBe(true);
    broker = await startBroker();
    site = await startSiteUnderTest(broker.url, { pollMs: 100 });

    for (let round = 1; round <= 3; round++) {
      const child = runGateway(site.siteFile);
      children.push(child);
      const seenBefore = highestSeq(publishedSeqs(broker.published));
      await waitUntil(() => highestSeq(publishedSeqs(broker!.published)) > seenBefore + 20, 15_000, `round ${round}: readings from the restarted gateway`);
      // Outage: readings keep being committed but cannot be sent.
      await broker.stop();
      await new Promise((r) => setTimeout(r, 700));
      child.kill('SIGKILL');
      expect((await exited(child)).signal).toBe('SIGKILL');
      await broker.start();
    }

    // The last incarnation delivers everything its predecessors committed — and its own readings.
    const beforeSurvivor = highestSeq(publishedSeqs(broker.published));
    const survivor = runGateway(site.siteFile);
    children.push(survivor);
    await waitUntil(
      () => {
        const seqs = publishedSeqs(broker!.published);
        return highestSeq(seqs) > beforeSurvivor + 20 && missingSeqs(seqs, highestSeq(seqs)).length === 0;
      },
      30_000,
      'the restarted gateway to deliver a gap-free sequence',
    );
    const seqs = publishedSeqs(broker.published);
    expect(missingSeqs(seqs, highestSeq(seqs))).toEqual([]);
    expect(highestSeq(seqs)).toBeGreaterThan(100);

    survivor.kill('SIGTERM');
    let stderr = '';
    survivor.stderr?.on('data', (d: string) => (stderr += d));
    const end = await Promise.race([exited(survivor), new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000))]);
    expect(end, `vigil run did not stop within 20 s of SIGTERM; stderr:\n${stderr}`).not.toBe('hung');
    expect(end).toEqual({ code: 0, signal: null });
    // it exited because everything was closed, not because the 2 s shutdown fallback fired
    expect((logs.get(survivor) ?? []).filter((l) => l.includes('still running'))).toEqual([]);
    // a clean stop says so on the state topic
    const lastState = broker.published.filter((m) => m.topic.endsWith('/state')).at(-1);
    expect(lastState?.json()).toMatchObject({ state: 'offline' });
  });
});
