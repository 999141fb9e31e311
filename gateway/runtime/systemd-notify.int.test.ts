import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../forward/testing/broker.js';
import { packageRoot } from '../paths.js';
import { siteWithBroker } from './testing/site-under-test.js';

const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

/**
 * `vigil run` as systemd starts it (deploy/vigil.service: Type=notify, WatchdogSec): NOTIFY_SOCKET
 * and WATCHDOG_USEC set, and a fake `systemd-notify` first on PATH that records each call, one
 * line per call. The gateway must say READY=1 once it runs, keep pinging, and say STOPPING=1 on
 * SIGTERM.
 */
describe('vigil run under systemd (fake systemd-notify on PATH)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });

  it('READY=1 after start, WATCHDOG=1 pings while the alarm path runs, STOPPING=1 on SIGTERM', async () => {
    expect(existsSync(CLI), `${CLI} is missing — run \`npm run build\` first`).toBe(true);
    const { site } = await siteWithBroker({ pollMs: 200 });
    const bin = mkdtempSync(join(tmpdir(), 'vigil-fake-systemd-'));
    cleanups.push(() => rmSync(bin, { recursive: true, force: true }));
    const record = join(bin, 'calls.log');
    writeFileSync(join(bin, 'systemd-notify'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${record}'\n`);
    chmodSync(join(bin, 'systemd-notify'), 0o755);
    const calls = (): string[] => (existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter(Boolean) : []);

    const child: ChildProcess = spawn(process.execPath, [CLI, 'run', '--config', site.siteFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, NOTIFY_SOCKET: join(bin, 'notify.sock'), WATCHDOG_USEC: '400000' },
    });
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    await waitUntil(() => calls().filter((c) => c === 'WATCHDOG=1').length >= 3, 30_000, 'three watchdog pings');
    expect(calls()[0]).toMatch(/^READY=1 STATUS=site [a-z0-9-]+, gateway [a-z0-9-]+: running$/);
    expect(calls().slice(1).every((c) => c === 'WATCHDOG=1')).toBe(true);

    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(calls()).toContain('STOPPING=1');
  }, 60_000);
});
