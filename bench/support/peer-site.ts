/**
 * The site both contenders of the `peer` bench poll: a realistic mix of built-in device
 * models (combustible-gas and CO detectors, electrical-fire monitors, power meters) behind one
 * Modbus TCP gateway on the virtual rig, values drifting like real sensors and staying below
 * every alarm set point (steady state, no alarm traffic). Also the Vigil site file for it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadProfileCatalog, type ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { Profile } from '../../drivers/profiles/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import type { Behaviour, SimValue } from '../../hil-tests/virtual-rig/behaviours.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';

const drift = (center: number, min: number, max: number): Behaviour => ({ kind: 'drift', center, min, max });
const each = (names: string[], b: Behaviour): Record<string, Behaviour> => Object.fromEntries(names.map((n) => [n, b]));

/** Per model: how its points move (unlisted points stay at raw 0: status normal, no flags). */
const BEHAVIOURS: Record<string, Record<string, Behaviour | SimValue>> = {
  'generic/combustible-gas': { gas_lel: drift(3, 0, 10), alarm_1_setpoint: 25, alarm_2_setpoint: 50 },
  'generic/toxic-gas-co': { co_ppm: drift(2, 0, 8), alarm_1_setpoint: 17, alarm_2_setpoint: 34 },
  'generic/electrical-fire-monitor': {
    residual_current: drift(120, 60, 200),
    ...each(['cable_temperature_1', 'cable_temperature_2', 'cable_temperature_3', 'cable_temperature_4'], drift(35, 25, 45)),
    leakage_alarm_setpoint: 300,
    temperature_alarm_setpoint: 70,
  },
  'generic/power-meter-3p': {
    ...each(['voltage_l1', 'voltage_l2', 'voltage_l3'], drift(230, 220, 240)),
    ...each(['current_l1', 'current_l2', 'current_l3'], drift(40, 30, 50)),
    frequency: drift(50, 49.9, 50.1),
    total_power_factor: drift(0.95, 0.9, 0.99),
    total_active_power: drift(27_000, 20_000, 34_000),
    total_reactive_power: drift(8_000, 5_000, 11_000),
    import_active_energy: drift(125_000, 120_000, 130_000),
    export_active_energy: 12.34,
  },
  'eastron/sdm630': {
    ...each(['voltage_l1', 'voltage_l2', 'voltage_l3'], drift(230, 220, 240)),
    ...each(['current_l1', 'current_l2', 'current_l3'], drift(40, 30, 50)),
    ...each(['active_power_l1', 'active_power_l2', 'active_power_l3'], drift(9_000, 6_000, 12_000)),
    total_active_power: drift(27_000, 20_000, 34_000),
    total_power_factor: drift(0.95, 0.9, 0.99),
    frequency: drift(50, 49.9, 50.1),
    import_active_energy: drift(125_000, 120_000, 130_000),
    export_active_energy: 12.34,
  },
};

/** The device mix: 20 devices, unit ids 1–20 on one TCP gateway. */
const MIX: ReadonlyArray<{ prefix: string; profile: string; count: number }> = [
  { prefix: 'gas', profile: 'generic/combustible-gas', count: 8 },
  { prefix: 'co', profile: 'generic/toxic-gas-co', count: 4 },
  { prefix: 'efm', profile: 'generic/electrical-fire-monitor', count: 4 },
  { prefix: 'meter', profile: 'generic/power-meter-3p', count: 3 },
  { prefix: 'sdm630', profile: 'eastron/sdm630', count: 1 },
];

export interface PeerSiteDevice {
  name: string;
  unitId: number;
  profile: Profile;
  pollMs: number;
}

export interface PeerSite {
  rig: VirtualRig;
  bus: { host: '127.0.0.1'; port: number };
  devices: PeerSiteDevice[];
  /** Modbus requests the simulated devices have received so far (all units). */
  requests(): number;
}

export async function startPeerSite(pollMs: number): Promise<PeerSite> {
  const { catalog, problems } = loadProfileCatalog([builtinProfilesDir()]);
  if (problems.length) throw new Error(`peer site: built-in profiles: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
  const devices = mixDevices(catalog, pollMs);
  const rig = await startVirtualRig({
    buses: [{ name: 'peer-tcp', type: 'tcp' }],
    devices: devices.map((d) => ({ name: d.name, bus: 'peer-tcp', unitId: d.unitId, profile: d.profile, behaviours: BEHAVIOURS[d.profile.id] ?? {} })),
    tickMs: 250,
  });
  const bus = rig.buses['peer-tcp'];
  if (!bus || bus.type !== 'tcp') {
    await rig.stop();
    throw new Error('peer site: the virtual rig has no tcp bus "peer-tcp"');
  }
  return {
    rig,
    bus: { host: bus.host, port: bus.port },
    devices,
    requests: () => rig.devices().reduce((n, d) => n + d.device.requests, 0),
  };
}

function mixDevices(catalog: ProfileCatalog, pollMs: number): PeerSiteDevice[] {
  const out: PeerSiteDevice[] = [];
  for (const m of MIX) {
    const profile = catalog.get(m.profile);
    if (!profile) throw new Error(`peer site: no built-in profile "${m.profile}" (known: ${catalog.ids().join(', ')})`);
    for (let i = 1; i <= m.count; i++) out.push({ name: `${m.prefix}-${String(i).padStart(2, '0')}`, unitId: out.length + 1, profile, pollMs });
  }
  return out;
}

/** Writes the Vigil site file for the site (JSON, which is YAML) into `dir`; returns its path. */
export function writeVigilSite(dir: string, site: PeerSite, opts: { brokerUrl: string; apiPort: number }): string {
  const config = {
    version: 1,
    site: { id: 'bench', name: 'Peer bench site' },
    gateway: { id: 'gw-bench' },
    clock: { trust: 'always' },
    log: { level: 'warn' },
    buses: [{ name: 'peer-tcp', type: 'tcp', host: site.bus.host, port: site.bus.port, timeoutMs: 1000 }],
    devices: site.devices.map((d) => ({ name: d.name, bus: 'peer-tcp', unitId: d.unitId, profile: d.profile.id, pollMs: d.pollMs })),
    cloud: { mqtt: { url: opts.brokerUrl, clientId: 'bench-gw', topicPrefix: 'vigil' } },
    storage: { path: 'gateway.db', budgetBytes: 268_435_456 },
    api: { bind: '127.0.0.1', port: opts.apiPort },
  };
  const file = join(dir, 'site.yaml');
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}
