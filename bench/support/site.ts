/**
 * A gateway site on the virtual rig, for the benches that run `vigil run` as a child process:
 * writes a synthetic profile (`bench/u16xN`: N consecutive u16 holding registers) into a
 * temporary profileDirs directory, starts a virtual rig Modbus TCP bus with the devices, and
 * writes the site file that points the gateway at the rig (and, optionally, a broker).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import { cliPath, freePort, makeTempDir, spawnTracked, type Tracked } from './proc.js';

export interface BenchSite {
  dir: string;
  siteFile: string;
  apiUrl: string;
  rig: VirtualRig;
  profileId: string;
  deviceNames: string[];
}

export interface BenchSiteOptions {
  devices: number;
  registersPerDevice: number;
  pollMs: number;
  brokerUrl?: string;
  /** Profile id to use instead of the synthetic one (must be built in). */
  builtinProfile?: string;
  logLevel?: 'warn' | 'info' | 'error';
}

function profileYaml(id: string, n: number): string {
  const [vendor, model] = id.split('/') as [string, string];
  const points = Array.from({ length: n }, (_, i) => `  - { name: r${String(i).padStart(3, '0')}, table: holding, address: ${i}, type: u16, scale: 0.1, unit: V }`);
  return [
    `id: ${id}`,
    `vendor: ${vendor}`,
    `model: ${model}`,
    'category: other',
    `description: Bench device with ${n} consecutive u16 holding registers`,
    'source:',
    '  generic: true',
    '  notes: synthetic, written by bench/support/site.ts',
    'points:',
    ...points,
    '',
  ].join('\n');
}

export async function createBenchSite(opts: BenchSiteOptions): Promise<BenchSite> {
  const dir = makeTempDir('site');
  const profilesDir = join(dir, 'profiles');
  let profileId = opts.builtinProfile ?? `bench/u16x${opts.registersPerDevice}`;
  let catalog;
  if (!opts.builtinProfile) {
    const [vendor, model] = profileId.split('/') as [string, string];
    mkdirSync(join(profilesDir, vendor), { recursive: true });
    writeFileSync(join(profilesDir, vendor, `${model}.yaml`), profileYaml(profileId, opts.registersPerDevice));
    const loaded = loadProfileCatalog([profilesDir]);
    if (loaded.problems.length) throw new Error(`bench profile: ${loaded.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    catalog = loaded.catalog;
  }
  const deviceNames = Array.from({ length: opts.devices }, (_, i) => `dev-${String(i + 1).padStart(3, '0')}`);
  const rig = await startVirtualRig({
    buses: [{ name: 'bench-tcp', type: 'tcp' }],
    devices: deviceNames.map((name, i) => ({ name, bus: 'bench-tcp', unitId: i + 1, profile: profileId })),
    ...(catalog ? { catalog } : {}),
    tickMs: 1_000,
  });
  try {
    const bus = rig.buses['bench-tcp'];
    if (!bus || bus.type !== 'tcp') throw new Error('virtual rig: no tcp bus');
    const apiPort = await freePort();
    const lines = [
      'version: 1',
      'site: { id: bench, name: Bench site }',
      'gateway: { id: gw-bench }',
      'clock: { trust: always }',
      `log: { level: ${opts.logLevel ?? 'warn'} }`,
      'buses:',
      `  - { name: bench-tcp, type: tcp, host: 127.0.0.1, port: ${bus.port}, timeoutMs: 1000 }`,
      'devices:',
      ...deviceNames.map((name, i) => `  - { name: ${name}, bus: bench-tcp, unitId: ${i + 1}, profile: ${profileId}, pollMs: ${opts.pollMs} }`),
      ...(opts.brokerUrl
        ? ['cloud:', '  mqtt:', `    url: ${opts.brokerUrl}`, '    clientId: bench-gw', '    topicPrefix: vigil']
        : []),
      'storage: { path: gateway.db, budgetBytes: 268435456 }',
      `api: { bind: 127.0.0.1, port: ${apiPort} }`,
      ...(opts.builtinProfile ? [] : ['profileDirs: [profiles]']),
      '',
    ];
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, lines.join('\n'));
    return { dir, siteFile, apiUrl: `http://127.0.0.1:${apiPort}`, rig, profileId, deviceNames };
  } catch (e) {
    await rig.stop().catch(() => undefined);
    throw e;
  }
}

/** `node [nodeArgs] dist/provisioning/cli.js run --config <site>` in the site's directory. */
export function spawnGateway(site: BenchSite, nodeArgs: readonly string[] = []): Tracked {
  return spawnTracked([...nodeArgs, cliPath, 'run', '--config', site.siteFile], { cwd: site.dir });
}

/** Outbox figures from /api/health (null while the API is not up or the store reports an error). */
export interface OutboxView {
  depth: { telemetry: number; event: number };
  lastSeq: number;
}

export async function outbox(apiUrl: string): Promise<OutboxView | null> {
  try {
    const res = await fetch(`${apiUrl}/api/health`, { signal: AbortSignal.timeout(2_000) });
    const body = (await res.json()) as { outbox?: Partial<OutboxView> & { error?: string } };
    const o = body.outbox;
    if (!o || o.error !== undefined || !o.depth || o.lastSeq === undefined) return null;
    return { depth: o.depth, lastSeq: o.lastSeq };
  } catch {
    return null;
  }
}

/** A counter's total over all its label sets from /metrics (null if unreachable or absent). */
export async function metricTotal(apiUrl: string, name: string): Promise<number | null> {
  try {
    const res = await fetch(`${apiUrl}/metrics`, { signal: AbortSignal.timeout(2_000) });
    const text = await res.text();
    let sum = 0;
    let found = false;
    for (const line of text.split('\n')) {
      if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) {
        sum += Number(line.slice(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? sum : null;
  } catch {
    return null;
  }
}
