import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { writeDemoSecrets } from './demo-secrets.js';
import { DEMO, demoSiteYaml } from './demo-site.js';
import { ELECTRICITY_DEMO, electricitySiteYaml } from './electricity-scenario.js';
import { FIRE_DEMO, fireSiteYaml } from './fire-scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-demo-site-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo site file', () => {
  it('is valid, without warnings, with the safety layer the console describes', () => {
    writeDemoSecrets(dir);
    const file = join(dir, 'site.yaml');
    writeFileSync(file, demoSiteYaml({ rtuPort: '/dev/null', tcpPort: 1502, mqttUrl: 'mqtt://127.0.0.1:1883', apiPort: 0 }) + fireSiteYaml(9000, 5000) + electricitySiteYaml(Date.UTC(2026, 10, 23, 2, 0, 0, 500)));
    const loaded = loadSiteConfig(file);
    if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
    expect(loaded.warnings.map(formatProblem)).toEqual([]);
    const { config } = loaded;
    expect(config.interlocks?.map((i) => [i.name, i.when])).toEqual([[DEMO.interlock, ['gas-1/gas_high_high']]]);
    expect(config.interlocks?.[0]?.confirm).toMatchObject({ device: DEMO.valve, point: 'closed_feedback', value: true });
    expect(config.outputs?.driver).toEqual({ kind: 'virtual' });
    expect(config.outputs?.lines.map((l) => `${l.name}:${l.kind}:${l.failsafe}`)).toEqual(['sounder:sounder:on', 'strobe:strobe:on', 'fault-lamp:lamp:on', 'fan:relay:off']);
    expect(loaded.secrets.apiUsers?.map((u) => u.name)).toEqual([DEMO.user]);
    // the simulated fire panel (the gateway dials it) and the simulated monitoring centre
    expect(config.firePanels?.map((p) => p.name)).toEqual([FIRE_DEMO.panel]);
    expect(config.firePanels?.[0]?.transport).toMatchObject({ type: 'tcp-client', host: '127.0.0.1', port: 9000 });
    expect(config.fireCentre?.centre).toMatchObject({ host: '127.0.0.1', port: 5000 });
    // an ordered shutdown that opens shortly after the start, on the power meter
    expect(config.electricity?.meters.map((m) => m.device)).toEqual([ELECTRICITY_DEMO.meter]);
    expect(config.electricity?.shutdown?.dates).toEqual([
      { name: ELECTRICITY_DEMO.window, description: '限电 order (demo)', start: '2026-11-23T02:00:24Z', end: '2026-11-23T04:00:24Z' },
    ]);
    expect(config.electricity?.shutdown?.powerHoldSeconds).toBe(ELECTRICITY_DEMO.powerHoldSeconds);
  });

  it('keeps the token in files only the owner can read, the header file carrying the same token', () => {
    writeFileSync(join(dir, DEMO.secretsFile), 'left by an earlier run\n', { mode: 0o644 });
    const first = writeDemoSecrets(dir);
    for (const f of [first.secretsFile, first.authHeaderFile]) expect((statSync(f).mode & 0o777).toString(8)).toBe('600');
    const token = /^Authorization: Bearer (\S{16,})\n$/.exec(readFileSync(first.authHeaderFile, 'utf8'))?.[1];
    expect(token).toBeDefined();
    expect(readFileSync(first.secretsFile, 'utf8')).toContain(`${DEMO.tokenKey}: "${token}"`);
    // a new token every run
    writeDemoSecrets(dir);
    expect(readFileSync(first.authHeaderFile, 'utf8')).not.toContain(token!);
  });
});
