/**
 * The semantic pass over `electricity:` (after the schema): names that must resolve, units that
 * must be energy and power, cron expressions, and settings that cannot work together. Every
 * problem is reported with its path, none stops the others (DESIGN principle 7).
 */
import { error, warning, type Finding } from '../../gateway/config/finding.js';
import { didYouMean } from '../../gateway/config/suggest.js';
import { cronProblem } from '../schedules/cron-scheduler.js';
import type { ElectricityConfig } from './config-schema.js';
import { LocalTime } from './local-time.js';
import { assertQuarterHourZone } from './quarter-hours.js';

export interface MeterDeviceInfo {
  pollMs: number;
  /** The device's points after the profile and site overrides (unit as read). */
  points: readonly { name: string; unit?: string }[];
}

const ENERGY_UNITS = ['kWh', 'Wh', 'MWh'];
const POWER_UNITS = ['W', 'kW'];

/** `device(name)` answers for devices of the site file, undefined for unknown names. */
export function electricityProblems(cfg: ElectricityConfig, device: (name: string) => MeterDeviceInfo | undefined, knownDevices: readonly string[], now: number): Finding[] {
  const out: Finding[] = [];
  const at = (...path: (string | number)[]) => ['electricity', ...path];
  if (cfg.timeZone !== undefined) {
    try {
      const zone = new LocalTime(cfg.timeZone);
      assertQuarterHourZone(zone, now);
      // Recurring shutdown windows are cron expressions: the same check the gateway makes at start.
      if (cfg.shutdown?.windows?.length) zone.cronZone();
    } catch (e) {
      out.push(error(at('timeZone'), (e as Error).message, cfg.timeZone));
    }
  }
  const meters = new Map<string, { powerPoint?: string }>();
  cfg.meters.forEach((m, i) => {
    if (meters.has(m.device)) out.push(error(at('meters', i, 'device'), 'this meter is listed twice', m.device));
    meters.set(m.device, m.powerPoint !== undefined ? { powerPoint: m.powerPoint } : {});
    const dev = device(m.device);
    if (!dev) {
      out.push(error(at('meters', i, 'device'), `no device of that name${didYouMean(m.device, knownDevices)}`, m.device));
      return;
    }
    out.push(...pointProblems(dev, m.energyPoint, ENERGY_UNITS, at('meters', i, 'energyPoint'), 'energy'));
    if (m.powerPoint !== undefined) out.push(...pointProblems(dev, m.powerPoint, POWER_UNITS, at('meters', i, 'powerPoint'), 'power'));
    if (dev.pollMs > cfg.intervals.siteGraceSeconds * 1000) {
      out.push(warning(at('intervals', 'siteGraceSeconds'), `meter ${m.device} is polled every ${dev.pollMs / 1000} s, longer than the grace period: site quarter hours will often go out without it`, cfg.intervals.siteGraceSeconds));
    }
    if (dev.pollMs * 2 > cfg.intervals.maxGapSeconds * 1000) {
      out.push(warning(at('intervals', 'maxGapSeconds'), `meter ${m.device} is polled every ${dev.pollMs / 1000} s: with this gap limit its normal polls would make estimates`, cfg.intervals.maxGapSeconds));
    }
  });
  const s = cfg.shutdown;
  if (s) {
    const names = new Set<string>();
    const unique = (path: (string | number)[], n: string) => {
      if (names.has(n)) out.push(error(path, 'another shutdown window has this name', n));
      names.add(n);
    };
    s.windows.forEach((w, j) => {
      unique(at('shutdown', 'windows', j, 'name'), w.name);
      const problem = cronProblem(w.cron);
      if (problem) out.push(error(at('shutdown', 'windows', j, 'cron'), problem, w.cron));
    });
    s.dates.forEach((w, j) => unique(at('shutdown', 'dates', j, 'name'), w.name));
    if (s.floor?.kW !== undefined) {
      const without = cfg.meters.filter((m) => m.powerPoint === undefined).map((m) => m.device);
      if (without.length > 0) out.push(error(at('shutdown', 'floor', 'kW'), `a site power floor needs a powerPoint on every meter; missing on ${without.join(', ')}`, s.floor.kW));
    }
    for (const [m, floor] of Object.entries(s.meterFloors ?? {})) {
      if (!meters.has(m)) {
        out.push(error(at('shutdown', 'meterFloors', m), `not one of the electricity meters${didYouMean(m, [...meters.keys()])}`, m));
        continue;
      }
      if (floor.kW !== undefined && meters.get(m)!.powerPoint === undefined) out.push(error(at('shutdown', 'meterFloors', m, 'kW'), `meter ${m} has no powerPoint to judge live power by`, floor.kW));
    }
  }
  return out;
}

function pointProblems(dev: MeterDeviceInfo, point: string, units: readonly string[], path: (string | number)[], what: 'energy' | 'power'): Finding[] {
  const p = dev.points.find((x) => x.name === point);
  if (!p) return [error(path, `the device has no point of that name${didYouMean(point, dev.points.map((x) => x.name))}`, point)];
  if (p.unit === undefined || !units.includes(p.unit)) return [error(path, `${what === 'energy' ? 'an energy' : 'a power'} point is read in ${units.join(', ')}; this one is in ${p.unit ?? 'no unit'}`, point)];
  return [];
}
