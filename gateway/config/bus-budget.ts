/**
 * The bus budget: how much of each RTU line the site file books, from the same read plan the
 * gateway polls with (drivers/modbus/planner.ts over resolvePoints, as gateway/runtime/gateway.ts
 * builds it), the line's baud rate and framing, and every device's pollMs. Pure arithmetic over
 * the parsed config; bus-budget-problems.ts turns it into errors and warnings, bus-budget-table.ts
 * into the table `vigil validate` prints.
 *
 * One transaction on an RTU line costs (Modbus over Serial Line V1.02 §2.5.1.1):
 *   request frame + t3.5 + device turnaround + response frame + max(t3.5, interRequestDelayMs)
 * (rtu-line-timing.ts transactionMs; the bus queue keeps the longer of the two silences). Frames
 * are ADU sizes (adu-sizes.ts) × the character time. Utilisation = line time booked per second.
 *
 * A TCP bus is not a shared serial line: each transaction's cost is a network round trip plus
 * the server's own time, neither of which the site file tells. Its transactions per second are
 * shown; its utilisation is not computed (docs/configuration.md "Bus budget").
 */
import { readAduSizes } from '../../drivers/modbus/adu-sizes.js';
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { planReads, type ReadRequest } from '../../drivers/modbus/planner.js';
import { t35Ms, transactionMs, type WireTiming } from '../../drivers/modbus/rtu-line-timing.js';
import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { BusConfig, DeviceConfig, RtuBusConfig } from './schema.js';

/**
 * Assumed time a slave takes between the end of a request and the first bit of its answer. The
 * Modbus spec sets no figure; gas detectors and meters on the virtual and bench rigs answer in
 * 2–10 ms, and a USB-RS485 adapter's latency adds a few ms more (standards.md §7). 5 ms is the
 * middle of that range; docs/configuration.md "Bus budget" says so to the installer.
 */
export const DEFAULT_TURNAROUND_MS = 5;

/** A device with the requests one poll cycle puts on the bus. */
export interface PlannedDevice {
  name: string;
  /** Index in devices[], for problem paths. */
  index: number;
  unitId: number;
  pollMs: number;
  plan: readonly ReadRequest[];
}

export interface RtuDeviceLoad extends PlannedDevice {
  /** Line time of one cycle when the device answers. */
  cycleMs: number;
  /** Line time of one cycle when it does not: every attempt of every request waits timeoutMs. */
  deadCycleMs: number;
  /**
   * Longest time from this device's cycle falling due to its last answer: every other device's
   * cycle queued ahead of it (the queue is first come, first served), one of them dead.
   */
  worstCycleMs: number;
}

export interface RtuBusBudget {
  type: 'rtu';
  bus: RtuBusConfig;
  index: number;
  turnaroundMs: number;
  devices: RtuDeviceLoad[];
  transactionsPerSec: number;
  /** ms of line time booked per second of wall time. */
  busyMsPerSec: number;
  /** busyMsPerSec / 1000: above 1 the line cannot keep up. */
  utilisation: number;
  /**
   * With two or more devices: the one whose silence would cost its neighbours the most, and the
   * line's utilisation while it is dead (before it is backed off).
   */
  deadSlave?: { device: string; utilisation: number };
}

export interface TcpBusBudget {
  type: 'tcp';
  bus: Extract<BusConfig, { type: 'tcp' }>;
  index: number;
  devices: PlannedDevice[];
  transactionsPerSec: number;
}

export type BusBudget = RtuBusBudget | TcpBusBudget;

/** The gateway's read plan for a device, or undefined when its profile or overrides are wrong (reported elsewhere). */
export function planDevice(dev: DeviceConfig, index: number, catalog: ProfileCatalog): PlannedDevice | undefined {
  const profile = catalog.get(dev.profile);
  if (!profile) return undefined;
  try {
    const points = resolvePoints(profile, dev.points);
    const limits = { maxRegisters: profile.modbus.maxRegistersPerRequest, maxBits: profile.modbus.maxBitsPerRequest, maxGap: profile.modbus.maxGap };
    const plan = planReads(
      points.map((p) => ({ key: p.name, table: p.table, address: p.address, width: p.width })),
      limits,
    );
    return { name: dev.name, index, unitId: dev.unitId, pollMs: dev.pollMs, plan };
  } catch {
    return undefined; // a bad override or point: the semantic pass and the profile loader name it
  }
}

const perSecond = (perCycle: number, pollMs: number): number => (perCycle * 1000) / pollMs;

/** The budget of one RTU line with these devices on it. */
export function rtuBusBudget(bus: RtuBusConfig, index: number, devices: readonly PlannedDevice[], turnaroundMs = DEFAULT_TURNAROUND_MS): RtuBusBudget {
  const wire: WireTiming = { baudRate: bus.baudRate, parity: bus.parity, stopBits: bus.stopBits, dataBits: bus.dataBits, turnaroundMs };
  const gapMs = Math.max(t35Ms(wire), bus.interRequestDelayMs);
  const loads = devices.map((d) => {
    const cycleMs = d.plan.reduce((sum, r) => {
      const sizes = readAduSizes(r.table, r.count);
      return sum + transactionMs(wire, sizes.request, sizes.response, bus.interRequestDelayMs);
    }, 0);
    // A silent slave: each attempt waits the whole timeout, then the silence before the next frame.
    const deadCycleMs = d.plan.length * (1 + bus.retries) * (bus.timeoutMs + gapMs);
    return { ...d, cycleMs, deadCycleMs, worstCycleMs: 0 };
  });
  const roundMs = loads.reduce((s, d) => s + d.cycleMs, 0);
  for (const d of loads) {
    const worstOther = Math.max(0, ...loads.filter((o) => o !== d).map((o) => o.deadCycleMs - o.cycleMs));
    d.worstCycleMs = roundMs + worstOther;
  }
  const busyMsPerSec = loads.reduce((s, d) => s + perSecond(d.cycleMs, d.pollMs), 0);
  const budget: RtuBusBudget = {
    type: 'rtu',
    bus,
    index,
    turnaroundMs,
    devices: loads,
    transactionsPerSec: loads.reduce((s, d) => s + perSecond(d.plan.length, d.pollMs), 0),
    busyMsPerSec,
    utilisation: busyMsPerSec / 1000,
  };
  // A dead slave matters for its neighbours; alone on the line it delays nobody.
  let dead: RtuBusBudget['deadSlave'];
  for (const d of loads.length > 1 ? loads : []) {
    const utilisation = (busyMsPerSec + perSecond(d.deadCycleMs - d.cycleMs, d.pollMs)) / 1000;
    if (!dead || utilisation > dead.utilisation) dead = { device: d.name, utilisation };
  }
  if (dead) budget.deadSlave = dead;
  return budget;
}

export interface BudgetInput {
  /** By index in the file; `undefined` where that entry failed the schema. */
  buses: readonly (BusConfig | undefined)[];
  devices: readonly (DeviceConfig | undefined)[];
}

/** Every bus that parsed, with the devices on it that parsed and have a plan, in file order. */
export function computeBusBudgets(config: BudgetInput, catalog: ProfileCatalog, turnaroundMs = DEFAULT_TURNAROUND_MS): BusBudget[] {
  const planned = config.devices.map((d, i) => (d ? { bus: d.bus, planned: planDevice(d, i, catalog) } : undefined));
  const out: BusBudget[] = [];
  config.buses.forEach((bus, index) => {
    if (!bus) return;
    const devices = planned.flatMap((p) => (p?.bus === bus.name && p.planned ? [p.planned] : []));
    if (bus.type === 'rtu') out.push(rtuBusBudget(bus, index, devices, turnaroundMs));
    else out.push({ type: 'tcp', bus, index, devices, transactionsPerSec: devices.reduce((s, d) => s + perSecond(d.plan.length, d.pollMs), 0) });
  });
  return out;
}
