/**
 * bench/alarm-latency, part 2 — what the alarm engine costs per reading.
 *
 * 10,000 points (100 devices × 100 points) with three alarms each — high (25, deadband 1),
 * high-high (50, deadband 1) and quality — built as ResolvedAlarm definitions directly (the
 * definitions pass through the same zod schema as a profile's, so every default is the real
 * one) and fed to AlarmEngine.onReadings the way the pollers do: one call per poll response,
 * 100 readings each; one poll cycle is 100 calls = 10,000 readings. The readings are built
 * before the clock starts, so the figure is the engine's work, not the decoder's.
 *
 * Two value patterns:
 * - mostly steady: values wander a little below the set points; 1 % of the points swing across
 *   both set points every cycle (200 transitions per cycle);
 * - every value crossing: each point swings 5 ↔ 60 %LEL every cycle, so every reading activates
 *   or clears two alarms (20,000 transitions per cycle) — the worst case: transition table,
 *   occurrence, journal entry, persisted state, chattering and flood detection for each.
 * persist is a no-op that only counts (the runtime's AlarmPersister queues and returns at once).
 */
import type { Clock } from '../gateway/clock/clock.js';
import type { Reading } from '../gateway/readings.js';
import { DeviceAlarmSchema } from '../rules/definitions/schema.js';
import { AlarmEngine } from '../rules/engine/alarm-engine.js';
import type { ResolvedAlarm } from '../rules/model.js';
import { distribution, fmtMs } from './support/percentiles.js';
import { fmtInt, median, verdict, type BenchContext, type BenchRow } from './table.js';

const DEVICES = 100;
const POINTS_PER_DEVICE = 100;
const POINTS = DEVICES * POINTS_PER_DEVICE;
const CALL_TARGET_MS = 5;

const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now(), isTrusted: () => true };

const device = (d: number): string => `dev-${String(d).padStart(3, '0')}`;
const point = (p: number): string => `p${String(p).padStart(3, '0')}`;

function definitions(): ResolvedAlarm[] {
  const common = { priority: 'high', class: 'gas', latch: false } as const;
  const out: ResolvedAlarm[] = [];
  for (let d = 0; d < DEVICES; d++) {
    for (let p = 0; p < POINTS_PER_DEVICE; p++) {
      const pt = point(p);
      const defs = [
        DeviceAlarmSchema.parse({ ...common, name: `${pt}_high`, description: 'High', kind: 'high', point: pt, setpoint: 25, deadband: 1 }),
        DeviceAlarmSchema.parse({ ...common, name: `${pt}_high_high`, description: 'High-high', kind: 'high', point: pt, setpoint: 50, deadband: 1, priority: 'critical' }),
        DeviceAlarmSchema.parse({ ...common, name: `${pt}_quality`, description: 'Bad reading', kind: 'quality', point: pt, class: 'fault' }),
      ];
      for (const def of defs) out.push({ id: `${device(d)}/${def.name}`, device: device(d), def });
    }
  }
  return out;
}

type Pattern = 'steady' | 'crossing';

/** Poll responses for `cycles` distinct cycles (the bench cycles through them): [cycle][device] → readings. */
function responses(pattern: Pattern, cycles: number): Reading[][][] {
  const ts = Date.now();
  return Array.from({ length: cycles }, (_, c) =>
    Array.from({ length: DEVICES }, (_, d) =>
      Array.from({ length: POINTS_PER_DEVICE }, (_, p): Reading => {
        const i = d * POINTS_PER_DEVICE + p;
        const swing = c % 2 === 0;
        const value =
          pattern === 'crossing' ? (swing ? 60 : 5)
          : i % 100 === 0 ? (swing ? 55 : 20)
          : 10 + ((i * 7 + c) % 5) * 0.1;
        return { device: device(d), point: point(p), value, unit: '%LEL', quality: 'good', ts, clockTrusted: true };
      }),
    ),
  );
}

interface Measured {
  nsPerReading: number[];
  callMs: number[];
  transitionsPerCycle: number;
  buildMs: number;
}

function measure(alarms: readonly ResolvedAlarm[], pattern: Pattern, opts: { runs: number; cycles: number; warmup: number }): Measured {
  let entries = 0;
  const t0 = performance.now();
  const engine = new AlarmEngine({ alarms, clock, persist: (e) => void (entries += e.length) });
  engine.start();
  const buildMs = performance.now() - t0;
  // An even number of distinct cycles, so 'swing' alternates and every cycle crosses back.
  const data = responses(pattern, pattern === 'crossing' ? 2 : 10);
  let c = 0;
  const cycle = (timings: number[] | null): number => {
    const batches = data[c++ % data.length]!;
    let total = 0;
    for (const b of batches) {
      const s = performance.now();
      engine.onReadings(b);
      const dt = performance.now() - s;
      total += dt;
      timings?.push(dt);
    }
    return total;
  };
  try {
    for (let i = 0; i < opts.warmup; i++) cycle(null);
    const nsPerReading: number[] = [];
    const callMs: number[] = [];
    const before = entries;
    for (let r = 0; r < opts.runs; r++) {
      let total = 0;
      for (let i = 0; i < opts.cycles; i++) total += cycle(callMs);
      nsPerReading.push((total * 1e6) / (opts.cycles * POINTS));
    }
    // Journal entries ≈ transitions (plus the odd chattering/flood event).
    return { nsPerReading, callMs, transitionsPerCycle: (entries - before) / (opts.runs * opts.cycles), buildMs };
  } finally {
    engine.stop();
  }
}

export function runEvaluationCost(ctx: BenchContext): BenchRow[] {
  const opts = ctx.short ? { runs: 3, cycles: 4, warmup: 3 } : { runs: 7, cycles: 30, warmup: 10 };
  const rows: BenchRow[] = [];
  const label: Record<Pattern, string> = { steady: 'mostly steady (1 % crossing)', crossing: 'every value crossing' };
  let buildMs = 0;
  const alarms = definitions(); // read-only to the engine: both engines share them
  for (const pattern of ['steady', 'crossing'] as const) {
    const m = measure(alarms, pattern, opts);
    buildMs = Math.max(buildMs, m.buildMs);
    const ns = m.nsPerReading;
    const calls = distribution(m.callMs);
    rows.push({
      metric: `evaluation, ${label[pattern]}: per reading`,
      value: `${fmtInt(median(ns))} ns`,
      verdict: 'n/a',
      notes: `median of ${opts.runs} runs × ${opts.cycles} cycles × ${fmtInt(POINTS)} readings; min ${fmtInt(Math.min(...ns))}, max ${fmtInt(Math.max(...ns))} ns; ≈ ${fmtInt(m.transitionsPerCycle)} journal entries per cycle`,
    });
    rows.push({
      metric: `evaluation, ${label[pattern]}: per onReadings call (100 readings)`,
      value: `p99 ${fmtMs(calls.p99)}`,
      target: `< ${CALL_TARGET_MS} ms p99`,
      verdict: verdict(calls.p99 < CALL_TARGET_MS),
      notes: `${fmtInt(calls.n)} calls; p50 ${fmtMs(calls.p50)}, max ${fmtMs(calls.max)}`,
    });
  }
  rows.push({ metric: 'engine construction, 30,000 alarms', value: fmtMs(buildMs), verdict: 'n/a', notes: 'new AlarmEngine + start(), the slower of the two (start-up, not the alarm path)' });
  return rows;
}
