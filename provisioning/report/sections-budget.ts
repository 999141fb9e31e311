/**
 * The bus budget as the report shows it: the figures gateway/config/bus-budget.ts computes (the
 * same ones `vigil validate` prints), one table per bus, with the verdict against the limits of
 * bus-budget-problems.ts (above 70 % no headroom, above 100 % the line cannot keep up).
 */
import { HEADROOM, OVERBOOKED, pct, seconds, suggestions } from '../../gateway/config/bus-budget-problems.js';
import type { BusBudget, RtuBusBudget } from '../../gateway/config/bus-budget.js';
import { html, table, type Html } from './html.js';
import type { ReportData } from './report-data.js';
import { busDescription, pollPeriod } from './sections-site.js';

const ms = (v: number): string => (v >= 1000 ? seconds(v) : `${v.toFixed(1)} ms`);

function verdict(u: number): { text: string; cls: string } {
  if (u > OVERBOOKED) return { text: 'CANNOT KEEP UP', cls: 'fail' };
  if (u > HEADROOM) return { text: `no headroom (above ${pct(HEADROOM)})`, cls: 'warn' };
  return { text: 'ok', cls: 'pass' };
}

function rtuBus(b: RtuBusBudget): Html {
  const v = verdict(b.utilisation);
  const rows = b.devices.map((d) => [
    d.name,
    String(d.unitId),
    pollPeriod(d.pollMs),
    String(d.plan.length),
    ms(d.cycleMs),
    pct(d.cycleMs / d.pollMs),
    `${ms(d.worstCycleMs)}${d.worstCycleMs > d.pollMs ? ' (longer than the poll period)' : ''}`,
  ]);
  const fixes = b.utilisation > HEADROOM ? suggestions(b) : [];
  return html`<h3>${b.bus.name} <span class="sub">— ${busDescription(b.bus)}</span></h3>
<p><span class="verdict ${v.cls}">${pct(b.utilisation)} busy — ${v.text}</span>: ${seconds(b.busyMsPerSec)} of line time per second, ${b.transactionsPerSec.toFixed(1)} transactions/s${
    b.deadSlave ? `; with one dead slave (${b.deadSlave.device}) ${pct(b.deadSlave.utilisation)} until it is backed off` : ''
  }.</p>
${fixes.length > 0 ? html`<p class="note">To get below ${pct(HEADROOM)}: ${fixes.join('; or ')}.</p>` : ''}
${table(['device', 'unit', 'poll period', 'reads', 'cycle', 'share', 'worst cycle'], rows)}`;
}

function tcpBus(b: Extract<BusBudget, { type: 'tcp' }>): Html {
  const rows = b.devices.map((d) => [d.name, String(d.unitId), pollPeriod(d.pollMs), String(d.plan.length)]);
  return html`<h3>${b.bus.name} <span class="sub">— ${busDescription(b.bus)}</span></h3>
<p>${b.transactionsPerSec.toFixed(1)} transactions/s. Utilisation is not computed for TCP: it is not a shared serial line.</p>
${table(['device', 'unit', 'poll period', 'reads'], rows)}`;
}

export function busBudgetSection(d: ReportData): Html {
  const turnaround = d.budgets.find((b): b is RtuBusBudget => b.type === 'rtu')?.turnaroundMs;
  return html`<section id="bus-budget"><h2>Bus budget</h2>
<p class="note">Line time each poll cycle books on every RS-485 line, from the read plans above, the baud rate and framing and the poll periods${
    turnaround === undefined ? '' : ` (device turnaround assumed ${turnaround} ms)`
  }. Cycle: one poll of the device. Worst cycle: every other device's cycle queued ahead of it and one of them dead.</p>
${d.budgets.map((b) => (b.type === 'rtu' ? rtuBus(b) : tcpBus(b)))}</section>`;
}
