/**
 * `vigil scan --write-to site.yaml --bus NAME`: appends the identified devices to a site file,
 * keeping everything else — comments, order, formatting, byte for byte. yaml's Document API
 * finds where the `buses` and `devices` lists end (each node keeps its source range); the new
 * entries are rendered by the same library and inserted there as text, because re-printing the
 * whole document would re-align the installer's trailing comments. A device is written only when one profile was identified: an
 * unknown or ambiguous device is named in a comment for the installer to finish by hand, never
 * given a guessed profile (DESIGN.md principle 7).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, stringify, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { describeRaw } from './identify.js';
import { describeSetting, type LineSetting } from './plan.js';
import type { FoundDevice } from './sweep.js';

export type ScanTarget = { type: 'rtu'; port: string } | { type: 'tcp'; host: string; port: number };

export interface WriteRequest {
  file: string;
  bus: string;
  target: ScanTarget;
  found: readonly FoundDevice[];
  pollMs: number;
  /** For the comment ("added by vigil scan on 2026-11-23"). */
  date: string;
}

export interface WriteOutcome {
  /** Devices added, by name with unit. */
  written: Array<{ name: string; unit: number; profile: string }>;
  /** Found but not written, with the reason. */
  notWritten: Array<{ unit: number; reason: string }>;
  busAdded: boolean;
}

export class SiteWriteError extends Error {
  override readonly name = 'SiteWriteError';
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

function seqAt(doc: Document, key: string, file: string): YAMLSeq {
  const node = doc.get(key, true);
  if (!isSeq(node)) throw new SiteWriteError(`${file}: \`${key}\` is not a list; fix the file (vigil validate ${file}) before writing into it`);
  return node;
}

interface Insertion {
  at: number;
  text: string;
}

/** Where a new item of a block list goes (after its last item) and how far it is indented. */
function listEnd(seq: YAMLSeq, text: string, key: string, file: string): { at: number; indent: string } {
  const first = seq.items[0];
  const last = seq.items.at(-1);
  if (seq.flow || !isMap(first) || !isMap(last) || !first.range || !last.range) {
    throw new SiteWriteError(`${file}: \`${key}\` is not a block list of mappings ("- name: …"); write it that way before scanning into it`);
  }
  const lineStart = text.lastIndexOf('\n', first.range[0]) + 1;
  const dash = text.slice(lineStart, first.range[0]);
  const indent = /^(\s*)-\s*$/.exec(dash)?.[1];
  if (indent === undefined) throw new SiteWriteError(`${file}: cannot tell the indentation of \`${key}\`; put each "- " on its own line`);
  return { at: last.range[1], indent };
}

/** One list item as block YAML, with comment lines above it, indented like its list. */
function renderItem(value: Record<string, string | number>, comment: string, indent: string): string {
  const comments = comment.split('\n').map((l) => `${indent}#${l}`);
  const body = stringify([value], { lineWidth: 0 }).trimEnd().split('\n').map((l) => indent + l);
  return `\n${[...comments, ...body].join('\n')}\n`;
}

function field(m: unknown, key: string): unknown {
  return isMap(m) ? (m as YAMLMap).get(key) : undefined;
}

function settingOfBus(bus: unknown): { baudRate: unknown; parity: unknown } {
  return { baudRate: field(bus, 'baudRate'), parity: field(bus, 'parity') };
}

/** "sdm630-u17": the model part of the profile id and the unit, unique in the file. */
function deviceName(profile: string, unit: number, taken: Set<string>): string {
  const model = (profile.split('/').pop() ?? 'device').toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  const base = NAME.test(`${model}-u${unit}`) ? `${model}-u${unit}` : `device-u${unit}`;
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

function lineOf(found: readonly FoundDevice[]): LineSetting | undefined {
  return found.find((d) => d.setting)?.setting;
}

/** Plans and applies the edit; returns the new text (nothing is written on an error). */
export function addDevicesToSite(text: string, req: WriteRequest): { text: string; outcome: WriteOutcome } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new SiteWriteError(`${req.file}: not valid YAML (${doc.errors[0]!.message}); fix it before writing into it`);
  if (!isMap(doc.contents)) throw new SiteWriteError(`${req.file}: not a site file (a YAML mapping with version, site, buses, devices …)`);
  const buses = seqAt(doc, 'buses', req.file);
  const devices = seqAt(doc, 'devices', req.file);
  const outcome: WriteOutcome = { written: [], notWritten: [], busAdded: false };
  const insertions: Insertion[] = [];

  const line = lineOf(req.found);
  const existingBus = buses.items.find((b) => field(b, 'name') === req.bus);
  if (existingBus) {
    const type = field(existingBus, 'type');
    if (type !== req.target.type) {
      throw new SiteWriteError(`${req.file}: bus "${req.bus}" is a ${String(type)} bus, but the scan was ${req.target.type}; name another bus with --bus`);
    }
    const have = settingOfBus(existingBus);
    if (line && (have.baudRate !== line.baudRate || have.parity !== line.parity)) {
      throw new SiteWriteError(
        `${req.file}: bus "${req.bus}" runs baudRate ${String(have.baudRate)}, parity ${String(have.parity)}, but the devices answered at ${describeSetting(line)}; ` +
          `change the bus to baudRate: ${line.baudRate}, parity: ${line.parity}, stopBits: ${line.stopBits} (if no other device on it needs the old setting) or name a new bus with --bus`,
      );
    }
  } else {
    if (!NAME.test(req.bus)) throw new SiteWriteError(`--bus: "${req.bus}" is not a bus name (lower case letters, digits, - and _)`);
    let bus: Record<string, string | number>;
    if (req.target.type === 'rtu') {
      if (!line) throw new SiteWriteError('no device answered, so there is no line setting to write a bus with');
      bus = { name: req.bus, type: 'rtu', port: req.target.port, baudRate: line.baudRate, parity: line.parity, stopBits: line.stopBits };
    } else {
      bus = { name: req.bus, type: 'tcp', host: req.target.host, port: req.target.port };
    }
    const end = listEnd(buses, text, 'buses', req.file);
    insertions.push({ at: end.at, text: renderItem(bus, ` Added by vigil scan on ${req.date}: the line setting the devices answered at.`, end.indent) });
    outcome.busAdded = true;
  }

  const taken = new Set(devices.items.map((d) => field(d, 'name')).filter((n): n is string => typeof n === 'string'));
  const unitsOnBus = new Map(
    devices.items.filter((d) => field(d, 'bus') === req.bus).map((d) => [field(d, 'unitId'), field(d, 'name')] as const),
  );
  const notes: string[] = [];
  const added: Array<{ value: Record<string, string | number>; comment: string }> = [];
  for (const d of [...req.found].sort((a, b) => a.unit - b.unit)) {
    const { verdict, matches, raw } = d.identification;
    if (line && d.setting && (d.setting.baudRate !== line.baudRate || d.setting.parity !== line.parity)) {
      outcome.notWritten.push({ unit: d.unit, reason: `answered at ${describeSetting(d.setting)}, not the bus's ${describeSetting(line)}` });
      continue;
    }
    if (unitsOnBus.has(d.unit)) {
      outcome.notWritten.push({ unit: d.unit, reason: `already in the file as "${String(unitsOnBus.get(d.unit))}"` });
      continue;
    }
    if (verdict !== 'identified') {
      const why = verdict === 'ambiguous' ? `ambiguous (${matches.map((m) => m.profile).join(' or ')})` : `unknown model (read ${describeRaw(raw)})`;
      outcome.notWritten.push({ unit: d.unit, reason: why });
      notes.push(`   - unit ${d.unit}: ${why} — add it by hand with the right profile`);
      continue;
    }
    const m = matches[0]!;
    const name = deviceName(m.profile, d.unit, taken);
    added.push({
      value: { name, bus: req.bus, unitId: d.unit, profile: m.profile, pollMs: req.pollMs },
      comment: ` Added by vigil scan on ${req.date}: ${m.by === 'model-code' ? 'model code' : 'plausible'} match (${m.why.join('; ')})${m.by === 'plausibility' ? ' — confirm on the label' : ''}.`,
    });
    outcome.written.push({ name, unit: d.unit, profile: m.profile });
  }
  // Nothing to add: leave the file exactly as it was (no bus without devices).
  if (added.length === 0) return { text, outcome: { ...outcome, busAdded: false } };
  // The devices not written are listed above the first one written, where the installer looks.
  if (notes.length > 0) added[0]!.comment += `\n Found by the same scan but not written:\n${notes.join('\n')}`;
  const end = listEnd(devices, text, 'devices', req.file);
  insertions.push({ at: end.at, text: added.map((a) => renderItem(a.value, a.comment, end.indent)).join('') });
  let out = text;
  for (const ins of insertions.sort((a, b) => b.at - a.at)) {
    // A last item without a final newline (end of file) gets one before the insertion.
    const before = out.slice(0, ins.at);
    out = before + (before.endsWith('\n') ? '' : '\n') + ins.text + out.slice(ins.at);
  }
  checkEdit(out, doc, added.length, outcome.busAdded, req.file);
  return { text: out, outcome };
}

/** The edit must parse and hold exactly the old lists plus the new items; otherwise it is not written. */
function checkEdit(out: string, before: Document, devicesAdded: number, busAdded: boolean, file: string): void {
  const after = parseDocument(out);
  const count = (d: Document, key: string) => {
    const n = d.get(key, true);
    return isSeq(n) ? n.items.length : -1;
  };
  if (after.errors.length > 0 || count(after, 'devices') !== count(before, 'devices') + devicesAdded || count(after, 'buses') !== count(before, 'buses') + (busAdded ? 1 : 0)) {
    throw new SiteWriteError(`${file}: could not insert the devices without disturbing the file's layout (${after.errors[0]?.message ?? 'list lengths differ'}); nothing was written — add them by hand`);
  }
}

export function writeDevicesToSite(req: WriteRequest): WriteOutcome {
  let text: string;
  try {
    text = readFileSync(req.file, 'utf8');
  } catch (e) {
    throw new SiteWriteError(`${req.file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}); create one with \`vigil init\` first`);
  }
  const r = addDevicesToSite(text, req);
  if (r.outcome.written.length > 0) writeFileSync(req.file, r.text);
  return r.outcome;
}
