import { resolvePoints } from '../../drivers/modbus/codecs.js';
import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { ElectricityConfig } from '../../rules/electricity/config-schema.js';
import { electricityProblems } from '../../rules/electricity/config-problems.js';
import type { Finding } from './finding.js';
import type { DeviceConfig } from './schema.js';

/**
 * The `electricity:` section against the devices that parsed: meters that exist, energy and
 * power points with the right units, cron windows (rules/electricity/config-problems.ts).
 * Devices whose profile is unknown are reported elsewhere and skipped here.
 */
export function checkElectricitySemantics(
  electricity: ElectricityConfig | undefined,
  devices: readonly (DeviceConfig | undefined)[],
  catalog: ProfileCatalog,
  now: number = Date.now(),
): Finding[] {
  if (!electricity) return [];
  const parsed = devices.filter((d): d is DeviceConfig => d !== undefined);
  const byName = new Map(parsed.map((d) => [d.name, d] as const));
  const info = (name: string) => {
    const d = byName.get(name);
    const profile = d ? catalog.get(d.profile) : undefined;
    if (!d || !profile) return undefined;
    return { pollMs: d.pollMs, points: resolvePoints(profile, d.points).map((p) => ({ name: p.name, ...(p.unit !== undefined ? { unit: p.unit } : {}) })) };
  };
  return electricityProblems(electricity, info, parsed.map((d) => d.name), now);
}
