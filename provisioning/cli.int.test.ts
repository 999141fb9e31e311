import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
    expect(r.stdout).toMatch(/site\.yaml: OK — site "[a-z-]+", gateway "[a-z-]+": 2 buses, 6 devices, \d+ points/);
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
  /**
   * The demo as a newcomer sees it, long enough for gas-1's first leak (demo-site.ts: 5 s quiet,
   * then 20 s up from 1 to 62 %LEL — 25 %LEL after ~13 s, 50 %LEL after ~21 s — and a valve that
   * takes 2 s to close), and for the fire story (fire-scenario.ts: the panel's fire at 35 s, the
   * centre's 查岗 at 45 s). While it runs, the test plays the operator through the local API.
   */
  it('runs the whole system on the virtual rig, raises gas-1\'s alarms, trips the interlock, relays a panel fire to the centre, answers its 查岗, and stops by itself', async () => {
    const dataDir = join(tmp, 'demo');
    const child = spawn(process.execPath, [CLI, 'demo', '--api-port', '0', '--mqtt-port', '0', '--control-port', '0', '--data-dir', dataDir, '--duration', '56'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    let running = true;
    void exited.then(() => (running = false));

    // Poll the demo's own API while it runs: bounded by the demo's duration, never by a guess.
    const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
      while (running) {
        const found = await probe().catch(() => undefined);
        if (found !== undefined) return found;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`the demo ended before ${what}; its output:\n${out}`);
    };
    const api = await until('printing its API address', async () => /curl -s (http:\/\/127\.0\.0\.1:\d+)\/api\/health/.exec(out)?.[1]);
    const getJson = async (path: string): Promise<unknown> => (await fetch(`${api}${path}`)).json();

    const gasHigh = await until('gas-1/gas_high was listed', async () => {
      const { alarms } = (await getJson('/api/alarms')) as { alarms: { id: string; state: string; value?: number }[] };
      return alarms.find((a) => a.id === 'gas-1/gas_high' && a.state !== 'normal');
    });
    expect(gasHigh.state).toBe('unacknowledged');
    expect(gasHigh.value).toBeGreaterThanOrEqual(25);

    const tripped = await until('the interlock was confirmed', async () => {
      const { interlocks } = (await getJson('/api/interlocks')) as { interlocks: { name: string; state: string; trippedBy: string | null }[] };
      return interlocks.find((i) => i.name === 'close-gas-valve' && i.state === 'tripped');
    });
    expect(tripped.trippedBy).toBe('gas-1/gas_high_high');
    // The detector's own second-level alarm follows within a poll or two; a new activation would
    // re-arm a silenced sounder (GB 16808), so silence once it is there too.
    await until('gas-1/detector_alarm_2 was listed', async () => {
      const { alarms } = (await getJson('/api/alarms')) as { alarms: { id: string; state: string }[] };
      return alarms.find((a) => a.id === 'gas-1/detector_alarm_2' && a.state !== 'normal');
    });

    // The demo user's token, from the header file the console's curl commands use.
    const authFile = join(dataDir, 'api-auth.header');
    expect((statSync(authFile).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dataDir, 'secrets.yaml')).mode & 0o777).toString(8)).toBe('600');
    const [header, value] = readFileSync(authFile, 'utf8').trim().split(': ');
    const silence = await fetch(`${api}/api/silence`, { method: 'POST', headers: { [header!]: value! } });
    expect(await silence.json()).toMatchObject({ ok: true, message: 'silenced: sounder' });

    // The simulated fire panel's smoke detector: a fire at the panel is a fire at the gateway…
    const panelFire = await until('fire-panel/fire was listed', async () => {
      const { alarms } = (await getJson('/api/alarms')) as { alarms: { id: string; state: string; priority: string; class: string }[] };
      return alarms.find((a) => a.id === 'fire-panel/fire' && a.state !== 'normal');
    });
    expect(panelFire).toMatchObject({ state: 'unacknowledged', priority: 'critical', class: 'fire' });
    // …and the console tells how long it took to reach the simulated monitoring centre (GB 26875.1: 10 s).
    const relayMs = await until('the console told the centre received the fire alarm', async () => /→ centre received fire alarm in (\d+) ms .* and confirmed it/.exec(out)?.[1]);
    expect(Number(relayMs)).toBeLessThan(10_000);

    // 查岗: the console says what to type; nothing is answered until a person does.
    const ackCommand = await until('the console told of the duty-check', async () => /查岗: the monitoring centre asks[^\n]*\n\s+(curl -s -X POST \S+\/api\/alarms\/fire-centre\/duty_check\/acknowledge -H @\S+)/.exec(out)?.[1]);
    expect(ackCommand).toContain(authFile);
    expect(out).not.toContain('查岗 answered');
    const ack = await fetch(`${api}/api/alarms/fire-centre/duty_check/acknowledge`, { method: 'POST', headers: { [header!]: value! } });
    expect(await ack.json()).toMatchObject({ ok: true });
    await until('the console told the answer reached the centre', async () => /✔ 查岗 answered: the answer reached the monitoring centre \d+\.\d s after it asked/.exec(out)?.[0]);

    const code = await exited;
    expect(out).toContain('Vigil demo');
    expect(out).toMatch(/curl -s http:\/\/127\.0\.0\.1:\d+\/api\/health/);
    expect(out).toMatch(/npx mqtt sub -h 127\.0\.0\.1 -p \d+ -t 'vigil\/#' -v/);
    expect(out).toMatch(/acknowledge all +curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/api\/alarms\/acknowledge-all -H @\S+api-auth\.header/);
    // the status line: every device answering, readings committed, the broker link up
    expect(out).toMatch(/ok\s+co-1 [\d.]+ ppm \| gas-1 [\d.]+ %LEL \| gas-2 [\d.]+ %LEL \| devices all ok \| outbox \d+, seq \d+ \| mqtt connected/);
    // what the console told: the alarm, the trip and its confirmation, the silenced sounder
    expect(out).toMatch(/▲ gas-1\/gas_high high\/orange: .* \(2\d\.\d %LEL\)/);
    expect(out).toMatch(/✔ interlock close-gas-valve confirmed in \d+\.\d s/);
    expect(out).toMatch(/interlock +close-gas-valve TRIPPED by gas-1\/gas_high_high at [\d:]+ \(confirmed in \d+\.\d s\) · valve-1 closed/);
    expect(out).toMatch(/outputs +sounder silenced · STROBE ✱ gas pattern \(1 Hz even flash\) · fault-lamp off · FAN ON/);
    expect(out).toMatch(/▲ fire-panel\/fire critical\/red: Fire alarm on panel fire-panel/);
    expect(out).toMatch(/outputs +SOUNDER ♪ fire pattern \(continuous\)/);
    // the ordered shutdown the plant ignores, as the cloud received it
    expect(out).toMatch(/⚡ the cloud received electricity\.production-during-shutdown: .*demo-ordered-shutdown/);
    expect(out).toContain('stopped.');
    expect(code).toBe(0);
  });
});
