/** Benchmarks print plain Markdown tables, so a run can be pasted into an issue note as it is. */
export interface BenchRow {
  metric: string;
  /** Named columns shown between metric and value (a side-by-side comparison: value is then the ratio). */
  columns?: Record<string, string>;
  value: string;
  target?: string;
  /** FAIL: a must-hold figure (the fault campaign, hil-tests/campaign) did not hold. */
  verdict?: 'ok' | 'MISSED' | 'FAIL' | 'n/a';
  notes?: string;
}

/** `labels` renames the fixed columns (the fault campaign prints figure | measured | … | test). */
export function printTable(title: string, rows: readonly BenchRow[], labels: { metric?: string; value?: string; notes?: string } = {}): void {
  const named = [...new Set(rows.flatMap((r) => Object.keys(r.columns ?? {})))];
  const header = [labels.metric ?? 'metric', ...named, labels.value ?? (named.length ? 'ratio' : 'value'), 'target', 'verdict', labels.notes ?? 'notes'];
  const lines = rows.map((r) => [r.metric, ...named.map((n) => r.columns?.[n] ?? ''), r.value, r.target ?? '', r.verdict ?? '', r.notes ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
}

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function fmtInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function verdict(ok: boolean): 'ok' | 'MISSED' {
  return ok ? 'ok' : 'MISSED';
}

export interface BenchContext {
  /** CI's short mode: smaller sizes, same code paths; figures are indicative only. */
  short: boolean;
}
