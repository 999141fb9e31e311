import { basename } from 'node:path';
import { loadSiteConfig, type LoadOptions } from './load.js';
import { formatProblem } from './problems.js';
import { computeBusBudgets } from './bus-budget.js';
import { formatBusBudgets } from './bus-budget-table.js';

export interface ValidateOutput {
  log(line: string): void;
  error(line: string): void;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

/**
 * `vigil validate FILE`: every problem, one line each (errors, then warnings), then a
 * one-line summary and, for a file that loads, the bus budget table (bus-budget-table.ts). Exit
 * code 0 when the gateway would start with this file (warnings do not fail it), 1 when it would
 * not. Problems go to stderr so the summary and the table can be piped.
 */
export function validateCommand(file: string, out: ValidateOutput, opts: LoadOptions = {}): number {
  // An overbooked bus fails validation; the gateway itself would start and skip polls (semantic.ts).
  const r = loadSiteConfig(file, { overbookedBus: 'error', ...opts });
  const name = basename(file);
  for (const w of r.ok ? [] : r.problems) out.error(formatProblem(w));
  for (const w of r.warnings) out.error(`${formatProblem(w)} [warning]`);
  if (!r.ok) {
    out.error(`${name}: ${plural(r.problems.length, 'error')}, ${plural(r.warnings.length, 'warning')}`);
    return 1;
  }
  const { config } = r;
  const points = config.devices.reduce((n, d) => {
    const profile = r.profiles.get(d.profile);
    const enabled = profile?.points.filter((p) => d.points?.[p.name]?.enabled !== false).length ?? 0;
    return n + enabled;
  }, 0);
  out.log(
    `${name}: OK — site "${config.site.id}", gateway "${config.gateway.id}": ${plural(config.buses.length, 'bus', 'buses')}, ` +
      `${plural(config.devices.length, 'device')}, ${plural(points, 'point')}` +
      (r.warnings.length > 0 ? `; ${plural(r.warnings.length, 'warning')}` : ''),
  );
  const budget = formatBusBudgets(computeBusBudgets(config, r.profiles));
  if (budget.length > 0) out.log('');
  for (const line of budget) out.log(line);
  return 0;
}
