import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { onTestFinished } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCatalog, type ProfileCatalog } from '../../../drivers/profiles/loader.js';
import { ProfileSchema, type Profile } from '../../../drivers/profiles/schema.js';
import { loadSiteConfig, type LoadResult } from '../load.js';
import { formatProblem } from '../problems.js';

/** A minimal valid profile with the named u16 holding-register points. */
export function profile(id: string, points: string[]): Profile {
  const [vendor = 'x', model = 'x'] = id.split('/');
  return ProfileSchema.parse({
    id,
    vendor,
    model,
    category: 'other',
    description: 'test profile',
    source: { generic: true, notes: 'test' },
    modbus: {},
    points: points.map((name, address) => ({ name, table: 'holding', address, type: 'u16' })),
  });
}

/** Stand-ins for the built-in generic profiles, so config tests do not depend on their contents. */
export const testCatalog: ProfileCatalog = createCatalog([
  profile('generic/combustible-gas', ['gas_lel', 'status']),
  profile('generic/toxic-gas-co', ['co_ppm', 'status']),
  profile('generic/electrical-fire-monitor', ['residual_current', 'cable_temperature_1']),
  profile('generic/power-meter-3p', ['voltage_l1', 'current_l1']),
]);

/** A fresh directory holding the given files (name → text); `secrets.yaml` gets mode 0600. */
export function siteDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-config-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, name), text);
    if (name.startsWith('secrets')) chmodSync(join(dir, name), 0o600);
  }
  return dir;
}

/** Load a site file text (plus side files) from a temp dir, with the test catalog. */
export function loadText(site: string, files: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): LoadResult & { dir: string } {
  const dir = siteDir({ 'site.yaml': site, ...files });
  return { ...loadSiteConfig(join(dir, 'site.yaml'), { catalog: testCatalog, env }), dir };
}

/** What the installer sees, with the temp directory taken out of the file names. */
export function lines(r: LoadResult & { dir: string }): { errors: string[]; warnings: string[] } {
  const show = (p: Parameters<typeof formatProblem>[0]) => formatProblem(p).split(`${r.dir}/`).join('');
  return { errors: r.ok ? [] : r.problems.map(show), warnings: r.warnings.map(show) };
}

/** A valid site file; tests replace single lines of it. */
export const VALID_SITE = `version: 1
site:
  id: plant-2
  name: Plant 2
gateway:
  id: gw-1
clock:
  trust: ntp
buses:
  - name: line1
    type: rtu
    port: /dev/ttyUSB0
    baudRate: 9600
    parity: even
    stopBits: 1
  - name: meters
    type: tcp
    host: 10.0.0.5
devices:
  - name: ch4-1
    bus: line1
    unitId: 1
    profile: generic/combustible-gas
    pollMs: 1000
  - name: meter-1
    bus: meters
    unitId: 1
    profile: generic/power-meter-3p
    pollMs: 10000
storage:
  path: site.db
  budgetBytes: 1048576
`;
