/** Benchmarks print plain Markdown tables, so a run can be pasted into an issue note as it is. */
export interface BenchRow {
  metric: string;
  value: string;
  target?: string;
  verdict?: 'ok' | 'MISSED' | 'n/a';
  notes?: string;
}

export function printTable(title: string, rows: readonly BenchRow[]): void {
  const header = ['metric', 'value', 'target', 'verdict', 'notes'];
  const lines = rows.map((r) => [r.metric, r.value, r.target ?? '', r.verdict ?? '', r.notes ?? '']);
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
