/**
 * What `vigil scan` prints: one row per device that answered (unit, line setting, model or
 * "unknown model"/"ambiguous", why, answer time), and — when nothing answered — what was tried
 * and what to check on site.
 */
import { describeRaw } from './identify.js';
import { describeSetting, type LineSetting } from './plan.js';
import { formatDuration } from './progress.js';
import type { FoundDevice, SweepResult } from './sweep.js';

const where = (s: LineSetting | undefined) => (s ? describeSetting(s) : 'tcp');

function modelCell(d: FoundDevice): string {
  const { verdict, matches } = d.identification;
  if (verdict === 'unknown') return 'unknown model';
  if (verdict === 'ambiguous') return 'ambiguous (see below)';
  return matches[0]!.profile;
}

/** Short enough for the table; the full reasons follow it (detailLines). */
function matchCell(d: FoundDevice): string {
  const { verdict, matches } = d.identification;
  if (verdict === 'unknown') return 'no profile matched';
  if (verdict === 'ambiguous') return `${matches.length} profiles fit`;
  const m = matches[0]!;
  return m.by === 'model-code' ? 'model code' : `plausible (${m.why.length} check${m.why.length === 1 ? '' : 's'})`;
}

const byUnit = (found: readonly FoundDevice[]) => [...found].sort((a, b) => a.unit - b.unit);

export function resultRows(found: readonly FoundDevice[]): string[][] {
  return byUnit(found).map((d) => [String(d.unit), where(d.setting), modelCell(d), matchCell(d), `${Math.round(d.answerMs)} ms`]);
}

/** Why each model was named (the profiles' `why`), or what an unknown device's registers read. */
export function detailLines(found: readonly FoundDevice[]): string[] {
  return byUnit(found).flatMap((d) => [whyLine(d), ...(d.deviceId === undefined ? [] : [`    device identification (FC43/14): ${d.deviceId}`])]);
}


function whyLine(d: FoundDevice): string {
  const { verdict, matches, raw } = d.identification;
  if (verdict === 'unknown') return `  unit ${d.unit}: unknown model; read ${describeRaw(raw)}`;
  if (verdict === 'ambiguous') return `  unit ${d.unit}: ambiguous (${matches[0]!.by}): ${matches.map((m) => m.profile).join(', ')} all fit — pick by the device's label`;
  const m = matches[0]!;
  return `  unit ${d.unit}: ${m.profile} — ${m.by === 'model-code' ? 'model code' : 'plausible, confirm on the label'}: ${m.why.join('; ')}`;
}

/** A plain text table (no borders: it must read well in a narrow terminal and in a log). */
export function formatTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const RESULT_HEADER = ['unit', 'line', 'model (profile)', 'match', 'answered in'] as const;

export function formatResult(r: SweepResult, target: string): string {
  const out: string[] = [];
  if (r.found.length > 0) {
    out.push(formatTable(RESULT_HEADER, resultRows(r.found)), '', 'Why:', ...detailLines(r.found));
    const tried = r.tallies.map((t) => `${where(t.setting)} (${t.answered} answered)`).join(', ');
    out.push('', `${r.found.length} device(s) on ${target} in ${formatDuration(r.elapsedMs)}; tried ${tried}.`);
    if (r.skipped.length > 0) {
      out.push(`Not tried: ${r.skipped.map(where).join(', ')} — devices on one line share its settings (use --all-settings to try them anyway).`);
    }
    const ambiguous = r.found.filter((d) => d.identification.verdict === 'ambiguous').length;
    const unknown = r.found.filter((d) => d.identification.verdict === 'unknown').length;
    if (ambiguous > 0) out.push(`${ambiguous} ambiguous: several profiles fit; pick by the device's label.`);
    if (unknown > 0) out.push(`${unknown} unknown model: no profile's identify section matched; write a profile (docs/profiles.md) or pick one by hand.`);
  }
  return out.join('\n');
}

/** Nothing answered: what was tried and what to check, so the installer knows where to look. */
export function deadLineMessage(r: SweepResult, target: string, units: readonly number[], rtu: boolean): string {
  const range = describeUnits(units);
  const tried = r.tallies.map((t) => where(t.setting) + (t.garbled > 0 ? ` (${t.garbled} garbled replies)` : '')).join(', ');
  const lines = [`No device answered on ${target} (units ${range}; ${formatDuration(r.elapsedMs)}).`, `Tried: ${tried}.`, 'Check:'];
  if (rtu) {
    const garbled = r.tallies.some((t) => t.garbled > 0);
    if (garbled) lines.push('  - something answered with garbled frames: the baud rate or parity is close but wrong, or there is noise — try --baud all --parity all');
    lines.push(
      '  - A and B (D+/D−) swapped: swap the two wires at the adapter and scan again',
      '  - termination: 120 Ω at the two ends of the trunk only, and bias resistors present once',
      "  - the line settings: the device's label, display or manual gives its baud rate and parity (try --baud all --parity all)",
      '  - the adapter: is this the right port (ls /dev/serial/by-id), does its TX LED blink during the scan?',
      "  - the devices' power, and their unit ids (outside the scanned range?)",
    );
  } else {
    lines.push(
      '  - the unit ids: a Modbus TCP gateway to a serial line forwards only the unit ids of its serial devices',
      "  - a gateway's own serial settings (baud, parity) must match its devices",
      '  - the address and port, and any firewall between here and the device',
    );
  }
  return lines.join('\n');
}

/** "1–247", "15–20, 199–203" */
export function describeUnits(units: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < units.length; ) {
    let j = i;
    while (j + 1 < units.length && units[j + 1] === units[j]! + 1) j++;
    parts.push(i === j ? `${units[i]}` : `${units[i]}–${units[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}
