import type { Document } from 'yaml';
import { CONFIG_VERSION } from './schema.js';
import type { Finding } from './finding.js';

/**
 * The site file's `version` decides which shape the rest of the file has, so it is checked
 * before anything else (the zigbee2mqtt pattern). When the format changes, CONFIG_VERSION
 * goes up and an entry is added here that upgrades a file of the previous version in memory.
 *
 * Migrations edit the YAML Document, not plain data: nodes that a migration does not touch
 * keep their line numbers, so problems found afterwards still point into the user's file.
 * A migration must not invent values the user never chose (principle 7) — if the new format
 * needs a decision, the migration reports a finding instead of guessing.
 */
export interface Migration {
  /** The version this migration produces (always `from + 1`). */
  to: number;
  /** One line for the warning the installer sees, e.g. "bus `speed` renamed to `baudRate`". */
  summary: string;
  migrate(doc: Document.Parsed): Finding[];
}

/** Keyed by the version a migration reads. Empty: version 1 is the first format. */
export const migrations: Readonly<Record<number, Migration>> = {};

export type VersionCheck =
  | { ok: true; findings: Finding[] }
  /** The version says the file is a shape this build cannot read: checking further is noise. */
  | { ok: false; findings: Finding[] };

/** Versions this build reads: the current one and every one a migration chain leads from. */
export function supportedVersions(table: Readonly<Record<number, Migration>> = migrations): number[] {
  return [...Object.keys(table).map(Number), CONFIG_VERSION].sort((a, b) => a - b);
}

/** @param table the migrations (tests pass their own; the loader uses the real, empty one). */
export function checkVersion(doc: Document.Parsed, data: Record<string, unknown>, table: Readonly<Record<number, Migration>> = migrations): VersionCheck {
  const supported = supportedVersions(table).join(', ');
  if (!('version' in data)) {
    // The rest is still checked against the current format: most likely that is what the
    // installer wrote, and fixing everything in one pass beats two rounds.
    return { ok: true, findings: [{ severity: 'error', at: ['version'], message: `missing required key "version": this Vigil reads site file version ${supported} — add \`version: ${CONFIG_VERSION}\`` }] };
  }
  const v = data.version;
  if (v === CONFIG_VERSION) return { ok: true, findings: [] };
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    return { ok: false, findings: [{ severity: 'error', at: ['version'], message: `must be a whole number; this Vigil reads site file version ${supported}`, value: v }] };
  }
  if (v > CONFIG_VERSION) {
    return { ok: false, findings: [{ severity: 'error', at: ['version'], message: `is newer than this Vigil understands (it reads version ${supported}); upgrade Vigil`, value: v }] };
  }
  const findings: Finding[] = [];
  let at = v;
  while (at !== CONFIG_VERSION) {
    const m = table[at];
    if (!m) {
      return { ok: false, findings: [{ severity: 'error', at: ['version'], message: `is not a site file version this Vigil reads (it reads ${supported})`, value: v }] };
    }
    findings.push(...m.migrate(doc));
    findings.push({ severity: 'warning', at: ['version'], message: `version ${at} read as version ${m.to}: ${m.summary}; update the file (docs/configuration.md#versions-and-migrations)` });
    at = m.to;
  }
  doc.set('version', CONFIG_VERSION);
  return { ok: true, findings };
}
