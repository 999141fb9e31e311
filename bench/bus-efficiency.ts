/**
 * Bench — bus efficiency on an emulated RS-485 line (issue 5).
 *
 * The demo's RS-485 line (bench/support/rtu-line.ts: 2 gas detectors, an electrical-fire
 * monitor with 4 cable temperatures, an SDM630 three-phase meter, a gas valve; built-in
 * profiles, the real planner) on the virtual rig with wire-time emulation
 * (hil-tests/virtual-rig/wire-time*.ts: 11-bit characters, t3.5, device turnaround, one frame on
 * the line at a time), polled back to back through the gateway's transport, bus queue and
 * device pollers, at 9600 and 115200 baud 8E1:
 *  - cycle time: median of the intervals between consecutive cycle ends, against the least the
 *    plan can take on that line (Σ request + t3.5 + turnaround + response + t3.5);
 *    efficiency = least / measured, target ≥ 0.9 of the line's capacity;
 *  - transactions per cycle counted at the simulator against the planner's request count;
 *  - at 9600: how long an interlock write (FC15 to the valve, interlock priority) queued at a
 *    random moment of a cycle waits before the valve has it — the alarm path waits for at most
 *    the one transaction on the wire.
 * All in one process (the rig's slave and the gateway's parts share the event loop, as in the
 * other virtual-rig benches); the simulator's own timer lateness is in the notes.
 */
import { frameMs, t35Ms, writeAduSizes } from '../hil-tests/virtual-rig/wire-time.js';
import { distribution, fmtDistribution, fmtMs } from './support/percentiles.js';
import { installCleanupHooks, isMain, sleep } from './support/proc.js';
import { startRtuLine, type RtuLine } from './support/rtu-line.js';
import { median, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const TARGET_EFFICIENCY = 0.9;
/** A device's processing time between request and answer; typical of small detectors. */
const TURNAROUND_MS = 3;
const VALVE = 'valve-1';

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

async function measureCycles(line: RtuLine, cycles: number): Promise<{ intervals: number[]; perCycle: number[] }> {
  // Two warm-up cycles: the first opens the port and JIT-compiles the path.
  await line.cycle();
  await line.cycle();
  const intervals: number[] = [];
  const perCycle: number[] = [];
  let last = performance.now();
  for (let i = 0; i < cycles; i++) {
    const before = line.stats.requests;
    await line.cycle();
    const now = performance.now();
    intervals.push(now - last);
    perCycle.push(line.stats.requests - before);
    last = now;
  }
  return { intervals, perCycle };
}

/** Cycle time, efficiency and transactions of one line; `variant` names a non-default gateway setting. */
async function cycleRows(line: RtuLine, cycles: number, variant = ''): Promise<BenchRow[]> {
  const { intervals, perCycle } = await measureCycles(line, cycles);
  const least = sum(line.plan.map((t) => t.leastMs));
  const measured = median(intervals);
  const efficiency = least / measured;
  const planned = line.plan.length;
  const label = `${line.wire.baudRate} 8E1${variant}`;
  const early = line.stats.earlyRequests / Math.max(1, line.stats.requests);
  const late = line.stats.lateness;
  const wireMs = sum(line.plan.map((t) => frameMs(line.wire, t.sizes.request + t.sizes.response)));
  const efficiencyRow: BenchRow = {
    metric: `line efficiency, ${label}`,
    value: efficiency.toFixed(3),
    target: `≥ ${TARGET_EFFICIENCY}`,
    verdict: verdict(efficiency >= TARGET_EFFICIENCY),
    notes: `least / measured cycle; requests the gateway sent < t3.5 after the previous frame ${(early * 100).toFixed(0)} % (the emulated line holds them); failed transactions ${line.failedTransactions}; simulator timers late by mean ${fmtMs(late.meanMs)}, max ${fmtMs(late.maxMs)}`,
  };
  if (variant) return [{ ...efficiencyRow, notes: `cycle ${fmtMs(measured)} vs least ${fmtMs(least)}; ${efficiencyRow.notes}` }];
  return [
    {
      metric: `cycle time, ${label}`,
      value: fmtMs(measured),
      target: `least ${fmtMs(least)}`,
      verdict: 'n/a',
      notes: `median of ${intervals.length} back-to-back cycles (min ${fmtMs(Math.min(...intervals))}, max ${fmtMs(Math.max(...intervals))}); least = ${planned} transactions: frames ${fmtMs(wireMs)} + 2 × t3.5 (${fmtMs(t35Ms(line.wire))}) + turnaround ${TURNAROUND_MS} ms each`,
    },
    efficiencyRow,
    {
      metric: `transactions per cycle, ${label}`,
      value: perCycle.every((n) => n === perCycle[0]) ? String(perCycle[0]) : `${Math.min(...perCycle)}–${Math.max(...perCycle)}`,
      target: `= ${planned} (planner)`,
      verdict: verdict(perCycle.every((n) => n === planned)),
      notes: `counted at the simulator; the plan: ${line.plan.map((t) => `${t.device} ${t.table} ${t.address}+${t.count}`).join(', ')}`,
    },
  ];
}

/** Starts the line, runs `fn` on it, always closes it. */
async function withLine<T>(opts: Parameters<typeof startRtuLine>[0], fn: (line: RtuLine) => Promise<T>): Promise<T> {
  const line = await startRtuLine(opts);
  try {
    return await fn(line);
  } finally {
    await line.close();
  }
}

/** An interlock write queued at a random moment of a running cycle: queued → at the valve → confirmed. */
async function interlockRows(line: RtuLine, samples: number): Promise<BenchRow[]> {
  const valve = line.rig.device(VALVE);
  const coil = valve.profile.points.find((p) => p.name === 'close_command');
  if (!coil) throw new Error(`${VALVE}: profile ${valve.profile.id} has no close_command`);
  const unitId = line.unitOf(VALVE);
  let atValve: number | undefined;
  const answer = valve.answer.bind(valve);
  valve.answer = (pdu) => {
    if (pdu[0] === 0x0f) atValve ??= performance.now(); // FC15: the bus queue writes coils with it
    return answer(pdu);
  };
  const least = sum(line.plan.map((t) => t.leastMs));
  const longest = Math.max(...line.plan.map((t) => t.leastMs));
  const write = writeAduSizes('coil', 1);
  // The worst case: the longest poll has just started; then the write's request crosses the line.
  const bound = longest + frameMs(line.wire, write.request) + t35Ms(line.wire);
  let polling = true;
  const poller = (async () => {
    while (polling) await line.cycle();
  })();
  const waits: number[] = [];
  const confirms: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      await sleep(Math.random() * least);
      atValve = undefined;
      const t0 = performance.now();
      await line.queue.write(unitId, 'coil', coil.address, [i % 2 === 0], { priority: 'interlock' });
      confirms.push(performance.now() - t0);
      if (atValve === undefined) throw new Error(`${VALVE} did not see the interlock write`);
      waits.push(atValve - t0);
    }
  } finally {
    polling = false;
    await poller;
    valve.answer = answer;
  }
  const w = distribution(waits);
  return [
    {
      metric: 'interlock write queued → at the valve, 9600 8E1',
      value: fmtDistribution(w),
      target: `max ≤ ${fmtMs(bound / TARGET_EFFICIENCY)}`,
      verdict: verdict(w.max <= bound / TARGET_EFFICIENCY),
      notes: `${samples} writes at random moments of running cycles; worst case on the line = longest poll transaction ${fmtMs(longest)} + the write's request and t3.5 = ${fmtMs(bound)} (target allows the same 0.9 as the cycle)`,
    },
    {
      metric: 'interlock write queued → confirmed, 9600 8E1',
      value: fmtDistribution(distribution(confirms)),
      verdict: 'n/a',
      notes: `+ turnaround ${TURNAROUND_MS} ms and the 8-byte echo (${fmtMs(frameMs(line.wire, write.response))}); a whole poll cycle is ${fmtMs(least)}`,
    },
  ];
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const { cycles, interlockSamples } = ctx.short ? { cycles: 5, interlockSamples: 5 } : { cycles: 30, interlockSamples: 40 };
  const rows: BenchRow[] = [];
  for (const baudRate of [9600, 115200] as const) {
    // A cycle at 115200 is ~4× shorter: 4× the cycles for the same measuring time.
    const n = baudRate === 9600 ? cycles : 4 * cycles;
    await withLine({ baudRate, turnaroundMs: TURNAROUND_MS }, async (line) => {
      rows.push(...(await cycleRows(line, n)));
      if (baudRate === 9600) rows.push(...(await interlockRows(line, interlockSamples)));
    });
  }
  // What it costs if the gateway itself leaves t3.5 before each request (bus interRequestDelayMs,
  // whole ms, counted from when it has the answer): a real line needs that silence (§2.5.1.1).
  // Full mode only: the same code path as above, with a setting the site file may choose.
  for (const baudRate of ctx.short ? [] : ([9600, 115200] as const)) {
    const delayMs = Math.ceil(t35Ms({ baudRate, parity: 'even' }));
    const n = baudRate === 9600 ? cycles : 4 * cycles;
    await withLine({ baudRate, turnaroundMs: TURNAROUND_MS, interRequestDelayMs: delayMs }, async (line) => {
      rows.push(...(await cycleRows(line, n, `, interRequestDelayMs ${delayMs}`)));
    });
  }
  return rows;
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`bus-efficiency: emulated RS-485 line, cycle time and transactions vs the plan's least${ctx.short ? ' — short' : ''}`, await run(ctx));
}
