/**
 * The demo's RS-485 line (provisioning/demo/demo-site.ts: two gas detectors, an
 * electrical-fire monitor, a three-phase meter and a gas valve) on the virtual rig with
 * wire-time emulation, polled by the gateway's own parts: ModbusSerialTransport
 * (connectRTUBuffered), BusQueue and one DevicePoller per device with the profile's planner
 * limits — exactly what startGateway wires up for an RTU bus, minus the alarm engine and store
 * that sit behind onReadings.
 *
 * The pollers are driven cycle by cycle (each start() polls at once; stop() after its cycle)
 * so the bus always has the next cycle's work the moment the last one ends — a saturated line,
 * which is what efficiency means. Per-device pollMs would leave it idle between polls.
 */
import { DevicePoller } from '../../drivers/modbus/device-poller.js';
import type { BusQueue } from '../../drivers/modbus/bus-queue.js';
import { busQueueForBus } from '../../drivers/modbus/bus-queue-for-bus.js';
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { ModbusSerialTransport } from '../../drivers/modbus/modbus-serial-transport.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { RtuBusSchema } from '../../gateway/config/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import type { WireStats } from '../../hil-tests/virtual-rig/rtu-slave.js';
import { readAduSizes, transactionMs, type AduSizes, type WireTiming } from '../../hil-tests/virtual-rig/wire-time.js';
import type { RegisterTable } from '../../drivers/transport/modbus-transport.js';
import { demoRigSpec } from '../../provisioning/demo/demo-site.js';

const DEMO_BUS = 'rs485-1';
/** A cycle taking longer than this many times its least, plus the slack, is a hang: the bench fails instead of waiting. */
const CYCLE_LIMIT_FACTOR = 10;
const CYCLE_LIMIT_SLACK_MS = 5_000;

/** One request of the poll plan with its least time on the line. */
export interface PlannedTransaction {
  device: string;
  unitId: number;
  table: RegisterTable;
  address: number;
  count: number;
  sizes: AduSizes;
  /** transactionMs(): request + t3.5 + turnaround + response + t3.5. */
  leastMs: number;
}

export interface RtuLine {
  readonly wire: WireTiming;
  /** The simulator's figures: requests seen, early requests, its timers' lateness. */
  readonly stats: WireStats;
  readonly rig: VirtualRig;
  readonly queue: BusQueue;
  /** The planner's requests for one cycle of every device, in the order they are queued. */
  readonly plan: readonly PlannedTransaction[];
  /** Transactions the gateway saw fail (timeouts, CRC) — must stay 0 for the figures to mean anything. */
  readonly failedTransactions: number;
  unitOf(device: string): number;
  /** Polls every device once (all queued together, as aligned poll ticks do); resolves when every request is answered. */
  cycle(): Promise<void>;
  close(): Promise<void>;
}

export interface RtuLineOptions {
  baudRate: 9600 | 115200;
  turnaroundMs: number;
  /** The bus's interRequestDelayMs. Default the schema's (0), as in the demo site file. */
  interRequestDelayMs?: number;
}

export async function startRtuLine(opts: RtuLineOptions): Promise<RtuLine> {
  const demo = demoRigSpec({ rampEverySec: 3_600, controlPort: 0 });
  const devices = demo.devices.filter((d) => d.bus === DEMO_BUS);
  const wireSpec = { parity: 'even' as const, turnaroundMs: opts.turnaroundMs };
  const rig = await startVirtualRig({ tickMs: 0, buses: [{ name: DEMO_BUS, type: 'rtu', baudRate: opts.baudRate, wire: wireSpec }], devices });
  let transport: ModbusSerialTransport | undefined;
  try {
    const bus = rig.buses[DEMO_BUS];
    if (bus?.type !== 'rtu' || !bus.wire) throw new Error('virtual rig: the bench line has no wire emulation');
    const stats = bus.wire;
    const wire = stats.timing;
    // The demo site file's bus settings (demoSiteYaml), with the schema's defaults filled in.
    const busConfig = RtuBusSchema.parse({ name: DEMO_BUS, type: 'rtu', port: bus.gatewayPort, baudRate: opts.baudRate, parity: 'even', stopBits: 1, timeoutMs: 500, retries: 1, ...(opts.interRequestDelayMs !== undefined ? { interRequestDelayMs: opts.interRequestDelayMs } : {}) });
    transport = new ModbusSerialTransport(busConfig);
    const clock = new SystemClock({ trust: 'always' });
    // The gateway's own queue for this bus (t3.5 silence, late-answer guard), not a look-alike.
    const queue = busQueueForBus(busConfig, transport, clock);
    let failedTransactions = 0;
    queue.on('transaction', (t) => {
      if (!t.ok) failedTransactions++;
    });

    const { catalog, problems } = loadProfileCatalog([builtinProfilesDir()]);
    if (problems.length) throw new Error(`built-in profiles: ${problems.map((p) => `${p.file}: ${p.message}`).join('; ')}`);
    let remaining = 0;
    let cycleDone: (() => void) | undefined;
    const onReadings = (): void => {
      if (--remaining === 0) cycleDone?.();
    };
    const units = new Map<string, number>();
    const pollers = devices.map((d) => {
      const profile = catalog.get(d.profile as string);
      if (!profile) throw new Error(`no built-in profile ${String(d.profile)}`);
      units.set(d.name, d.unitId);
      const { maxRegistersPerRequest, maxBitsPerRequest, maxGap } = profile.modbus;
      return new DevicePoller({
        device: { name: d.name, unitId: d.unitId, pollMs: 3_600_000 }, // started by hand, once per cycle
        points: resolvePoints(profile),
        limits: { maxRegisters: maxRegistersPerRequest, maxBits: maxBitsPerRequest, maxGap },
        queue,
        clock,
        onReadings,
      });
    });
    const plan = pollers.flatMap((p, i) =>
      p.requests.map((r): PlannedTransaction => {
        const sizes = readAduSizes(r.table, r.count);
        const d = devices[i]!;
        return { device: d.name, unitId: d.unitId, table: r.table, address: r.address, count: r.count, sizes, leastMs: transactionMs(wire, sizes.request, sizes.response) };
      }),
    );

    const line: RtuLine = {
      wire,
      stats,
      rig,
      queue,
      plan,
      get failedTransactions() {
        return failedTransactions;
      },
      unitOf(device) {
        const u = units.get(device);
        if (u === undefined) throw new Error(`no device ${device} on the bench line`);
        return u;
      },
      cycle: async () => {
        // The last answer's onReadings ends a cycle before the pollers have left it (their
        // Promise.all settles a few microtasks later); a start() now would count an overrun
        // and poll nothing. One turn of the loop lets them finish — far less than t3.5.
        await new Promise<void>((r) => setImmediate(r));
        const limitMs = CYCLE_LIMIT_FACTOR * plan.reduce((a, t) => a + t.leastMs, 0) + CYCLE_LIMIT_SLACK_MS;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            for (const p of pollers) p.stop();
            reject(new Error(`bench line: a poll cycle did not finish within ${Math.round(limitMs)} ms (${remaining} of ${plan.length} requests unanswered)`));
          }, limitMs);
          remaining = plan.length;
          cycleDone = () => {
            clearTimeout(timer);
            for (const p of pollers) p.stop();
            resolve();
          };
          for (const p of pollers) p.start();
        });
      },
      close: async () => {
        for (const p of pollers) p.stop();
        queue.close();
        await transport?.close();
        await rig.stop();
      },
    };
    return line;
  } catch (e) {
    await transport?.close().catch(() => undefined);
    await rig.stop().catch(() => undefined);
    throw e;
  }
}
