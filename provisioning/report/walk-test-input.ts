/**
 * The walk-test record as `vigil report` reads it: the walk-test.json `vigil walk-test` writes
 * (provisioning/walk-test/record.ts, docs/walk-test.md). That module declares the record as
 * TypeScript types; this is the run-time check of the part the report shows, because the file
 * arrives from disk (edited, copied, from another version). Keys the report does not show are
 * ignored (z.object, not strictObject), so a record with more fields still renders; a missing or
 * wrong key the report needs is an error naming the file, the path and the value. The type check
 * at the end of this file fails the build if record.ts stops carrying what this reads.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { WALK_TEST_SCHEMA, type WalkTestRecord as WrittenRecord } from '../walk-test/record.js';

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'a date-time such as 2026-11-23T09:30:00Z');

/** One reading during a detector's step: ms since the prompt to apply test gas; null = no good reading then. */
export const WalkTestReadingSchema = z.object({
  tMs: z.number().min(0),
  value: z.number().nullable(),
});

export const WalkTestOutputSchema = z.object({
  name: z.string().min(1),
  kind: z.string().min(1),
  /** The installer's answer; null when the output could not be tested (note says why). */
  confirmed: z.boolean().nullable(),
  note: z.string().nullable(),
});

export const WalkTestDetectorSchema = z.object({
  /** The device name in the site file. */
  device: z.string().min(1),
  point: z.string().min(1),
  /** "<device>/<alarm>": the first-level alarm the test gas must raise. */
  alarmId: z.string().min(1),
  /** The set point the walk-test waited for, as the gateway reported it. */
  setpoint: z.number().nullable(),
  unit: z.string().nullable(),
  /** null: the alarm never came within the step's window. */
  timeToAlarmMs: z.number().min(0).nullable(),
  /** null: no reading during the step. */
  peak: z.number().nullable(),
  passed: z.boolean(),
  reason: z.string().nullable(),
  readings: z.array(WalkTestReadingSchema),
});

export const WalkTestRecordSchema = z.object({
  schema: z.literal(WALK_TEST_SCHEMA, { error: `"schema" must be "${WALK_TEST_SCHEMA}": a record written by \`vigil walk-test\` of this version` }),
  site: z.string().min(1),
  gateway: z.string().min(1),
  installer: z.string().min(1),
  startedAt: isoTime,
  endedAt: isoTime,
  outputs: z.array(WalkTestOutputSchema),
  detectors: z.array(WalkTestDetectorSchema),
});

export type WalkTestRecord = z.infer<typeof WalkTestRecordSchema>;
export type WalkTestDetector = z.infer<typeof WalkTestDetectorSchema>;
export type WalkTestOutput = z.infer<typeof WalkTestOutputSchema>;

export class WalkTestInputError extends Error {}

/** Reads and checks a walk-test record; throws WalkTestInputError listing every problem with its path. */
export function readWalkTestRecord(file: string): WalkTestRecord {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new WalkTestInputError(`${file}: ${code === 'ENOENT' ? 'file not found' : `cannot read the file (${code ?? String(e)})`}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new WalkTestInputError(`${file}: not JSON (${(e as Error).message}); a walk-test record is the JSON file \`vigil walk-test\` writes`);
  }
  return parseWalkTestRecord(data, file);
}

export function parseWalkTestRecord(data: unknown, file: string): WalkTestRecord {
  const r = WalkTestRecordSchema.safeParse(data);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const path = i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    const value = valueAt(data, i.path);
    return `  ${path || '(top level)'}: ${i.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
  });
  throw new WalkTestInputError(`${file}: not a walk-test record:\n${lines.join('\n')}`);
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return typeof v === 'object' && v !== null ? undefined : v;
}

/**
 * A record from another site or gateway is refused: a commissioning record that mixes two
 * installations is worse than none. Returns the reason, or undefined when it is this one.
 */
export function otherInstallation(record: WalkTestRecord, siteId: string, gatewayId: string): string | undefined {
  if (record.site === siteId && record.gateway === gatewayId) return undefined;
  return `the walk-test record is for site "${record.site}", gateway "${record.gateway}"; the site file is site "${siteId}", gateway "${gatewayId}"`;
}

/**
 * Names in the record that the site file does not have: a record taken before the site file
 * was last changed. Returned as messages; the report shows them as warnings.
 */
export function crossCheckWalkTest(record: WalkTestRecord, site: { devices: ReadonlySet<string>; outputs: ReadonlySet<string>; alarmIds: ReadonlySet<string> }): string[] {
  const out: string[] = [];
  record.outputs.forEach((o, i) => {
    if (!site.outputs.has(o.name)) out.push(`outputs[${i}]: output "${o.name}" is not in the site file`);
  });
  record.detectors.forEach((d, i) => {
    if (!site.devices.has(d.device)) out.push(`detectors[${i}]: device "${d.device}" is not in the site file`);
    else if (!site.alarmIds.has(d.alarmId)) out.push(`detectors[${i}]: alarm "${d.alarmId}" is not an alarm of the site file`);
  });
  return out;
}

/** Build-time check: every record `vigil walk-test` writes is one this module accepts. */
export const writtenRecordIsReadable = (r: WrittenRecord): WalkTestRecord => r;
