import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadProfileCatalog, type ProfileCatalog } from '../../drivers/profiles/loader.js';
import { VigilError } from '../errors.js';
import { builtinProfilesDir } from '../paths.js';
import { formatPath, formatProblem, type Problem } from './problems.js';
import { SiteConfigSchema, type SiteConfig } from './schema.js';
import { checkSemantics, type SemanticOptions } from './semantic.js';
import { resolveSecrets, type ResolvedSecrets } from './secrets.js';
import { salvage } from './salvage.js';
import { checkTlsFiles } from './tls-files.js';
import { checkVersion } from './version.js';
import { parseYaml, type YamlSource } from './yaml-source.js';
import { issuesToFindings } from './zod-issues.js';
import type { Finding } from './finding.js';

/**
 * Loading a site file: read → YAML (positions kept) → version → schema → semantic pass →
 * secrets. Every stage runs even when an earlier one found problems (on the parts that
 * passed), so an installer gets the whole list in one run; only text that is not YAML at all
 * stops early. Nothing is defaulted, clamped or coerced beyond the defaults the schema names.
 */
export type LoadResult =
  | {
      ok: true;
      config: SiteConfig;
      profiles: ProfileCatalog;
      /** Absolute directory of the site file: relative paths in it resolve against this. */
      configDir: string;
      /** Resolved credentials, kept out of `config` so printing the config cannot leak them. */
      secrets: ResolvedSecrets;
      warnings: Problem[];
    }
  | {
      ok: false;
      /** SECRET_MISSING when the file is fine but a secret could not be resolved. */
      code: 'CONFIG_INVALID' | 'SECRET_MISSING';
      /** Errors, in file order. */
      problems: Problem[];
      warnings: Problem[];
    };

export interface LoadOptions {
  /** Defaults to process.env; tests pass their own. */
  env?: NodeJS.ProcessEnv;
  /** Use this catalog instead of loading profileDirs + the built-in profiles. */
  catalog?: ProfileCatalog;
  /** `vigil validate` makes an overbooked RTU bus an error; a starting gateway warns and runs (semantic.ts). */
  overbookedBus?: SemanticOptions['overbookedBus'];
  /** `vigil register` creates the cloud.mqtt.tls files, so it cannot require them to exist yet. */
  skipTlsFiles?: boolean;
}

export function loadSiteConfig(file: string, opts: LoadOptions = {}): LoadResult {
  const env = opts.env ?? process.env;
  const configDir = dirname(resolve(file));
  const fail = (problems: Problem[], warnings: Problem[] = []): LoadResult => ({ ok: false, code: 'CONFIG_INVALID', problems, warnings });

  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `file not found (looked for ${resolve(file)})` : code === 'EISDIR' ? 'is a directory, not a site file' : `cannot read the file (${code ?? String(e)})`;
    return fail([{ file, path: '', message: why }]);
  }

  const parsed = parseYaml(text);
  const toProblems = (findings: Finding[], source?: YamlSource) =>
    findings.map((f) => toProblem(file, f, parsed.positions.get(f) ?? source?.locate(f.at, f.atKey)));
  if (!parsed.source) return fail(...split(toProblems(parsed.findings)));
  const source = parsed.source;

  let data = source.data;
  if (data === null || data === undefined) {
    return fail([{ file, path: '', message: 'the file is empty; a site file is a YAML mapping that starts with `version: 1`' }]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    return fail([{ file, path: '', line: 1, column: 1, message: 'must be a YAML mapping (key: value lines) that starts with `version: 1`' }]);
  }

  const findings = [...parsed.findings];
  const version = checkVersion(source.doc, data as Record<string, unknown>);
  findings.push(...version.findings);
  if (!version.ok) return fail(...split(toProblems(findings, source)));
  if (version.findings.some((f) => f.severity === 'warning')) data = source.doc.toJS(); // a migration ran
  const record = data as Record<string, unknown>;

  const parsedConfig = SiteConfigSchema.safeParse(data);
  if (!parsedConfig.success) {
    const versionReported = version.findings.some((f) => f.severity === 'error');
    findings.push(...issuesToFindings(parsedConfig.error.issues, SiteConfigSchema, data).filter((f) => !(versionReported && formatPath(f.at) === 'version')));
  }
  const checked = parsedConfig.success ? parsedConfig.data : salvage(record);

  // Profiles: the site's own directories first, so a site can override a built-in model.
  const profileDirs = parsedConfig.success ? parsedConfig.data.profileDirs : SiteConfigSchema.shape.profileDirs.safeParse(record.profileDirs).data;
  const dirs: string[] = [];
  (profileDirs ?? []).forEach((d, i) => {
    const abs = resolve(configDir, d);
    if (existsSync(abs) && statSync(abs).isDirectory()) dirs.push(abs);
    else findings.push({ severity: 'error', at: ['profileDirs', i], message: `directory not found (resolved to ${abs})`, value: d });
  });
  let profiles: ProfileCatalog;
  const profileProblems: Problem[] = [];
  if (opts.catalog) profiles = opts.catalog;
  else {
    const loaded = loadProfileCatalog([...dirs, builtinProfilesDir()]);
    profiles = loaded.catalog;
    profileProblems.push(...loaded.problems);
  }
  findings.push(...checkSemantics(checked, profiles, opts.overbookedBus ? { overbookedBus: opts.overbookedBus } : {}));
  if (opts.skipTlsFiles !== true) findings.push(...checkTlsFiles(checked.cloud?.mqtt.tls, configDir));

  const secrets = resolveSecrets(checked, file, configDir, env);
  const [configErrors] = split([...toProblems(findings, source), ...profileProblems]);
  const [errors, warnings] = split([
    ...toProblems([...findings, ...secrets.findings], source),
    ...profileProblems,
    ...secrets.fileProblems,
    ...secrets.fileWarnings.map((w) => ({ ...w, severity: 'warning' as const })),
  ]);

  if (errors.length > 0 || !parsedConfig.success) {
    // SECRET_MISSING only when the file itself is sound: the fix is in the environment.
    const onlySecrets = parsedConfig.success && configErrors.length === 0;
    return { ok: false, code: onlySecrets ? 'SECRET_MISSING' : 'CONFIG_INVALID', problems: errors, warnings };
  }
  return { ok: true, config: parsedConfig.data, profiles, configDir, secrets: secrets.secrets, warnings };
}

/** For the runtime: the config, or a VigilError whose message lists every problem. */
export function requireSiteConfig(file: string, opts: LoadOptions = {}): Extract<LoadResult, { ok: true }> {
  const r = loadSiteConfig(file, opts);
  if (r.ok) return r;
  const lines = r.problems.map(formatProblem);
  throw new VigilError(r.code, `${file}: ${r.problems.length} error(s) in the configuration:\n${lines.join('\n')}`, { problems: r.problems });
}

function toProblem(file: string, f: Finding, pos: { line: number; column: number } | undefined): Problem & { severity: Finding['severity'] } {
  const p: Problem & { severity: Finding['severity'] } = { severity: f.severity, file, path: formatPath(f.at), message: f.message };
  if (pos) Object.assign(p, pos);
  if (f.value !== undefined) p.value = f.value;
  return p;
}

/** [errors, warnings], each in file order, without the internal severity tag. */
function split(problems: (Problem & { severity?: Finding['severity'] })[]): [Problem[], Problem[]] {
  const strip = ({ severity: _s, ...p }: Problem & { severity?: Finding['severity'] }): Problem => p;
  const byPos = (a: Problem, b: Problem) => (a.file === b.file ? 0 : a.file < b.file ? -1 : 1) || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
  const errors = problems.filter((p) => p.severity !== 'warning').map(strip);
  const warnings = problems.filter((p) => p.severity === 'warning').map(strip);
  return [errors.sort(byPos), warnings.sort(byPos)];
}
