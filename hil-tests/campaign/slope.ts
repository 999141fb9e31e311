/** The least-squares slope of samples over time, per hour: a leak is a trend, not two points. */
export function slopePerHour(samples: ReadonlyArray<{ tMs: number; value: number }>): number {
  if (samples.length < 2) throw new Error(`slope: need at least 2 samples, got ${samples.length}`);
  const n = samples.length;
  const meanT = samples.reduce((a, s) => a + s.tMs, 0) / n;
  const meanV = samples.reduce((a, s) => a + s.value, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.tMs - meanT) * (s.value - meanV);
    den += (s.tMs - meanT) ** 2;
  }
  if (den === 0) throw new Error('slope: all samples were taken at the same time');
  return (num / den) * 3_600_000;
}
