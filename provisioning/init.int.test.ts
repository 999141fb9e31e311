import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../gateway/paths.js';

/** `vigil init` then `vigil validate`, as an installer types them: the compiled CLI in a child process (`npm test` builds first). */
const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-init-int-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function vigil(...args: string[]) {
  // stdin is not a terminal here: init must not wait for answers
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('vigil init → vigil validate', () => {
  it.each([
    ['small-gas', []],
    ['major-hazard', ['--port2', '/dev/ttyUSB1']],
    ['electrical-fire', []],
    ['fire-panel-bridge', ['--centre', '10.0.0.7:5000']],
  ])('%s: the written file validates with its bus budget printed', (template, extra) => {
    const file = join(tmp, `${template}.yaml`);
    const init = vigil('init', file, '--template', template, '--site-id', 'plant-7', '--gateway-id', 'gw-a', '--port', '/dev/ttyUSB0', '--baud', '9600', '--broker', 'mqtts://iot.example.com:8883', ...extra);
    expect(init.stderr).toBe('');
    expect(init.status).toBe(0);
    expect(init.stdout).toContain(`vigil validate ${file}`);
    expect(statSync(join(tmp, `${template}.secrets.yaml`)).mode & 0o777).toBe(0o600);

    const v = vigil('validate', file);
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(new RegExp(`^${template}\\.yaml: OK — site "plant-7", gateway "gw-a": `));
    expect(v.stdout).toMatch(/\nrs485-[a-z0-9-]+: RTU 9600 baud 8E1, \d+ devices?: \d+ % busy — [\d.]+ s of line time per second, [\d.]+ transactions\/s — ok/);
  });

  it('without --template and without a terminal it says which flags to pass, and writes nothing', () => {
    const r = vigil('init', join(tmp, 'none.yaml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no --template, and no terminal to ask on\. Pass the answers as flags/);
  });

  it('validate rejects an overbooked bus with what to change, exit 1', () => {
    const r = vigil('validate', join(packageRoot(), 'gateway', 'config', 'testcases', 'overbooked-bus', 'site.yaml'));
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /site\.yaml:8:5 buses\[0\]: bus "rs485-1" cannot keep up: needs 1\.18 s of line time per second at 2400 baud \(118 %, 8\.2 transactions\/s\); raise baudRate to 4800 on the bus and every device on it \(61 %\), lengthen pollMs of gas-1\.\.gas-8 to 2000 \(61 %\), or split its devices over 2 buses \(serial ports\)\n/,
    );
    expect(r.stderr).toMatch(/site\.yaml: 1 error, 0 warnings\n$/);
  });
});
