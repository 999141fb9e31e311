import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../gateway/paths.js';
import { alarmsById, eventually, setGas, startSafetySite } from '../../gateway/runtime/testing/safety-site.js';

const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

/** `vigil live --once` from dist/ against a gateway on the virtual rig: one plain frame on a pipe. */
describe('vigil live --once', () => {
  it('prints one frame with the site, a standing alarm, the points and bus health, and exits 0', async () => {
    const site = await startSafetySite();
    const { gw, api } = await site.startGateway();
    await setGas(site, gw, 'gas-2', 30, 10_000);
    await eventually(() => alarmsById(api), (a) => a.get('gas-2/gas_high')?.state === 'unacknowledged', 5_000, 'gas-2/gas_high');

    // Asynchronously: the gateway runs in this process and must keep answering.
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [CLI, 'live', '--api', gw.apiUrl, '--once'], { encoding: 'utf8', timeout: 20_000 }, (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }));
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VIGIL safety-plant\/gw-safety {2}(OK|DEGRADED|FAULT) +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    expect(lines[1]).toMatch(/^clock trusted · broker (connected|DISCONNECTED) · outbox \d+ readings, \d+ events · up \d+s$/);
    expect(lines).toContain('  HIGH gas-2/gas_high                 unacknowledged     30 (sp 25)');
    expect(lines).toContain('gas-2         gas_lel                   30 %LEL   good       ▁'); // one sample: a one-block trend
    expect(lines).toContainEqual(expect.stringMatching(/^rs485-1 +\d+ +\d+ +\d+$/));
    expect(r.stdout).not.toContain('\x1b['); // a pipe gets no escape codes
  });

  // Synchronous is fine here: no gateway in this process to starve.
  it('says clearly when no gateway answers, and exits 2', () => {
    const r = spawnSync(process.execPath, [CLI, 'live', '--api', 'http://127.0.0.1:9', '--once'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/^vigil live: GET http:\/\/127\.0\.0\.1:9\/api\/health: the gateway did not answer .* is `vigil run` running there\?/);
  });
});
