/**
 * Latency distributions for the benches. Nearest-rank percentiles: the value reported is one
 * that was actually measured, never an interpolation between two samples — and with n samples,
 * any percentile above 100 × (n − 1) / n is simply the maximum (p99 of 50 samples is the max).
 */
export interface Distribution {
  n: number;
  min: number;
  p50: number;
  p99: number;
  max: number;
}

/** The nearest-rank p-th percentile (0 < p ≤ 100) of `values`; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile: p must be in (0, 100], got ${p}`);
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
}

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { n: 0, min: Number.NaN, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
  return { n: values.length, min: Math.min(...values), p50: percentile(values, 50), p99: percentile(values, 99), max: Math.max(...values) };
}

/** Milliseconds with as many decimals as the magnitude deserves (0.042 ms, 3.17 ms, 512 ms). */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  const a = Math.abs(ms);
  return `${a < 1 ? ms.toFixed(3) : a < 10 ? ms.toFixed(2) : a < 100 ? ms.toFixed(1) : Math.round(ms).toLocaleString('en-US')} ms`;
}

/** "p50 0.41 ms · p99 1.20 ms · max 1.31 ms" */
export function fmtDistribution(d: Distribution): string {
  return `p50 ${fmtMs(d.p50)} · p99 ${fmtMs(d.p99)} · max ${fmtMs(d.max)}`;
}
