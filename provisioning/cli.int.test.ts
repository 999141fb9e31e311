import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../gateway/paths.js';

/** The `vigil` command as a user runs it: the compiled CLI in a child process (`npm test` builds first). */
const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function vigil(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('vigil validate', () => {
  it('accepts the shipped example (with its secrets file in place) and prints a summary', () => {
    const dir = join(tmp, 'example');
    mkdirSync(dir);
    copyFileSync(join(packageRoot(), 'examples', 'small-gas-site.yaml'), join(dir, 'site.yaml'));
    copyFileSync(join(packageRoot(), 'examples', 'secrets.example.yaml'), join(dir, 'secrets.yaml'));
    chmodSync(join(dir, 'secrets.yaml'), 0o600);
    const r = vigil('validate', join(dir, 'site.yaml'));
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/site\.yaml: OK — site "[a-z-]+", gateway "[a-z-]+": 2 buses, 5 devices, \d+ points/);
    expect(r.status).toBe(0);
  });

  it('prints every problem with line, path and value, and exits 1', () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(
      file,
      `version: 1
site: { id: plant, name: Plant }
gateway: { id: gw }
clock: { trust: ntp }
buses:
  - { name: rs485, type: rtu, port: /dev/ttyUSB0, baudRate: 9601, parity: even, stopBits: 1 }
devices:
  - { name: gas-1, bus: rs485, unitId: 300, profile: generic/combustible-gas, pollMs: 1000 }
  - { name: gas-1, bus: rs486, unitId: 1, profile: generic/combustible-gas, pollMs: 1000 }
storage: { path: vigil.db, budgetBytes: 67108864 }
`,
    );
    const r = vigil('validate', file);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines.some((l) => /bad\.yaml:6:\d+ buses\[0\]\.baudRate: .*\(got 9601\)/.test(l))).toBe(true);
    expect(lines.some((l) => /bad\.yaml:8:\d+ devices\[0\]\.unitId: .*\(got 300\)/.test(l))).toBe(true);
    expect(lines.some((l) => /bad\.yaml:9:\d+ devices\[1\]\.name: .*gas-1/.test(l))).toBe(true);
    expect(lines.some((l) => /bad\.yaml:9:\d+ devices\[1\]\.bus: .*rs486/.test(l))).toBe(true);
  });

  it('vigil run refuses to start on the same file, with the same messages', () => {
    const r = vigil('run', '--config', join(tmp, 'bad.yaml'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/devices\[0\]\.unitId/);
    expect(r.stderr).toMatch(/not started/);
  });

  it('vigil run stops cleanly (exit 0) on a SIGTERM that arrives while it is still starting', async () => {
    const dir = join(tmp, 'early-stop');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'site.yaml'),
      `version: 1
site: { id: plant, name: Plant }
gateway: { id: gw }
clock: { trust: always }
buses:
  - { name: net, type: tcp, host: 127.0.0.1, port: 1, timeoutMs: 100 }
devices:
  - { name: co-1, bus: net, unitId: 1, profile: generic/toxic-gas-co, pollMs: 1000 }
storage: { path: vigil.db, budgetBytes: 1048576 }
api: { bind: 127.0.0.1, port: 0 }
`,
    );
    // 300 ms: while the gateway's modules are still loading; 1.5 s: running
    for (const afterMs of [300, 1_500]) {
      const child = spawn(process.execPath, [CLI, 'run', '--config', join(dir, 'site.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      setTimeout(() => child.kill('SIGTERM'), afterMs);
      const end = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      expect(end, `SIGTERM after ${afterMs} ms; output:\n${out}`).toEqual({ code: 0, signal: null });
      expect(out).toContain('"msg":"stopping"');
    }
  });

  it('says no clearly to a bad command-line value', () => {
    const r = vigil('demo', '--api-port', 'eighty');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/a port is a whole number 0–65535, not "eighty"/);
  });
});

describe('vigil demo', () => {
  it('runs the whole system on the virtual rig and stops by itself', async () => {
    const child = spawn(process.execPath, [CLI, 'demo', '--api-port', '0', '--mqtt-port', '0', '--control-port', '0', '--data-dir', join(tmp, 'demo'), '--duration', '7'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(out).toContain('Vigil demo');
    expect(out).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/api\/health/);
    expect(out).toMatch(/npx mqtt sub -h 127\.0\.0\.1 -p \d+ -t 'vigil\/#' -v/);
    // the status line: every device answering, readings committed, the broker link up
    expect(out).toMatch(/ok\s+co-1 [\d.]+ ppm \| gas-1 [\d.]+ %LEL \| gas-2 [\d.]+ %LEL \| devices all ok \| outbox \d+, seq \d+ \| mqtt connected/);
    expect(out).toContain('stopped.');
    expect(code).toBe(0);
  });
});
