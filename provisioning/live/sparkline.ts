/**
 * A compact per-point trend for `vigil live`: the last samples as block characters, scaled
 * between their own minimum and maximum (a flat line when they are all equal), a gap (space)
 * where a sample had no good value.
 */
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(samples: readonly (number | null)[], width: number): string {
  const recent = samples.slice(-width);
  const values = recent.filter((v): v is number => v !== null);
  if (values.length === 0) return ' '.repeat(recent.length);
  const min = Math.min(...values);
  const span = Math.max(...values) - min;
  return recent
    .map((v) => {
      if (v === null) return ' ';
      const i = span === 0 ? 0 : Math.round(((v - min) / span) * (BLOCKS.length - 1));
      return BLOCKS[i];
    })
    .join('');
}

/** Keeps the last `size` samples of every point (key device/point). */
export class TrendHistory {
  private readonly series = new Map<string, (number | null)[]>();

  constructor(private readonly size: number) {}

  add(key: string, value: number | null): void {
    const s = this.series.get(key) ?? [];
    s.push(value);
    if (s.length > this.size) s.shift();
    this.series.set(key, s);
  }

  get(key: string): readonly (number | null)[] {
    return this.series.get(key) ?? [];
  }
}
