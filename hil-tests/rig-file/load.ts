import { readFileSync } from 'node:fs';
import { loadProfileCatalog, type ProfileCatalog } from '../../drivers/profiles/loader.js';
import { error, type Finding } from '../../gateway/config/finding.js';
import { formatPath, formatProblem, type Problem } from '../../gateway/config/problems.js';
import { didYouMean } from '../../gateway/config/suggest.js';
import { parseYaml } from '../../gateway/config/yaml-source.js';
import { issuesToFindings } from '../../gateway/config/zod-issues.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { RIG_FILE_VERSION, RigFileSchema, type RigFile } from './schema.js';

/**
 * Loading a rig file the way a site file is loaded (gateway/config/load.ts): YAML with
 * positions → schema → semantic pass, every problem collected, each naming file:line:column,
 * the path and the value. A rig file that fails here never starts a rig.
 */
export type RigLoadResult = { ok: true; rig: RigFile; file: string } | { ok: false; problems: Problem[] };

export function loadRigFile(file: string, catalog: ProfileCatalog = builtinCatalog()): RigLoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, problems: [{ file, path: '', message: code === 'ENOENT' ? 'rig file not found' : `cannot read the rig file (${code ?? String(e)})` }] };
  }
  const parsed = parseYaml(text);
  const toProblems = (findings: Finding[]): Problem[] =>
    findings
      .filter((f) => f.severity === 'error')
      .map((f) => {
        const pos = parsed.positions.get(f) ?? parsed.source?.locate(f.at, f.atKey);
        const p: Problem = { file, path: formatPath(f.at), message: f.message, ...(pos ?? {}) };
        if (f.value !== undefined) p.value = f.value;
        return p;
      })
      // In file order, as an editor shows them.
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const data = parsed.source?.data;
  if (!parsed.source) return { ok: false, problems: toProblems(parsed.findings) };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, problems: [{ file, path: '', line: 1, column: 1, message: `a rig file is a YAML mapping that starts with \`version: ${RIG_FILE_VERSION}\` and \`kind: virtual\` or \`kind: bench\`` }] };
  }
  const findings = [...parsed.findings];
  const result = RigFileSchema.safeParse(data);
  if (!result.success) return { ok: false, problems: toProblems([...findings, ...issuesToFindings(result.error.issues, RigFileSchema, data)]) };
  findings.push(...checkRig(result.data, catalog));
  const problems = toProblems(findings);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, rig: result.data, file };
}

/** For the runner: the rig, or an Error listing every problem one per line. */
export function requireRigFile(file: string): RigFile {
  const r = loadRigFile(file);
  if (r.ok) return r.rig;
  throw new Error(`${file}: ${r.problems.length} problem(s) in the rig file:\n${r.problems.map(formatProblem).join('\n')}`);
}

function builtinCatalog(): ProfileCatalog {
  return loadProfileCatalog([builtinProfilesDir()]).catalog;
}

/** What the schema cannot see: names that must be unique or must refer to something. */
export function checkRig(rig: RigFile, catalog: ProfileCatalog): Finding[] {
  const out: Finding[] = [];
  unique(rig.buses, 'buses', out);
  unique(rig.devices, 'devices', out);
  unique(rig.outputs, 'outputs', out);
  const buses = new Set(rig.buses.map((b) => b.name));
  const devices = new Map(rig.devices.map((d) => [d.name, d]));
  const units = new Set<string>();
  rig.devices.forEach((d, i) => {
    if (!buses.has(d.bus)) out.push(error(['devices', i, 'bus'], `no bus of that name${didYouMean(d.bus, buses)}`, d.bus));
    const key = `${d.bus}/${d.unitId}`;
    if (units.has(key)) out.push(error(['devices', i, 'unitId'], `another device on bus "${d.bus}" has unit id ${d.unitId}`, d.unitId));
    units.add(key);
    const profile = catalog.get(d.profile);
    if (!profile) out.push(error(['devices', i, 'profile'], `no such profile${didYouMean(d.profile, catalog.ids())}`, d.profile));
    if (rig.kind === 'bench' && profile && 'stimuli' in d && d.stimuli) {
      const points = profile.points.map((p) => p.name);
      for (const point of Object.keys(d.stimuli)) {
        if (!points.includes(point)) out.push(error(['devices', i, 'stimuli', point], `profile ${d.profile} has no point of that name${didYouMean(point, points)}`, point));
      }
    }
  });
  if (rig.interlock) {
    const il = rig.interlock;
    const want = (key: 'detector' | 'valve', profile: string): void => {
      const d = devices.get(il[key]);
      if (!d) out.push(error(['interlock', key], `no device of that name${didYouMean(il[key], devices.keys())}`, il[key]));
      else if (d.profile !== profile) out.push(error(['interlock', key], `must be a ${profile} device, not ${d.profile}`, il[key]));
    };
    want('detector', 'generic/combustible-gas');
    want('valve', 'generic/gas-valve-actuator');
    if (il.fan !== undefined && !rig.outputs.some((o) => o.name === il.fan)) out.push(error(['interlock', 'fan'], 'no output of that name', il.fan));
  }
  rig.outputs.forEach((o, i) => {
    // A bench output nobody can observe would make every "the sounder sounds" check unfalsifiable.
    if (rig.kind === 'bench' && !o.readBack) out.push(error(['outputs', i], 'a bench output needs readBack: { kind: gpio, chip, line } or { kind: operator }'));
    if (rig.kind === 'virtual' && o.readBack) out.push(error(['outputs', i, 'readBack'], 'the virtual rig reads every output back itself; remove readBack', o.readBack));
  });
  return out;
}

function unique(items: readonly { name: string }[], key: string, out: Finding[]): void {
  const seen = new Set<string>();
  items.forEach((it, i) => {
    if (seen.has(it.name)) out.push(error([key, i, 'name'], 'used twice', it.name));
    seen.add(it.name);
  });
}
