/**
 * The commissioning record a walk-test writes (walk-test.json), documented in docs/walk-test.md
 * and rendered later by `vigil report`. A user-facing file format: add fields, never rename or
 * remove; a breaking change bumps `schema`.
 */
export const WALK_TEST_SCHEMA = 'vigil.walk-test/1';

export interface OutputResult {
  name: string;
  /** sounder, strobe, lamp or relay. */
  kind: string;
  line: number;
  /** The gateway accepted the test and switched the output. */
  tested: boolean;
  /** The installer's answer: they saw / heard it. null when the output could not be tested. */
  confirmed: boolean | null;
  /** What the gateway read back from the line while the test held it (null when not tested). */
  readBack: { on: boolean; level: 0 | 1; fault: string | null } | null;
  /** Why it was not tested, or what the installer noted. */
  note: string | null;
}

export interface ReadingSample {
  /** ms since the prompt to apply test gas. */
  tMs: number;
  value: number | null;
}

export interface DetectorResult {
  device: string;
  point: string;
  /** The first-level alarm the test waits for (e.g. gas-1/gas_high). */
  alarmId: string;
  setpoint: number | null;
  unit: string | null;
  /** The value just before the prompt. */
  baseline: number | null;
  /** From the prompt to the alarm's detection (includes the installer's handling time). */
  timeToAlarmMs: number | null;
  /** Highest value read between the prompt and the value falling back. */
  peak: number | null;
  /** The alarm occurrence id, for the journal. */
  occurrenceId: string | null;
  passed: boolean;
  /** Why it failed, or null. */
  reason: string | null;
  /** Alarms the walk-test acknowledged and reset after the step, journaled as the installer. */
  handled: { alarmId: string; acknowledged: boolean; reset: boolean; message: string }[];
  /** Every reading polled during the step (250 ms apart), for the report's plot. */
  readings: ReadingSample[];
}

export interface WalkTestRecord {
  schema: typeof WALK_TEST_SCHEMA;
  site: string;
  gateway: string;
  gatewayVersion: string;
  api: string;
  installer: string;
  /** ISO 8601, from this computer's clock. */
  startedAt: string;
  endedAt: string;
  outputs: OutputResult[];
  detectors: DetectorResult[];
  summary: { outputsConfirmed: number; outputsTotal: number; detectorsPassed: number; detectorsTotal: number; passed: boolean };
}

export function summarise(outputs: readonly OutputResult[], detectors: readonly DetectorResult[]): WalkTestRecord['summary'] {
  const outputsConfirmed = outputs.filter((o) => o.confirmed === true).length;
  const detectorsPassed = detectors.filter((d) => d.passed).length;
  return {
    outputsConfirmed,
    outputsTotal: outputs.length,
    detectorsPassed,
    detectorsTotal: detectors.length,
    passed: outputsConfirmed === outputs.length && detectorsPassed === detectors.length,
  };
}

/** The table printed at the end of a walk-test: one line per output and per detector. */
export function formatSummary(r: WalkTestRecord): string[] {
  const rows: string[][] = [
    ...r.outputs.map((o) => [o.name, o.kind, o.confirmed === true ? 'PASS' : 'FAIL', o.confirmed === null ? `not tested: ${o.note ?? ''}` : o.confirmed ? 'confirmed by installer' : `not confirmed${o.note ? `: ${o.note}` : ''}`]),
    ...r.detectors.map((d) => [
      d.device,
      `detector ${d.point}`,
      d.passed ? 'PASS' : 'FAIL',
      d.passed ? `${d.alarmId} in ${(d.timeToAlarmMs! / 1000).toFixed(1)} s, peak ${d.peak ?? '?'}${d.unit ? ` ${d.unit}` : ''}` : (d.reason ?? ''),
    ]),
  ];
  const s = r.summary;
  return [
    `Walk-test of ${r.site}/${r.gateway} by ${r.installer}, ${r.startedAt} – ${r.endedAt}`,
    '',
    ...formatTable(['name', 'what', 'result', 'details'], rows),
    '',
    `outputs confirmed ${s.outputsConfirmed}/${s.outputsTotal}, detectors passed ${s.detectorsPassed}/${s.detectorsTotal}: ${s.passed ? 'PASSED' : 'NOT PASSED'}`,
  ];
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  return [fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)];
}
