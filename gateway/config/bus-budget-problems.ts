/**
 * What the bus budget (bus-budget.ts) means for the installer: an error in `vigil validate` when an
 * RTU line is booked beyond 100 % (polls would be skipped for ever), a warning above 70 % (the
 * rest is what retries, timeouts and interlock writes need: a dead slave costs
 * timeoutMs × (1 + retries) per request until it is backed off). Each message says what to
 * change, with figures computed from the same arithmetic.
 */
import { rtuBusBudget, type PlannedDevice, type RtuBusBudget, type BusBudget } from './bus-budget.js';
import { error, warning, type Finding } from './finding.js';
import { RtuBusSchema } from './schema.js';

/** The baud rates a site file may set, slowest first. */
const BAUD_RATES = [...RtuBusSchema.shape.baudRate.values].sort((a, b) => a - b);

/** Booked beyond this, the line cannot keep up. */
export const OVERBOOKED = 1;
/** Booked beyond this, nothing is left for retries, timeouts and interlock writes. */
export const HEADROOM = 0.7;

/** pollMs values a suggestion may name: round numbers an installer would write. */
const POLL_STEPS = [
  ...Array.from({ length: 10 }, (_, i) => (i + 1) * 100),
  ...Array.from({ length: 18 }, (_, i) => 1_500 + i * 500),
  15_000, 20_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 86_400_000,
];

export type OverbookedSeverity = 'error' | 'warning';

/**
 * @param overbooked `error` for `vigil validate` (exit 1); `warning` when a gateway starts: it
 *   then runs and skips the polls the line cannot fit (device-poller.ts counts them as overruns)
 *   — a degraded gateway still sounds alarms, one that refuses to start on an estimate does not.
 */
export function busBudgetFindings(budgets: readonly BusBudget[], overbooked: OverbookedSeverity = 'error'): Finding[] {
  const out: Finding[] = [];
  for (const b of budgets) {
    if (b.type !== 'rtu' || b.devices.length === 0) continue;
    const at = ['buses', b.index];
    const booked = `${seconds(b.busyMsPerSec)} of line time per second at ${b.bus.baudRate} baud (${pct(b.utilisation)}, ${b.transactionsPerSec.toFixed(1)} transactions/s)`;
    if (b.utilisation > OVERBOOKED) {
      const message = `bus "${b.bus.name}" cannot keep up: needs ${booked}; ${orList(suggestions(b))}`;
      out.push(overbooked === 'error' ? error(at, message) : warning(at, `${message} — running anyway: polls the line cannot fit are skipped (vigil validate rejects this file)`));
    } else if (b.utilisation > HEADROOM) {
      const dead = b.deadSlave ? `; one dead slave (${b.deadSlave.device}) would take it to ${pct(b.deadSlave.utilisation)} until it is backed off` : '';
      out.push(
        warning(at, `bus "${b.bus.name}" has no headroom: ${booked} is above ${pct(HEADROOM)}, leaving too little for retries, timeouts and interlock writes${dead}; to get below ${pct(HEADROOM)}: ${orList(suggestions(b))}`),
      );
    }
  }
  return out;
}

/** Changes that each bring the line to HEADROOM or below, with the utilisation they give. */
export function suggestions(b: RtuBusBudget): string[] {
  const out: string[] = [];
  const again = (bus: RtuBusBudget['bus'], devices: readonly PlannedDevice[] = b.devices) => rtuBusBudget(bus, b.index, devices, b.turnaroundMs).utilisation;

  const baud = BAUD_RATES.find((r) => r > b.bus.baudRate && again({ ...b.bus, baudRate: r }) <= HEADROOM);
  if (baud !== undefined) out.push(`raise baudRate to ${baud} on the bus and every device on it (${pct(again({ ...b.bus, baudRate: baud }))})`);

  if (b.bus.interRequestDelayMs > 0) {
    const u = again({ ...b.bus, interRequestDelayMs: 0 });
    if (u <= HEADROOM) out.push(`lower interRequestDelayMs from ${b.bus.interRequestDelayMs} to 0 if the devices allow it (${pct(u)})`);
  }

  const fastest = Math.min(...b.devices.map((d) => d.pollMs));
  for (const step of POLL_STEPS) {
    if (step <= fastest) continue;
    const slower = b.devices.map((d) => (d.pollMs < step ? { ...d, pollMs: step } : d));
    const u = again(b.bus, slower);
    if (u > HEADROOM) continue;
    const names = b.devices.filter((d) => d.pollMs < step).map((d) => d.name);
    out.push(`lengthen pollMs of ${nameList(names)} to ${step} (${pct(u)})`);
    break;
  }

  const lines = Math.ceil(b.utilisation / HEADROOM);
  if (b.devices.length >= lines) out.push(`split its devices over ${lines} buses (serial ports)`);
  return out;
}

/** "gas-1..gas-8, valve-1": runs of three or more consecutive numbers are written as a range. */
export function nameList(names: readonly string[], most = 8): string {
  const parts: string[] = [];
  let i = 0;
  while (i < names.length) {
    const m = /^(.*?)(\d+)$/.exec(names[i]!);
    let j = i;
    if (m) {
      while (j + 1 < names.length && names[j + 1] === `${m[1]}${Number(m[2]) + (j + 1 - i)}`) j++;
    }
    if (j - i >= 2) parts.push(`${names[i]}..${names[j]}`);
    else for (let k = i; k <= j; k++) parts.push(names[k]!);
    i = j + 1;
  }
  return parts.length <= most ? parts.join(', ') : `${parts.slice(0, most - 1).join(', ')} and ${parts.length - most + 1} more`;
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}, or ${items[items.length - 1]}`;
}

export const pct = (fraction: number): string => `${Math.round(fraction * 100)} %`;

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
