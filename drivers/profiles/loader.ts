import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { VigilError } from '../../gateway/errors.js';
import { formatPath, type Problem } from '../../gateway/config/problems.js';
import { locate, valueAt } from './locate.js';
import { toFindings, type Finding } from './schema-issues.js';
import { DeviceAlarmSchema } from '../../rules/definitions/schema.js';
import { semanticChecks, type CheckedAlarm, type CheckedIdentify, type CheckedPoint } from './semantic.js';
import { IdentifyCheckSchema, IdentifySchema, PointSchema, ProfileSchema, type ByteOrder, type Profile } from './schema.js';

/**
 * Device profiles are data (DESIGN.md principle 5): <dir>/<vendor>/<model>.yaml, checked by
 * the schema and then a semantic pass. Every problem in a file is reported, each naming the
 * file, the path inside it, line:column and the offending value; a file with any problem
 * yields no profile.
 */

export interface ProfileCatalog {
  get(id: string): Profile | undefined;
  /** Every loaded id, sorted. */
  ids(): string[];
}

/** The id a file must carry: its path under `root`, '/'-separated, without .yaml. */
function expectedIdOf(file: string, root: string): string {
  return relative(root, file).split(sep).join('/').replace(/\.ya?ml$/, '');
}

function byPosition(a: Problem, b: Problem): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

/** Delete an unknown key (or a bad record key) so a second parse can reach the checks it hid. */
function dropKey(data: unknown, path: readonly PropertyKey[]): boolean {
  const parent = valueAt(data, path.slice(0, -1));
  const key = path[path.length - 1];
  if (parent === null || typeof parent !== 'object' || key === undefined) return false;
  return delete (parent as Record<PropertyKey, unknown>)[key];
}

/**
 * Schema findings. zod skips an object's refinements (e.g. "`bit` on an f32") while the object
 * has a plain error such as an unknown key; so we drop unknown keys and parse again, up to a few
 * rounds, to report everything in one pass. Returns the findings and the cleaned data.
 */
function schemaFindings(data: unknown): { findings: Finding[]; cleaned: unknown; profile?: Profile } {
  const cleaned: unknown = structuredClone(data);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (let round = 0; round < 4; round++) {
    const result = ProfileSchema.safeParse(cleaned);
    if (result.success) return round === 0 ? { findings, cleaned, profile: result.data } : { findings, cleaned };
    let dropped = false;
    for (const f of result.error.issues.flatMap((issue) => toFindings(issue, cleaned))) {
      const key = `${JSON.stringify(f.path.map(String))} ${f.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(f);
      if (f.atKey && dropKey(cleaned, f.path)) dropped = true;
    }
    if (!dropped) break;
  }
  return { findings, cleaned };
}

/** Points that pass the schema on their own, for the semantic pass. */
function checkedPoints(cleaned: unknown): CheckedPoint[] {
  const raw = valueAt(cleaned, ['points']);
  if (!Array.isArray(raw)) return [];
  const out: CheckedPoint[] = [];
  raw.forEach((p, index) => {
    const r = PointSchema.safeParse(p);
    if (r.success) out.push({ index, point: r.data });
  });
  return out;
}

/** Alarms that pass the schema on their own, for the semantic pass. */
function checkedAlarms(cleaned: unknown): CheckedAlarm[] {
  const raw = valueAt(cleaned, ['alarms']);
  if (!Array.isArray(raw)) return [];
  const out: CheckedAlarm[] = [];
  raw.forEach((a, index) => {
    const r = DeviceAlarmSchema.safeParse(a);
    if (r.success) out.push({ index, alarm: r.data });
  });
  return out;
}

/** The `identify` checks that pass the schema on their own, and `by` when valid, for the semantic pass. */
function checkedIdentify(cleaned: unknown): CheckedIdentify | undefined {
  const raw = valueAt(cleaned, ['identify']);
  if (raw === undefined) return undefined;
  const by = IdentifySchema.shape.by.safeParse(valueAt(raw, ['by']));
  const list = valueAt(raw, ['checks']);
  const checks: CheckedIdentify['checks'] = [];
  if (Array.isArray(list)) {
    list.forEach((c, index) => {
      const r = IdentifyCheckSchema.safeParse(c);
      if (r.success) checks.push({ index, check: r.data });
    });
  }
  return { ...(by.success ? { by: by.data } : {}), checks, allValid: Array.isArray(list) && checks.length === list.length };
}

function namesIn(data: unknown, list: 'points' | 'alarms'): unknown[] {
  const raw = valueAt(data, [list]);
  return Array.isArray(raw) ? raw.map((p) => valueAt(p, ['name'])) : [];
}

function defaultByteOrder(cleaned: unknown): ByteOrder {
  const r = ProfileSchema.shape.modbus.safeParse(valueAt(cleaned, ['modbus']));
  return r.success ? r.data.byteOrder : 'ABCD';
}

function readDocument(file: string): { doc?: Document; lines: LineCounter; problems: Problem[] } {
  const lines = new LineCounter();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    return { lines, problems: [{ file, path: '', message: `cannot read the file (${code})` }] };
  }
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = doc.errors.map((err) => {
    const pos = lines.linePos(err.pos[0]);
    return { file, path: '', line: pos.line, column: pos.col, message: `YAML: ${err.message}` };
  });
  if (problems.length === 0 && doc.contents === null) {
    problems.push({ file, path: '', message: 'the file is empty; a profile is a YAML mapping (id, vendor, model, …)' });
  }
  return { doc, lines, problems };
}

export function loadProfileFile(file: string, root: string): { profile?: Profile; problems: Problem[] } {
  const { doc, lines, problems } = readDocument(file);
  if (!doc || problems.length > 0) return { problems };

  const data: unknown = doc.toJS();
  const { findings, cleaned, profile } = schemaFindings(data);
  const lineOf = (path: PropertyKey[]) => locate(doc, lines, path)?.line;
  findings.push(
    ...semanticChecks({
      id: valueAt(data, ['id']),
      expectedId: expectedIdOf(file, root),
      defaultByteOrder: defaultByteOrder(cleaned),
      points: checkedPoints(cleaned),
      names: namesIn(data, 'points'),
      alarms: checkedAlarms(cleaned),
      alarmNames: namesIn(data, 'alarms'),
      identify: checkedIdentify(cleaned),
      lineOf,
    }),
  );

  for (const f of findings) {
    const pos = locate(doc, lines, f.path, f.atKey);
    const value = f.quote ? valueAt(data, f.path) : undefined;
    const problem: Problem = { file, path: formatPath(f.path), message: f.message };
    if (pos) Object.assign(problem, { line: pos.line, column: pos.column });
    if (value !== undefined) problem.value = value;
    problems.push(problem);
  }
  problems.sort(byPosition);
  return problems.length === 0 && profile ? { profile, problems } : { problems };
}

function listDir(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Profile files in one directory: exactly <dir>/<vendor>/<model>.yaml. Deeper folders (such as
 * the loader's own testcases/) are not searched. A YAML file at the wrong depth or named .yml is
 * reported rather than silently skipped.
 */
function profileFiles(dir: string, problems: Problem[]): string[] {
  const files: string[] = [];
  for (const vendor of listDir(dir)) {
    const vendorPath = join(dir, vendor);
    if (!isDir(vendorPath)) {
      if (/\.ya?ml$/.test(vendor)) {
        problems.push({ file: vendorPath, path: '', message: 'not loaded: a profile file sits at <vendor>/<model>.yaml' });
      }
      continue;
    }
    for (const name of listDir(vendorPath)) {
      const file = join(vendorPath, name);
      if (name.endsWith('.yaml') && !isDir(file)) files.push(file);
      else if (name.endsWith('.yml')) {
        problems.push({ file, path: '', message: 'not loaded: profile files end in .yaml, not .yml' });
      }
    }
  }
  return files;
}

export function loadProfileCatalog(dirs: string[]): { catalog: ProfileCatalog; problems: Problem[] } {
  const problems: Problem[] = [];
  const profiles = new Map<string, Profile>();
  // An id is claimed by the first directory that has a file for it, even if that file is
  // invalid: a broken site override must not silently fall back to the built-in profile.
  const claimed = new Set<string>();
  for (const dir of dirs) {
    if (!existsSync(dir) || !isDir(dir)) {
      problems.push({ file: dir, path: '', message: 'profile directory not found' });
      continue;
    }
    for (const file of profileFiles(dir, problems)) {
      const id = expectedIdOf(file, dir);
      if (claimed.has(id)) continue;
      claimed.add(id);
      const result = loadProfileFile(file, dir);
      problems.push(...result.problems);
      if (result.profile) profiles.set(id, result.profile);
    }
  }
  return { catalog: catalogOf(profiles), problems };
}

function catalogOf(profiles: ReadonlyMap<string, Profile>): ProfileCatalog {
  const ids = [...profiles.keys()].sort();
  return {
    get: (id) => profiles.get(id),
    ids: () => [...ids],
  };
}

/** A catalog from profiles in memory (tests, tools). Two profiles with one id are a mistake. */
export function createCatalog(profiles: Profile[]): ProfileCatalog {
  const byId = new Map<string, Profile>();
  for (const p of profiles) {
    if (byId.has(p.id)) {
      throw new VigilError('PROFILE_INVALID', `two profiles have the id "${p.id}"`, { id: p.id });
    }
    byId.set(p.id, p);
  }
  return catalogOf(byId);
}
