import { describe, expect, it } from 'vitest';
import { niceTicks, PLOT, readingsPlot, segments, valueDomain, type PlotInput } from './svg-plot.js';

const plotW = PLOT.width - PLOT.left - PLOT.right;
const plotH = PLOT.height - PLOT.top - PLOT.bottom;

const base: PlotInput = {
  readings: [
    { tMs: 0, value: 0 },
    { tMs: 10_000, value: 30 },
    { tMs: 20_000, value: 10 },
  ],
  thresholds: [{ label: 'gas_high', value: 25 }],
  unit: '%LEL',
  alarmAtMs: 8_000,
  title: 'gas-1: readings during its walk test',
};

/** The labels of the tick marks along one axis, as a reader sees them. */
function tickLabels(svg: string, anchor: 'middle' | 'end'): string[] {
  return [...svg.matchAll(new RegExp(`<g class="tick">.*?<text [^>]*text-anchor="${anchor}">([^<]*)</text></g>`, 'g'))].map((m) => m[1]!);
}

const yOf = (v: number, lo: number, hi: number) => PLOT.top + plotH - ((v - lo) / (hi - lo)) * plotH;

describe('niceTicks', () => {
  it.each([
    [0, 30, [0, 10, 20, 30]],
    [0, 20, [0, 5, 10, 15, 20]],
    [0, 55, [0, 20, 40]],
    [0, 1, [0, 0.2, 0.4, 0.6, 0.8, 1]],
    [-10, 10, [-10, -5, 0, 5, 10]],
  ])('%d..%d → %j', (lo, hi, ticks) => {
    expect(niceTicks(lo, hi)).toEqual(ticks);
  });
});

describe('valueDomain', () => {
  it('starts at 0 and ends on a round number at least 10 % above the highest value or set point', () => {
    expect(valueDomain([34.2, 25, 50])).toEqual([0, 60]);
    expect(valueDomain([8.1, 25])).toEqual([0, 30]);
  });

  it('goes below 0 for a negative reading', () => {
    const [lo, hi] = valueDomain([-3, 5]);
    expect(lo).toBeLessThanOrEqual(-3);
    expect(hi).toBeGreaterThanOrEqual(5);
  });
});

describe('readingsPlot', () => {
  const svg = readingsPlot(base).text;
  const [lo, hi] = valueDomain([0, 30, 10, 25]);

  it('is an SVG with a title, both axes labelled with the unit, and time in seconds along x', () => {
    expect(svg).toMatch(/^<svg class="plot" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('<title>gas-1: readings during its walk test</title>');
    expect(svg).toContain('reading (%LEL)</text>');
    expect(svg).toContain('time since test gas was asked for (s)</text>');
    expect(tickLabels(svg, 'middle')).toEqual(['0', '5', '10', '15', '20']);
    expect(tickLabels(svg, 'end')).toEqual(['0', '10', '20', '30', '40']);
  });

  it('scales the readings: first at the origin, the last at the right edge, heights in proportion', () => {
    const points = /<polyline class="series" points="([^"]+)"/.exec(svg)![1]!.split(' ').map((p) => p.split(',').map(Number));
    expect(points).toEqual([
      [PLOT.left, Number(yOf(0, lo, hi).toFixed(1))],
      [PLOT.left + plotW / 2, Number(yOf(30, lo, hi).toFixed(1))],
      [PLOT.left + plotW, Number(yOf(10, lo, hi).toFixed(1))],
    ]);
  });

  it('draws the alarm set point as a labelled line across the plot at its height', () => {
    const m = /<g class="threshold"><line x1="(\d+)" y1="([\d.]+)" x2="(\d+)" y2="([\d.]+)"\/><text[^>]*>gas_high 25<\/text><\/g>/.exec(svg);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(PLOT.left);
    expect(Number(m![3])).toBe(PLOT.left + plotW);
    expect(Number(m![2])).toBeCloseTo(yOf(25, lo, hi), 1);
    expect(m![4]).toBe(m![2]);
  });

  it('marks when the alarm came', () => {
    const m = /<g class="alarm-at"><line x1="([\d.]+)"[^>]*\/><text[^>]*>alarm 8 s<\/text><\/g>/.exec(svg);
    expect(Number(m![1])).toBeCloseTo(PLOT.left + plotW * 0.4, 1);
  });

  it('draws no alarm marker when the alarm never came', () => {
    expect(readingsPlot({ ...base, alarmAtMs: null }).text).not.toContain('alarm-at');
  });

  it('keeps a set point above every reading inside the plot', () => {
    const s = readingsPlot({ ...base, thresholds: [{ label: 'gas_high_high', value: 50 }] }).text;
    const y = Number(/<g class="threshold"><line x1="\d+" y1="([\d.]+)"/.exec(s)![1]);
    expect(y).toBeGreaterThan(PLOT.top);
  });

  it('says so when there are no readings, and still draws the axes and the set point', () => {
    const s = readingsPlot({ ...base, readings: [], alarmAtMs: null }).text;
    expect(s).toContain('>no readings recorded</text>');
    expect(s).not.toContain('<polyline');
    expect(s).toContain('gas_high 25</text>');
    expect(tickLabels(s, 'middle')).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });

  it('breaks the line where a reading was missing instead of bridging the gap', () => {
    const s = readingsPlot({
      ...base,
      readings: [
        { tMs: 0, value: 1 },
        { tMs: 1000, value: 2 },
        { tMs: 2000, value: null },
        { tMs: 3000, value: 3 },
        { tMs: 4000, value: 4 },
      ],
    }).text;
    expect(s.match(/<polyline/g)).toHaveLength(2);
  });

  it('escapes the title and unit it is given', () => {
    const s = readingsPlot({ ...base, title: '<b>x</b>', unit: 'a&b' }).text;
    expect(s).toContain('<title>&lt;b&gt;x&lt;/b&gt;</title>');
    expect(s).toContain('reading (a&amp;b)');
  });
});

describe('segments', () => {
  it('orders by time and splits at null values; a lone reading is its own run', () => {
    expect(
      segments([
        { tMs: 3, value: 3 },
        { tMs: 1, value: 1 },
        { tMs: 2, value: null },
        { tMs: 4, value: 4 },
      ]),
    ).toEqual([[{ tMs: 1, value: 1 }], [{ tMs: 3, value: 3 }, { tMs: 4, value: 4 }]]);
  });
});
