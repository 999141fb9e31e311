/**
 * `vigil scan` as an installer runs it (the compiled CLI in a child process) against the virtual
 * rig: an RS-485 line whose devices answer only at 19200 8N2 (line-settings emulation), at odd
 * addresses, with one model no profile knows; a Modbus TCP device sweep; and --write-to
 * producing a site file that `vigil validate` accepts. The sweep ranges are cut down so the
 * file runs in seconds; the order and stop rules are unit-tested in sweep.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileSchema } from '../../drivers/profiles/schema.js';
import { runVigil } from '../testing/run-vigil.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';


const vigil = (args: string[]) => runVigil(args, 45_000);

/** A device model no built-in profile describes (its register 0 reads 4242). */
const widget = ProfileSchema.parse({
  id: 'acme/widget',
  vendor: 'Acme',
  model: 'Widget',
  category: 'other',
  description: 'A device the scan cannot know',
  source: { generic: true, notes: 'test' },
  points: [{ name: 'code', table: 'holding', address: 0, type: 'u16' }],
});

const tmp = mkdtempSync(join(tmpdir(), 'vigil-scan-'));
let rig: VirtualRig;

beforeAll(async () => {
  rig = await startVirtualRig({
    tickMs: 0,
    buses: [
      { name: 'field', type: 'rtu', baudRate: 19200, lineSettings: { baudRate: 19200, parity: 'none' } },
      { name: 'lan', type: 'tcp' },
    ],
    devices: [
      { name: 'meter', bus: 'field', unitId: 17, profile: 'eastron/sdm630', behaviours: { voltage_l1: 231.2, frequency: 50.01 } },
      { name: 'efm', bus: 'field', unitId: 201, profile: 'generic/electrical-fire-monitor', behaviours: { residual_current: 35, leakage_alarm_setpoint: 300, temperature_alarm_setpoint: 70 } },
      { name: 'widget', bus: 'field', unitId: 18, profile: widget, behaviours: { code: 4242 } },
      { name: 'incomer', bus: 'lan', unitId: 1, profile: 'generic/power-meter-3p', behaviours: { voltage_l1: 229.5, frequency: 49.98 } },
      { name: 'lan-widget', bus: 'lan', unitId: 4, profile: widget, behaviours: { code: 7 } },
    ],
  });
}, 30_000);

afterAll(async () => {
  await rig?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

const SITE = `# A site file an installer started by hand.
version: 1
site: { id: plant, name: Plant }
gateway: { id: gw }
clock: { trust: always }
buses:
  # the LAN meter
  - name: lan
    type: tcp
    host: 127.0.0.1
    port: 502
devices:
  - name: incomer
    bus: lan
    unitId: 1
    profile: generic/power-meter-3p
    pollMs: 10000   # ten seconds is plenty for a meter
storage: { path: vigil.db, budgetBytes: 67108864 }
`;

describe('vigil scan', () => {
  it('finds the devices of an RS-485 line at 19200 8N2 and odd addresses, names their models, and writes them into the site file', async () => {
    const site = join(tmp, 'site.yaml');
    writeFileSync(site, SITE);
    const port = (rig.buses.field as { gatewayPort: string }).gatewayPort;
    const started = Date.now();
    const r = await vigil(['scan', '--port', port, '--baud', '9600,19200,38400', '--parity', 'even,none', '--units', '16-18,200-202', '--timeout', '300', '--write-to', site, '--bus', 'field']);
    const took = Date.now() - started;
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const rows = r.stdout.split('\n');
    const table = rows.filter((l) => /^\d+\s{2,}/.test(l));
    expect(table).toHaveLength(3);
    expect(table[0]).toMatch(/^17\s+19200 8N2\s+eastron\/sdm630\s+plausible \(2 checks\)\s+\d+ ms$/);
    expect(table[1]).toMatch(/^18\s+19200 8N2\s+unknown model\s+no profile matched\s+\d+ ms$/);
    expect(table[2]).toMatch(/^201\s+19200 8N2\s+generic\/electrical-fire-monitor\s+plausible \(3 checks\)\s+\d+ ms$/);
    expect(r.stdout).toContain('  unit 17: eastron/sdm630 — plausible, confirm on the label: input 0 (30001) phase 1 voltage reads 180–260 V as f32');
    expect(r.stdout).toContain('  unit 18: unknown model; read holding 0=4242 · exception 02 at holding 1,');
    // The line answered at 19200 8N2, so 38400 was never tried.
    expect(r.stdout).toContain('Not tried: 38400 8E1, 38400 8N2');
    expect(r.stdout).toContain('tried 9600 8E1 (0 answered), 9600 8N2 (0 answered), 19200 8E1 (0 answered), 19200 8N2 (3 answered)');
    // Written, then validated like `vigil validate`.
    expect(r.stdout).toMatch(/added sdm630-u17 \(unit 17, eastron\/sdm630\), electrical-fire-monitor-u201 \(unit 201, generic\/electrical-fire-monitor\) on a new bus "field"/);
    expect(r.stdout).toContain('not written: unit 18: unknown model');
    expect(r.stdout).toMatch(/site\.yaml: OK — site "plant", gateway "gw": 2 buses, 3 devices/);
    const text = readFileSync(site, 'utf8');
    expect(text.indexOf('- name: field')).toBeLessThan(text.indexOf('devices:')); // the new bus went into buses:
    for (const line of SITE.trimEnd().split('\n')) expect(text).toContain(line); // comments and layout kept
    expect(text).toContain(`port: ${port}\n    baudRate: 19200\n    parity: none\n    stopBits: 2`);
    // A separate `vigil validate` agrees.
    const v = await vigil(['validate', site]);
    expect(v.status, v.stderr).toBe(0);
    expect(took).toBeLessThan(30_000); // generous: 4 settings × 6 units × 300 ms = 7.2 s of timeouts at most
  }, 60_000);

  it('ends a dead line with what was tried and what to check', async () => {
    const port = (rig.buses.field as { gatewayPort: string }).gatewayPort;
    const r = await vigil(['scan', '--port', port, '--baud', '9600', '--parity', 'even', '--units', '16-18', '--timeout', '100']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`No device answered on ${port} (units 16–18;`);
    expect(r.stderr).toContain('Tried: 9600 8E1.');
    expect(r.stderr).toContain('A and B (D+/D−) swapped');
  }, 30_000);

  it('sweeps the unit ids of a Modbus TCP device (and asks for FC43/14 identification with --device-id)', async () => {
    const lan = rig.buses.lan as { host: string; port: number };
    const r = await vigil(['scan', '--tcp', `${lan.host}:${lan.port}`, '--units', '1-6', '--timeout', '300', '--device-id']);
    expect(r.status, r.stderr).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\d+\s{2,}/.test(l));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^1\s+tcp\s+generic\/power-meter-3p\s+plausible \(2 checks\)/);
    expect(rows[1]).toMatch(/^4\s+tcp\s+unknown model\s+no profile matched/);
    expect(r.stdout).toContain('  unit 4: unknown model; read holding 0=7 · ');
    expect(r.stdout).not.toContain('Every unit id answered');
    // The simulated devices have no FC43: the scan says so rather than failing.
    expect(r.stdout).toContain('    device identification (FC43/14): not supported (exception 01)');
  }, 30_000);

  it('refuses bad options with the value and the choices, before touching the port', async () => {
    const r = await vigil(['scan', '--port', '/dev/nonexistent', '--units', '0-300']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('vigil scan: --units: "0-300" is outside 1–247');
  }, 20_000);
});
