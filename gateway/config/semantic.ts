import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { BusConfig, DeviceConfig, SiteConfig } from './schema.js';
import { error, warning, type Finding } from './finding.js';
import { checkSafetySemantics, type SafetyInput } from './semantic-safety.js';
import { didYouMean, nearest, quoteList } from './suggest.js';
import { checkElectricitySemantics } from './semantic-electricity.js';
import { uitdConfigProblems } from '../forward/uitd/config-schema.js';
import { computeBusBudgets } from './bus-budget.js';
import { busBudgetFindings, type OverbookedSeverity } from './bus-budget-problems.js';

/**
 * The semantic pass: rules that span more than one value (names referring to each other,
 * addresses colliding on a wire), which a schema cannot express. A pure function over the
 * parsed config and the profile catalog; it returns paths, the loader adds line numbers.
 *
 * It also runs on a config that failed the schema: every bus and device that passed on its
 * own is checked (the others were already reported), so an installer sees the schema errors
 * and the wiring errors together rather than in two rounds.
 */
export interface SemanticInput extends Omit<SafetyInput, 'devices' | 'rawNames'> {
  /** By index in the file; `undefined` where that entry failed the schema. */
  buses: readonly (BusConfig | undefined)[];
  devices: readonly (DeviceConfig | undefined)[];
  /**
   * The names as written, by index, including entries that failed the schema — so a duplicate
   * name is still reported when the other entry has an unrelated mistake.
   */
  rawNames?: { buses: readonly (string | undefined)[]; devices: readonly (string | undefined)[] };
  /** Names carried by buses that failed the schema: devices on them are not "on an unknown bus". */
  unparsedBusNames?: readonly string[];
  storage?: Pick<SiteConfig['storage'], 'path'>;
  secrets?: SiteConfig['secrets'];
  api?: Pick<SiteConfig['api'], 'bind'>;
  cloud?: SiteConfig['cloud'];
  electricity?: SiteConfig['electricity'];
  fireCentre?: SiteConfig['fireCentre'];
}

export interface SemanticOptions {
  /**
   * How an RTU bus booked beyond 100 % is reported (bus-budget-problems.ts): `error` for
   * `vigil validate`, `warning` (the default) when a gateway is starting — it then runs and skips
   * the polls the line cannot fit, rather than not monitoring at all on an estimate.
   */
  overbookedBus?: OverbookedSeverity;
}

export function checkSemantics(config: SemanticInput, catalog: ProfileCatalog, opts: SemanticOptions = {}): Finding[] {
  return [
    ...uniqueNames('buses', 'bus', config.rawNames?.buses ?? config.buses.map((b) => b?.name)),
    ...uniqueNames('devices', 'device', config.rawNames?.devices ?? config.devices.map((d) => d?.name)),
    ...serialPortsUnshared(config.buses),
    ...devicesOnBuses(config, catalog),
    ...unitIdsUnique(config),
    ...notBlank(config),
    ...exposure(config),
    // alarms, outputs, interlocks, schedules (issue 3)
    ...checkSafetySemantics(config, catalog),
    // electricity monitoring (issue 4)
    ...checkElectricitySemantics(config.electricity, config.devices, catalog),
    // the fire-centre link: timeouts that fit the 10 s fire-alarm budget, distinct addresses
    ...(config.fireCentre ? uitdConfigProblems(config.fireCentre, 'fireCentre').map((p) => error(p.path.split('.'), p.message)) : []),
    // the bus budget: an RTU line booked beyond 100 % cannot keep up, beyond 70 % has no headroom (issue 6)
    ...busBudgetFindings(computeBusBudgets(config, catalog), opts.overbookedBus ?? 'warning'),
  ];
}

/** Entries with their index in the file, skipping the ones that failed the schema. */
function indexed<T>(list: readonly (T | undefined)[]): { item: T; i: number }[] {
  const out: { item: T; i: number }[] = [];
  list.forEach((item, i) => {
    if (item !== undefined) out.push({ item, i });
  });
  return out;
}

/** Names identify buses and devices in topics, logs and the API: each must be unique. */
function uniqueNames(list: 'buses' | 'devices', what: string, names: readonly (string | undefined)[]): Finding[] {
  const first = new Map<string, number>();
  const out: Finding[] = [];
  for (const { item: name, i } of indexed(names)) {
    const before = first.get(name);
    if (before === undefined) first.set(name, i);
    else out.push(error([list, i, 'name'], `${what} name "${name}" is already used by ${list}[${before}]; names must be unique`, name));
  }
  return out;
}

/** A bus has one owner (principle 4): two RTU buses on one serial port would fight over it. */
function serialPortsUnshared(buses: SemanticInput['buses']): Finding[] {
  const first = new Map<string, { i: number; name: string }>();
  const out: Finding[] = [];
  for (const { item: bus, i } of indexed(buses)) {
    if (bus.type !== 'rtu') continue;
    const before = first.get(bus.port);
    if (before === undefined) first.set(bus.port, { i, name: bus.name });
    else {
      out.push(error(['buses', i, 'port'], `serial port "${bus.port}" is already used by bus "${before.name}" (buses[${before.i}]); put every device on that port on one bus`, bus.port));
    }
  }
  return out;
}

function devicesOnBuses(config: SemanticInput, catalog: ProfileCatalog): Finding[] {
  const out: Finding[] = [];
  const unparsed = new Set(config.unparsedBusNames ?? []);
  const busNames = [...indexed(config.buses).map(({ item }) => item.name), ...unparsed];
  for (const { item: dev, i } of indexed(config.devices)) {
    const bus = config.buses.find((b) => b?.name === dev.bus);
    if (!bus && !unparsed.has(dev.bus)) {
      out.push(error(['devices', i, 'bus'], `no bus is named "${dev.bus}"${didYouMean(dev.bus, busNames)}; buses in this file: ${quoteList(busNames)}`, dev.bus));
    }
    if (bus) out.push(...unitIdRange(dev, i, bus));
    out.push(...profileAndOverrides(dev, i, catalog));
  }
  return out;
}

/**
 * Modbus over Serial Line §2.2: 0 is broadcast and 248–255 are reserved, so a serial slave
 * is 1–247. Over TCP (Modbus Messaging on TCP/IP §4.4.2) a server addressed directly answers
 * unit 255 or 0, and a gateway routes 1–247 to its serial side; 248–254 mean nothing anywhere.
 */
function unitIdRange(dev: DeviceConfig, i: number, bus: BusConfig): Finding[] {
  const at = ['devices', i, 'unitId'];
  if (bus.type === 'rtu' && (dev.unitId < 1 || dev.unitId > 247)) {
    const why = dev.unitId === 0 ? ' (0 is the broadcast address, which no device answers)' : '';
    return [error(at, `must be 1–247 on RTU bus "${bus.name}"${why}; 0 and 255 are accepted only on TCP`, dev.unitId)];
  }
  if (bus.type === 'tcp' && dev.unitId >= 248 && dev.unitId <= 254) {
    return [error(at, `must be 1–247, or 0 or 255 for a device addressed directly, on TCP bus "${bus.name}" (248–254 are reserved)`, dev.unitId)];
  }
  return [];
}

function profileAndOverrides(dev: DeviceConfig, i: number, catalog: ProfileCatalog): Finding[] {
  const profile = catalog.get(dev.profile);
  if (!profile) {
    const near = nearest(dev.profile, catalog.ids());
    const hint = near.length > 0 ? `; similar ids: ${quoteList(near)}` : `; known ids: ${quoteList(catalog.ids())}`;
    return [error(['devices', i, 'profile'], `no device profile "${dev.profile}" was found${hint}`, dev.profile)];
  }
  const out: Finding[] = [];
  const pointNames = profile.points.map((p) => p.name);
  for (const [point, override] of Object.entries(dev.points ?? {})) {
    const at = ['devices', i, 'points', point];
    if (!pointNames.includes(point)) {
      out.push({ severity: 'error', at, atKey: true, message: `profile "${profile.id}" has no point "${point}"${didYouMean(point, pointNames)}; its points: ${pointNames.join(', ')}` });
      continue;
    }
    if (override.range && override.range.min >= override.range.max) {
      out.push(error([...at, 'range'], `range.min (${override.range.min}) must be below range.max (${override.range.max})`, override.range));
    }
  }
  return out;
}

/**
 * One unit id answers once per wire. Devices on one bus share a wire; TCP buses to the same
 * host:port reach the same gateway (several buses to one host are allowed, e.g. to split poll
 * rates), so a unit id must be unique across all of them too.
 */
function unitIdsUnique(config: SemanticInput): Finding[] {
  const out: Finding[] = [];
  const first = new Map<string, { i: number; dev: DeviceConfig }>();
  for (const { item: dev, i } of indexed(config.devices)) {
    const bus = config.buses.find((b) => b?.name === dev.bus);
    // A bus that failed the schema still is one wire: its devices can still collide.
    if (!bus && !config.unparsedBusNames?.includes(dev.bus)) continue;
    const wire = bus?.type === 'tcp' ? `tcp ${bus.host.toLowerCase()}:${bus.port}` : `bus ${dev.bus}`;
    const key = `${wire} #${dev.unitId}`;
    const before = first.get(key);
    if (before === undefined) {
      first.set(key, { i, dev });
      continue;
    }
    const where = before.dev.bus === dev.bus ? `on bus "${dev.bus}"` : `at ${wire.slice(4)} (buses "${before.dev.bus}" and "${dev.bus}" reach the same host:port)`;
    out.push(error(['devices', i, 'unitId'], `unit id ${dev.unitId} ${where} is already used by device "${before.dev.name}" (devices[${before.i}])`, dev.unitId));
  }
  return out;
}

/** The schema rejects "", but "  " would still name no file. */
function notBlank(config: SemanticInput): Finding[] {
  const out: Finding[] = [];
  if (config.storage && config.storage.path.trim() === '') out.push(error(['storage', 'path'], 'must name a file, not blank space', config.storage.path));
  if (config.secrets && config.secrets.file.trim() === '') out.push(error(['secrets', 'file'], 'must name a file, not blank space', config.secrets.file));
  return out;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Warnings: legal, and sometimes meant, but an installer must know. */
function exposure(config: SemanticInput): Finding[] {
  const out: Finding[] = [];
  if (config.api && !LOOPBACK.has(config.api.bind)) {
    out.push(warning(['api', 'bind'], 'the local API (alarm acknowledge, reset, shelve) is reachable from the network; make sure that network is trusted', config.api.bind));
  }
  const mqtt = config.cloud?.mqtt;
  if (mqtt?.password && /^(mqtt|ws):\/\//.test(mqtt.url)) {
    out.push(warning(['cloud', 'mqtt', 'url'], 'the MQTT password travels in clear text over this URL; use mqtts:// or wss://', mqtt.url));
  }
  return out;
}
