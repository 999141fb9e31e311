/**
 * The plot of one detector's readings during its walk test, as inline SVG (no script, no external
 * asset: the report is one self-contained file that prints). Time since the test of this
 * detector started on x (seconds), the reading on y (the point's unit), the alarm set points as
 * dashed horizontal lines, and the moment the alarm came as a vertical line.
 */
import { html, Html } from './html.js';

export interface PlotPoint {
  /** ms since the prompt to apply test gas. */
  tMs: number;
  /** null: no good reading at that moment; the line is broken there rather than bridged. */
  value: number | null;
}

export interface PlotLine {
  label: string;
  value: number;
}

export interface PlotInput {
  readings: readonly PlotPoint[];
  /** Set points (e.g. 25 and 50 %LEL) drawn across the plot. */
  thresholds: readonly PlotLine[];
  unit?: string | undefined;
  /** When the alarm came, ms since the start (null/undefined: it did not). */
  alarmAtMs?: number | null | undefined;
  /** For the SVG's accessible title. */
  title: string;
}

export const PLOT = { width: 640, height: 240, left: 56, right: 16, top: 12, bottom: 36 } as const;

/** Tick positions covering [lo, hi] with a 1-2-5 step, about `count` of them. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const first = Math.ceil(lo / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/**
 * The value axis: from 0 (or a round number below a negative reading) to a round number at
 * least 10 % above every reading and set point, so the highest line never sits on the frame.
 */
export function valueDomain(values: readonly number[]): [number, number] {
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values, lo + 1);
  const target = hi + (hi - lo) * 0.1;
  const ticks = niceTicks(lo, target);
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 1;
  return [Math.floor(lo / step) * step, Math.ceil(target / step - 1e-9) * step];
}

const fmt = (v: number): string => String(Number(v.toFixed(Math.abs(v) < 1 ? 2 : 1)));

export function readingsPlot(input: PlotInput): Html {
  const { width, height, left, right, top, bottom } = PLOT;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const endMs = Math.max(1_000, ...input.readings.map((r) => r.tMs), input.alarmAtMs ?? 0);
  const values = input.readings.flatMap((r) => (r.value === null ? [] : [r.value]));
  const [yLo, yHi] = valueDomain([...values, ...input.thresholds.map((t) => t.value)]);
  const x = (ms: number) => left + (ms / endMs) * plotW;
  const y = (v: number) => top + plotH - ((v - yLo) / (yHi - yLo)) * plotH;
  const px = (n: number) => n.toFixed(1);

  const xTicks = niceTicks(0, endMs / 1000).map(
    (s) => html`<g class="tick"><line x1="${px(x(s * 1000))}" y1="${top + plotH}" x2="${px(x(s * 1000))}" y2="${top + plotH + 4}"/><text x="${px(x(s * 1000))}" y="${top + plotH + 16}" text-anchor="middle">${fmt(s)}</text></g>`,
  );
  const yTicks = niceTicks(yLo, yHi).map(
    (v) => html`<g class="tick"><line class="grid" x1="${left}" y1="${px(y(v))}" x2="${left + plotW}" y2="${px(y(v))}"/><text x="${left - 6}" y="${px(y(v) + 4)}" text-anchor="end">${fmt(v)}</text></g>`,
  );
  const thresholds = input.thresholds.map(
    (t) => html`<g class="threshold"><line x1="${left}" y1="${px(y(t.value))}" x2="${left + plotW}" y2="${px(y(t.value))}"/><text x="${left + plotW - 4}" y="${px(y(t.value) - 4)}" text-anchor="end">${t.label} ${fmt(t.value)}</text></g>`,
  );
  const alarm =
    input.alarmAtMs === null || input.alarmAtMs === undefined
      ? ''
      : html`<g class="alarm-at"><line x1="${px(x(input.alarmAtMs))}" y1="${top}" x2="${px(x(input.alarmAtMs))}" y2="${top + plotH}"/><text x="${px(x(input.alarmAtMs) + 4)}" y="${top + 12}">alarm ${fmt(input.alarmAtMs / 1000)} s</text></g>`;
  const series =
    values.length === 0
      ? html`<text class="empty" x="${left + plotW / 2}" y="${top + plotH / 2}" text-anchor="middle">no readings recorded</text>`
      : segments(input.readings).map(
          (seg) =>
            seg.length === 1
              ? html`<circle class="series-dot" cx="${px(x(seg[0]!.tMs))}" cy="${px(y(seg[0]!.value))}" r="2"/>`
              : html`<polyline class="series" points="${seg.map((r) => `${px(x(r.tMs))},${px(y(r.value))}`).join(' ')}"/>`,
        );
  const unit = input.unit ? ` (${input.unit})` : '';
  return html`<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img"><title>${input.title}</title>
<g class="axes">${yTicks}${xTicks}<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}"/><line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}"/></g>
${thresholds}${alarm}${series}
<text class="axis-label" x="${left + plotW / 2}" y="${height - 4}" text-anchor="middle">time since test gas was asked for (s)</text>
<text class="axis-label" transform="translate(12 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">reading${unit}</text>
</svg>`;
}

/** Runs of good readings in time order: a null value (no good reading) ends a run. */
export function segments(readings: readonly PlotPoint[]): { tMs: number; value: number }[][] {
  const out: { tMs: number; value: number }[][] = [];
  let run: { tMs: number; value: number }[] = [];
  for (const r of [...readings].sort((a, b) => a.tMs - b.tMs)) {
    if (r.value === null) {
      if (run.length > 0) out.push(run);
      run = [];
    } else run.push({ tMs: r.tMs, value: r.value });
  }
  if (run.length > 0) out.push(run);
  return out;
}
