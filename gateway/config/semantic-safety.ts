import cron from 'node-cron';
import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { PointDef, Profile } from '../../drivers/profiles/schema.js';
import { encodeRegisters, resolvePoints, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import { alarmPattern, FIRE_CENTRE_ALARMS, FIRE_CENTRE_SCOPE, INTERLOCK_SCOPE, RESERVED_DEVICE_NAMES, SITE_SCOPE } from '../../rules/definitions/alarm-ids.js';
import { checkAlarmPoint, pointValueKind } from '../../rules/definitions/check-alarm.js';
import { deviceAlarmInventory, inapplicableFields, isNewAlarm, KIND_OVERRIDE_FIELDS, type DeviceAlarmEntry } from '../../rules/definitions/resolve.js';
import { COMMUNICATION_ALARM_NAME, type DeviceAlarmDef } from '../../rules/definitions/schema.js';
import { error, warning, type Finding } from './finding.js';
import type { DeviceConfig, SiteConfig } from './schema.js';
import { didYouMean, quoteList } from './suggest.js';
import { firePanelAlarms } from '../../drivers/fire-panel/alarms.js';

/**
 * The semantic pass over the safety sections (issue 3): alarms, outputs, interlocks and
 * schedules (api.users is checked by secrets.ts, next to the tokens). Like semantic.ts, a pure function that reports every problem with its path; a
 * section that failed the schema is absent here and was reported already.
 *
 * Names refer to each other across sections — an interlock names alarm ids, a vote names other
 * alarms, a maintenance window names ids or patterns — and a wrong name there is the worst kind
 * of mistake: the interlock that never trips. So every reference must resolve to an alarm that
 * runs (not one disabled, not one whose point is disabled).
 */
export interface SafetyInput {
  devices: readonly (DeviceConfig | undefined)[];
  /** Device names as written, including devices that failed the schema. */
  rawNames?: { devices: readonly (string | undefined)[] };
  alarms?: SiteConfig['alarms'];
  outputs?: SiteConfig['outputs'];
  interlocks?: SiteConfig['interlocks'];
  schedules?: SiteConfig['schedules'];
  firePanels?: SiteConfig['firePanels'];
  fireCentre?: SiteConfig['fireCentre'];
}

type Path = Finding['at'];

interface Known {
  /** Every alarm id the site would have, excluded ones included, with why they are excluded. */
  ids: Map<string, { excluded?: string }>;
  /** Devices whose alarms cannot be known (failed the schema, unknown profile): references to them are not judged. */
  unknownDevices: Set<string>;
  devices: Map<string, { dev: DeviceConfig; i: number; profile: Profile; points: PointDef[] }>;
}

export function checkSafetySemantics(config: SafetyInput, catalog: ProfileCatalog): Finding[] {
  const out: Finding[] = [];
  const known: Known = { ids: new Map(), unknownDevices: new Set(), devices: new Map() };
  config.rawNames?.devices.forEach((n, i) => {
    if (n !== undefined && config.devices[i] === undefined) known.unknownDevices.add(n);
  });

  config.devices.forEach((dev, i) => {
    if (!dev) return;
    if (RESERVED_DEVICE_NAMES.includes(dev.name)) {
      out.push(error(['devices', i, 'name'], `"${dev.name}" is reserved: alarm ids "${dev.name}/<name>" belong to the gateway (${dev.name === SITE_SCOPE ? 'site-level alarms' : dev.name === INTERLOCK_SCOPE ? 'interlock fault alarms' : 'the fire-centre link'}); choose another device name`, dev.name));
    }
    const profile = catalog.get(dev.profile);
    if (!profile) {
      known.unknownDevices.add(dev.name); // reported by semantic.ts
      return;
    }
    const points = effectivePoints(dev, profile);
    if (!known.devices.has(dev.name)) known.devices.set(dev.name, { dev, i, profile, points });
    const inventory = deviceAlarmInventory(dev, profile);
    for (const e of inventory) known.ids.set(e.id, e.excluded ? { excluded: exclusionText(e, i) } : {});
    out.push(...deviceAlarms(dev, i, profile, points, inventory));
  });

  out.push(...firePanels(config, known));
  out.push(...siteAlarms(config, known));
  out.push(...outputs(config.outputs));
  out.push(...interlocks(config, known));
  out.push(...schedules(config.schedules, known));
  if (config.schedules?.selfTest && !config.outputs?.lines.some((l) => l.kind === 'sounder' || l.kind === 'strobe' || l.kind === 'lamp')) {
    out.push(error(['schedules', 'selfTest'], 'a self-test switches the sounders, strobes and lamps, and this file has none (no outputs section, or no sounder/strobe/lamp in it); remove selfTest or add the outputs'));
  }
  // api.users: duplicate names and tokens are checked with the tokens themselves (secrets.ts).
  return out;
}

/** The device's points as the poller will read them (site range/unit overrides applied); profile points when the overrides are broken (reported elsewhere). */
function effectivePoints(dev: DeviceConfig, profile: Profile): PointDef[] {
  try {
    const enabled = new Map(resolvePoints(profile, dev.points).map((p) => [p.name, p] as const));
    return profile.points.map((p) => enabled.get(p.name) ?? p);
  } catch {
    return profile.points;
  }
}

function exclusionText(e: DeviceAlarmEntry, i: number): string {
  if (e.excluded === 'disabled') return `is disabled (enabled: false)`;
  if (e.excluded === 'point-disabled') return `watches point "${e.def.point}", which is disabled (devices[${i}].points.${e.def.point}.enabled: false)`;
  return 'does not run: the device has no enabled point';
}

function uniqueNames(list: Path, what: string, names: readonly string[]): Finding[] {
  const first = new Map<string, number>();
  const out: Finding[] = [];
  names.forEach((name, i) => {
    const before = first.get(name);
    if (before === undefined) first.set(name, i);
    else out.push(error([...list, i, 'name'], `${what} name "${name}" is already used by ${formatList(list)}[${before}]; names must be unique`, name));
  });
  return out;
}

const formatList = (list: Path) => list.join('.');

// ─── devices[].alarms ────────────────────────────────────────────────────────────────────

function deviceAlarms(dev: DeviceConfig, i: number, profile: Profile, points: PointDef[], inventory: DeviceAlarmEntry[]): Finding[] {
  const out: Finding[] = [];
  const profileAlarms = new Map((profile.alarms ?? []).map((a) => [a.name, a] as const));
  const names = [...profileAlarms.keys(), COMMUNICATION_ALARM_NAME];
  const pointOff = (p: string) => dev.points?.[p]?.enabled === false;

  for (const [name, entry] of Object.entries(dev.alarms ?? {})) {
    const at: Path = ['devices', i, 'alarms', name];
    if (isNewAlarm(entry)) {
      const existing = name === COMMUNICATION_ALARM_NAME ? 'communication' : profileAlarms.get(name)?.kind;
      if (existing) {
        const what = name === COMMUNICATION_ALARM_NAME ? 'the automatic communication fault alarm' : `profile "${profile.id}" already has an alarm "${name}" (${existing} on ${profileAlarms.get(name)?.point})`;
        out.push(error([...at, 'kind'], `${what}; to change it give only the fields to override, without kind, point and name`, entry.kind));
        continue;
      }
      if (profile.points.some((p) => p.name === entry.point) && pointOff(entry.point)) {
        out.push(error([...at, 'point'], `point "${entry.point}" is disabled (devices[${i}].points.${entry.point}.enabled: false); the alarm could never see a reading`, entry.point));
        continue;
      }
      const def = { ...entry, name };
      out.push(...pointProblems(at, def, points, Object.keys(entry)));
      out.push(...staleVsPoll(at, def, dev, i, true));
      continue;
    }

    const base = inventory.find((e) => e.name === name && e.origin !== 'site');
    if (!base) {
      out.push({
        severity: 'error',
        at,
        atKey: true,
        message: `profile "${profile.id}" has no alarm "${name}"${didYouMean(name, names)}; its alarms: ${names.join(', ')}. A new alarm needs a full definition with kind`,
      });
      continue;
    }
    const kind = base.def.kind;
    const wrong = inapplicableFields(kind, entry);
    for (const field of wrong) {
      const own = KIND_OVERRIDE_FIELDS[kind];
      const takes = own.length > 0 ? `; a ${kind} alarm's own fields are ${own.join(', ')}` : '';
      const desc = base.def.point !== undefined ? `${kind} on ${base.def.point}` : kind;
      out.push(error([...at, field], `does not apply to "${name}" (${desc})${takes}`, entry[field]));
    }
    if (wrong.length > 0) continue;
    if (base.excluded === 'point-disabled') {
      out.push(warning(at, `has no effect: alarm "${name}" watches point "${base.def.point}", which is disabled, so the alarm does not run`));
      continue;
    }
    if (name === COMMUNICATION_ALARM_NAME && entry.enabled === false) {
      out.push(warning([...at, 'enabled'], `device "${dev.name}" may stop answering without anyone being told; its other alarms hold their last state meanwhile`, false));
    }
    if (base.def.kind !== 'communication') out.push(...pointProblems(at, base.def, points, Object.keys(entry)));
    out.push(...staleVsPoll(at, base.def, dev, i, entry.afterMs !== undefined));
  }
  // A profile's stale alarm that the site did not touch can still clash with this device's poll period.
  for (const e of inventory) {
    if (e.origin === 'profile' && !e.excluded && !dev.alarms?.[e.name]) out.push(...staleVsPoll(['devices', i, 'pollMs'], e.def, dev, i, false));
  }
  return out;
}

/**
 * Point checks on a (merged) alarm. A problem with a field the site entry set points at that
 * field; one that comes from the profile's value (e.g. the site narrowed the point's range)
 * points at the entry.
 */
function pointProblems(at: Path, def: DeviceAlarmDef, points: PointDef[], setFields: string[]): Finding[] {
  return checkAlarmPoint(def, points).map((p) => {
    const field = p.at[0];
    const path = typeof field === 'string' && setFields.includes(field) ? [...at, ...p.at] : at;
    return error(path, path === at && field !== undefined ? `${String(field)}: ${p.message}` : p.message, path === at ? undefined : p.value);
  });
}

/** A stale alarm that fires between two polls would chatter on every cycle. */
function staleVsPoll(at: Path, def: DeviceAlarmEntry['def'], dev: DeviceConfig, i: number, atAfterMs: boolean): Finding[] {
  if (def.kind !== 'stale' || def.afterMs > dev.pollMs) return [];
  const msg = `stale alarm "${def.name}" (afterMs ${def.afterMs}) would fire between two polls of "${dev.name}" (pollMs ${dev.pollMs}); make afterMs at least 3 × pollMs`;
  return [atAfterMs ? error([...at, 'afterMs'], msg, def.afterMs) : error(['devices', i, 'pollMs'], msg, dev.pollMs)];
}

// ─── references to alarm ids ─────────────────────────────────────────────────────────────

/**
 * An alarm id named in a vote or an interlock must be one that runs. `deviceOnly`: votes count
 * device alarms, not other site-level alarms.
 */
function alarmRef(at: Path, id: string, known: Known, deviceOnly: boolean): Finding[] {
  const scope = id.split('/')[0] ?? '';
  if (known.unknownDevices.has(scope)) return [];
  if (deviceOnly && scope === SITE_SCOPE) return [error(at, 'a vote counts device alarms ("<device>/<alarm>"), not other site-level alarms', id)];
  const hit = known.ids.get(id);
  if (!hit) {
    const hint = !id.includes('/') ? '; an alarm id is "<device>/<alarm>" or "site/<alarm>"' : '';
    return [error(at, `no alarm "${id}"${didYouMean(id, known.ids.keys())}${hint}`, id)];
  }
  if (hit.excluded) return [error(at, `alarm "${id}" ${hit.excluded}, so this could never trip`, id)];
  return [];
}

function siteAlarms(config: SafetyInput, known: Known): Finding[] {
  const votes = config.alarms ?? [];
  const out = uniqueNames(['alarms'], 'alarm', votes.map((v) => v.name));
  votes.forEach((v) => {
    known.ids.set(`${SITE_SCOPE}/${v.name}`, v.enabled === false ? { excluded: 'is disabled (enabled: false)' } : {});
  });
  votes.forEach((v, j) => {
    const seen = new Map<string, number>();
    v.of.forEach((id, m) => {
      const before = seen.get(id);
      if (before !== undefined) out.push(error(['alarms', j, 'of', m], `listed twice (also of[${before}]); each alarm counts once`, id));
      else seen.set(id, m);
      out.push(...alarmRef(['alarms', j, 'of', m], id, known, true));
    });
    if (v.k > v.of.length) out.push(error(['alarms', j, 'k'], `k (${v.k}) is more than the ${v.of.length} alarms listed in of; the vote could never trip`, v.k));
  });
  return out;
}

// ─── outputs ─────────────────────────────────────────────────────────────────────────────

/** Outputs and inputs share one namespace (logs, API) and one line space (one GPIO chip). */
function outputs(o: SafetyInput['outputs']): Finding[] {
  if (!o) return [];
  const out: Finding[] = [];
  const entries: { path: Path; name: string; line: number }[] = [
    ...o.lines.map((l, j) => ({ path: ['outputs', 'lines', j] as Path, name: l.name, line: l.line })),
    ...(o.inputs ?? []).map((l, j) => ({ path: ['outputs', 'inputs', j] as Path, name: l.name, line: l.line })),
  ];
  const byName = new Map<string, Path>();
  const byLine = new Map<number, { path: Path; name: string }>();
  for (const e of entries) {
    const n = byName.get(e.name);
    if (n) out.push(error([...e.path, 'name'], `name "${e.name}" is already used by ${pathText(n)}; output and input names must be unique`, e.name));
    else byName.set(e.name, e.path);
    const l = byLine.get(e.line);
    if (l) out.push(error([...e.path, 'line'], `line ${e.line} is already used by "${l.name}" (${pathText(l.path)}); one line drives or reads one thing`, e.line));
    else byLine.set(e.line, { path: e.path, name: e.name });
  }
  return out;
}

const pathText = (p: Path) => p.map((s, k) => (typeof s === 'number' ? `[${s}]` : k === 0 ? s : `.${s}`)).join('');

// ─── fire panels ─────────────────────────────────────────────────────────────────────────

/** A panel is a device too: its name must be free, and its alarms (<name>/fire …) can be referenced. */
function firePanels(config: SafetyInput, known: Known): Finding[] {
  const out: Finding[] = [];
  (config.firePanels ?? []).forEach((p, i) => {
    const at: Path = ['firePanels', i, 'name'];
    if (RESERVED_DEVICE_NAMES.includes(p.name)) out.push(error(at, `"${p.name}" is reserved for the gateway's own alarm ids; choose another name`, p.name));
    else if (known.devices.has(p.name) || known.unknownDevices.has(p.name)) out.push(error(at, `"${p.name}" is already a device in devices:; a panel needs a name of its own (it is the device its points and alarms belong to)`, p.name));
    for (const a of firePanelAlarms(p.name)) known.ids.set(a.id, {});
  });
  // The fire-centre link's own alarms can be referenced too (an interlock, a maintenance window).
  if (config.fireCentre) for (const n of Object.values(FIRE_CENTRE_ALARMS)) known.ids.set(`${FIRE_CENTRE_SCOPE}/${n}`, {});
  return out;
}

// ─── interlocks ──────────────────────────────────────────────────────────────────────────

function interlocks(config: SafetyInput, known: Known): Finding[] {
  const list = config.interlocks ?? [];
  const out = uniqueNames(['interlocks'], 'interlock', list.map((l) => l.name));
  const outputLines = config.outputs?.lines ?? [];
  list.forEach((il, j) => {
    il.when.forEach((id, m) => out.push(...alarmRef(['interlocks', j, 'when', m], id, known, false)));
    il.actions.forEach((action, m) => {
      const at: Path = ['interlocks', j, 'actions', m];
      if ('write' in action) {
        const { device, point, value } = action.write;
        const found = devicePoint([...at, 'write'], device, point, known);
        if ('problems' in found) {
          out.push(...found.problems);
          return;
        }
        if (found.point.access !== 'readwrite') {
          out.push(error([...at, 'write', 'point'], `point "${point}" of "${device}" is not writable (profile ${found.profile.id} does not mark it access: readwrite)`, point));
          return;
        }
        const why = unwritable(found.point, value);
        if (why) out.push(error([...at, 'write', 'value'], why, value));
        const { releaseValue } = action.write;
        const whyNot = releaseValue === undefined ? undefined : unwritable(found.point, releaseValue);
        if (whyNot) out.push(error([...at, 'write', 'releaseValue'], whyNot, releaseValue));
        return;
      }
      const { name } = action.output;
      const target = outputLines.find((l) => l.name === name);
      if (!target) {
        const names = outputLines.map((l) => l.name);
        const none = config.outputs ? `; outputs: ${quoteList(names)}` : '; this file has no outputs section';
        out.push(error([...at, 'output', 'name'], `no output "${name}"${didYouMean(name, names)}${none}`, name));
      } else if (target.kind !== 'relay') {
        out.push(error([...at, 'output', 'name'], `output "${name}" is a ${target.kind}; an interlock switches relays (sounders, strobes and lamps follow the alarms by class)`, name));
      }
    });
    if (il.confirm) {
      const { device, point, value } = il.confirm;
      const found = devicePoint(['interlocks', j, 'confirm'], device, point, known);
      if ('problems' in found) out.push(...found.problems);
      else {
        const why = unreadableAs(found.point, value);
        if (why) out.push(error(['interlocks', j, 'confirm', 'value'], why, value));
      }
    }
  });
  return out;
}

function devicePoint(at: Path, device: string, point: string, known: Known): { point: ResolvedPoint | PointDef; profile: Profile } | { problems: Finding[] } {
  if (known.unknownDevices.has(device)) return { problems: [] };
  const d = known.devices.get(device);
  if (!d) {
    const names = [...known.devices.keys()];
    return { problems: [error([...at, 'device'], `no device "${device}"${didYouMean(device, names)}; devices: ${quoteList(names)}`, device)] };
  }
  const p = d.points.find((x) => x.name === point);
  if (!p) {
    const names = d.points.map((x) => x.name);
    return { problems: [error([...at, 'point'], `device "${device}" (profile ${d.profile.id}) has no point "${point}"${didYouMean(point, names)}; its points: ${names.join(', ')}`, point)] };
  }
  if (d.dev.points?.[point]?.enabled === false) {
    return { problems: [error([...at, 'point'], `point "${point}" of "${device}" is disabled (devices[${d.i}].points.${point}.enabled: false)`, point)] };
  }
  return { point: p, profile: d.profile };
}

/** Why `value` cannot be written to the point (the same encoder the interlock will use), or undefined. */
function unwritable(point: ResolvedPoint | PointDef, value: number | boolean): string | undefined {
  if (!('width' in point)) return undefined; // point overrides were broken; reported elsewhere
  // The same rule as rules/interlocks/modbus-point-io.ts, so validate says what start would refuse.
  if (point.table === 'holding' && point.type === 'bool') {
    return `point "${point.name}" is bit ${point.bit ?? 0} of holding register ${point.address}; writing one bit would need a read-modify-write of the whole register, which interlocks do not do (map the command as a coil or a whole register)`;
  }
  try {
    encodeRegisters(point, value, [0]);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** A confirm value must be something the point can read back as. */
function unreadableAs(point: PointDef, value: number | boolean | string): string | undefined {
  const kind = pointValueKind(point);
  if (kind === 'bool' && typeof value !== 'boolean') return `point "${point.name}" reads true or false`;
  if (kind === 'number' && typeof value !== 'number') return `point "${point.name}" reads a number`;
  if (kind === 'enum') {
    const labels = Object.values(point.enum ?? {});
    if (typeof value !== 'string' || !labels.includes(value)) return `point "${point.name}" reads one of its labels: ${labels.join(', ')}${typeof value === 'string' ? didYouMean(value, labels) : ''}`;
  }
  return undefined;
}

// ─── schedules ───────────────────────────────────────────────────────────────────────────

function cronProblem(at: Path, expr: string): Finding[] {
  const r = cron.validateDetailed(expr);
  if (r.valid) return [];
  const why = r.errors.map((e) => e.message).join('; ');
  return [error(at, `not a valid cron expression (minute hour day-of-month month day-of-week, optionally seconds first): ${why}`, expr)];
}

function schedules(s: SafetyInput['schedules'], known: Known): Finding[] {
  if (!s) return [];
  const windows = s.maintenance ?? [];
  const out = uniqueNames(['schedules', 'maintenance'], 'maintenance window', windows.map((w) => w.name));
  windows.forEach((w, j) => {
    out.push(...cronProblem(['schedules', 'maintenance', j, 'cron'], w.cron));
    w.alarms.forEach((pattern, m) => {
      const scope = pattern.split('/')[0] ?? '';
      if (known.unknownDevices.has(scope)) return;
      const matches = alarmPattern(pattern);
      const ids = [...known.ids.keys()];
      if (ids.some(matches)) return;
      const hint = pattern.includes('*') ? '; `*` matches within one part of "<device>/<alarm>"' : didYouMean(pattern, ids);
      out.push(error(['schedules', 'maintenance', j, 'alarms', m], `matches no alarm${hint}`, pattern));
    });
  });
  if (s.selfTest) out.push(...cronProblem(['schedules', 'selfTest', 'cron'], s.selfTest.cron));
  if (s.dailySummary) out.push(...cronProblem(['schedules', 'dailySummary', 'cron'], s.dailySummary.cron));
  return out;
}
