/**
 * The campaign's figures and how each is judged. A must-hold figure is a guarantee (nothing
 * committed lost, every reading delivered, no crash, the alarm path alive on a full disk): if
 * it fails, the campaign exits non-zero. A soft figure is a performance goal: a miss prints
 * MISSED and the campaign still exits 0, like the benches. An info figure is context.
 */
import type { BenchRow } from '../../bench/table.js';

export type FigureKind = 'must' | 'soft' | 'info';

export interface Figure {
  figure: string;
  measured: string;
  target: string;
  kind: FigureKind;
  /** Whether the target was met (ignored for info figures). */
  pass: boolean;
  /** Which campaign case, and at what scale. */
  test: string;
}

export interface CampaignContext {
  /** CI's short mode: the same cases at a smaller scale. */
  short: boolean;
  /** Seed for every random draw of the run (kill points, fuzz bytes, flaps). */
  seed: number;
  /** Progress lines (stderr), so a long run shows where it is. */
  log(message: string): void;
}

export interface CampaignCase {
  name: string;
  title: string;
  run(ctx: CampaignContext): Promise<Figure[]>;
}

export function verdictOf(f: Figure): NonNullable<BenchRow['verdict']> {
  if (f.kind === 'info') return 'n/a';
  if (f.pass) return 'ok';
  return f.kind === 'must' ? 'FAIL' : 'MISSED';
}

/** 1 when any must-hold figure failed, else 0 (a soft miss does not fail the run). */
export function exitCodeFor(figures: readonly Figure[]): number {
  return figures.some((f) => f.kind === 'must' && !f.pass) ? 1 : 0;
}

export function toRows(figures: readonly Figure[]): BenchRow[] {
  return figures.map((f) => ({ metric: f.figure, value: f.measured, target: f.target, verdict: verdictOf(f), notes: f.test }));
}

/** A case that threw: its guarantee was not shown, which is a failure, named with the error. */
export function crashedCase(c: CampaignCase, error: unknown, scale: string): Figure {
  const message = error instanceof Error ? error.message : String(error);
  return { figure: `${c.name}: case completed`, measured: `threw: ${message.split('\n')[0]!.slice(0, 160)}`, target: 'completes', kind: 'must', pass: false, test: scale };
}

export function pct(part: number, whole: number): string {
  if (whole === 0) return '—';
  if (part === 0 || part === whole) return `${part === 0 ? 0 : 100} %`;
  // Rounded toward 0, so 999,999 of 1,000,000 reads 99.999 %, never 100.000 %.
  return `${(Math.floor((100_000 * part) / whole) / 1000).toFixed(3)} %`;
}
