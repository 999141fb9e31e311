import type { ScenarioResult } from './rig-test.js';

/**
 * The report a test engineer reads and files with the qualification record: the rig, the
 * gateway version, when, a summary table, then each scenario's steps with their durations and
 * its key figures (time to alarm, time to the centre, readings lost).
 */
export interface ReportHeader {
  rigName: string;
  rigKind: 'virtual' | 'bench';
  rigFile: string;
  gatewayVersion: string;
  date: string;
  host: string;
}

export function markdownReport(h: ReportHeader, results: readonly ScenarioResult[]): string {
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const icon = (r: ScenarioResult): string => (r.status === 'passed' ? 'PASS' : r.status === 'failed' ? '**FAIL**' : 'skipped');
  const lines = [
    `# Vigil HIL report — rig ${h.rigName}`,
    '',
    '| | |',
    '|---|---|',
    `| rig | ${h.rigName} (${h.rigKind}), \`${h.rigFile}\` |`,
    `| gateway version | ${h.gatewayVersion} |`,
    `| date | ${h.date} |`,
    `| host | ${h.host} |`,
    `| result | ${failed === 0 ? 'PASS' : '**FAIL**'}: ${passed} passed, ${failed} failed, ${skipped} skipped |`,
    '',
    '| scenario | result | time | key figures |',
    '|---|---|---:|---|',
    ...results.map((r) => `| ${cell(r.title)} | ${icon(r)} | ${(r.ms / 1000).toFixed(1)} s | ${cell(r.figures.map((f) => `${f.name}: ${fmt(f.value)} ${f.unit}`).join('; ') || '—')} |`),
  ];
  for (const r of results) {
    lines.push('', `## ${r.title} — ${icon(r)}`, '', `\`${r.name}\`${r.message ? ` — ${r.status === 'skipped' ? 'skipped: ' : ''}${r.message}` : ''}`);
    if (r.steps.length > 0) {
      lines.push('', '| # | step | result | duration |', '|---:|---|---|---:|');
      r.steps.forEach((s, i) => lines.push(`| ${i + 1} | ${cell(s.name)} | ${s.ok ? 'ok' : `**FAIL**: ${cell(s.error ?? '')}`} | ${fmt(s.ms)} ms |`));
    }
    if (r.figures.length > 0) {
      lines.push('', '| figure | value | bound |', '|---|---:|---|');
      for (const f of r.figures) lines.push(`| ${cell(f.name)} | ${fmt(f.value)} ${f.unit} | ${f.bound ?? ''} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toFixed(0));
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
