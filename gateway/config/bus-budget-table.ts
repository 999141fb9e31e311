/**
 * The bus budget as `vigil validate` prints it: a heading line per bus (utilisation,
 * transactions per second, the worst case with one dead slave) and a table of its devices (what
 * each cycle costs, and how long a cycle can take when every other device is queued ahead of it
 * and one of them is dead, against the device's pollMs).
 */
import { HEADROOM, OVERBOOKED, pct, seconds } from './bus-budget-problems.js';
import type { BusBudget, RtuBusBudget } from './bus-budget.js';

const devices = (n: number): string => `${n} ${n === 1 ? 'device' : 'devices'}`;
const ms = (v: number): string => (v >= 1000 ? seconds(v) : `${v.toFixed(1)} ms`);

function verdict(u: number): string {
  if (u > OVERBOOKED) return 'CANNOT KEEP UP';
  if (u > HEADROOM) return `no headroom (above ${pct(HEADROOM)})`;
  return 'ok';
}

function rtuLines(b: RtuBusBudget): string[] {
  const { bus } = b;
  const framing = `${bus.dataBits}${bus.parity[0]!.toUpperCase()}${bus.stopBits}`;
  const dead = b.deadSlave ? `; with one dead slave (${b.deadSlave.device}) ${pct(b.deadSlave.utilisation)} until it is backed off` : '';
  const head =
    `${bus.name}: RTU ${bus.baudRate} baud ${framing}, ${devices(b.devices.length)}: ${pct(b.utilisation)} busy — ` +
    `${seconds(b.busyMsPerSec)} of line time per second, ${b.transactionsPerSec.toFixed(1)} transactions/s — ${verdict(b.utilisation)}${dead}`;
  const rows = b.devices.map((d) => [
    d.name,
    String(d.unitId),
    String(d.pollMs),
    String(d.plan.length),
    ms(d.cycleMs),
    pct(d.cycleMs / d.pollMs),
    `${ms(d.worstCycleMs)}${d.worstCycleMs > d.pollMs ? ' > pollMs' : ''}`,
  ]);
  return [head, ...table(['device', 'unit', 'pollMs', 'reads', 'cycle', 'share', 'worst cycle'], rows, [false, true, true, true, true, true, false])];
}

export function formatBusBudgets(budgets: readonly BusBudget[]): string[] {
  if (budgets.length === 0) return [];
  const turnaround = budgets.find((b): b is RtuBusBudget => b.type === 'rtu')?.turnaroundMs;
  const out = [
    turnaround === undefined
      ? 'Bus budget:'
      : `Bus budget (line time per second; ${turnaround} ms device turnaround assumed; worst cycle: every other device queued ahead, one of them dead):`,
  ];
  for (const b of budgets) {
    out.push('');
    if (b.type === 'rtu') out.push(...rtuLines(b));
    else {
      out.push(
        `${b.bus.name}: TCP ${b.bus.host}:${b.bus.port}, ${devices(b.devices.length)}: ${b.transactionsPerSec.toFixed(1)} transactions/s — ` +
          'utilisation n/a (not a shared serial line)',
      );
    }
  }
  return out;
}

/** Columns padded to their widest cell; `right` aligns numbers. Two spaces of indent under the bus line. */
function table(header: readonly string[], rows: readonly string[][], right: readonly boolean[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => `  ${r.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ')}`.trimEnd());
}
