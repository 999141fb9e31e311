/**
 * The alarm-latency bench's plant, run in the bench process so every moment is measured on one
 * monotonic clock (performance.now): a combustible-gas detector (generic/combustible-gas, unit 1)
 * and a gas shut-off valve (generic/gas-valve-actuator, unit 2) on one virtual-rig Modbus TCP bus
 * — TCP on 127.0.0.1, not an RTU pty pair, so socat's scheduling does not add noise to the
 * figures —, a gateway started with startGateway() with a VirtualGpio sounder and strobe, and an
 * interlock that closes the valve on the second-level alarm (gas-1/gas_high_high).
 *
 * Probes, each a monotonic time stamp:
 * - a read of the detector's registers completed: the gateway's transport is wrapped, so this is
 *   the moment the response reached the bus queue, before the poller decoded it;
 * - the interlock's write call reached the transport, and the simulated valve received it (its
 *   answer() wrapped, as bench/first-poll.ts does: no change to the rig);
 * - every output line write (VirtualGpio's own record, stamped with performance.now);
 * - each interlock trip's TripTiming (startGateway's onTripTiming).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualGpio, type WriteRecord } from '../../drivers/gpio/virtual-gpio.js';
import { ModbusSerialTransport } from '../../drivers/modbus/modbus-serial-transport.js';
import type { ModbusTransport } from '../../drivers/transport/modbus-transport.js';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import type { BusConfig } from '../../gateway/config/schema.js';
import { createLogger } from '../../gateway/log.js';
import { startGateway, type RunningGateway } from '../../gateway/runtime/gateway.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import type { TripTiming } from '../../rules/interlocks/types.js';
import { makeTempDir, removeTempDir } from './proc.js';

export const DETECTOR = { name: 'gas-1', unitId: 1 } as const;
export const VALVE = { name: 'valve-1', unitId: 2 } as const;
export const INTERLOCK = 'close-gas-valve';
export const SOUNDER_LINE = 17;
export const STROBE_LINE = 27;

/** Modbus function codes of a coil write (Modbus Application Protocol V1.1b3 §6.5, §6.11). */
const COIL_WRITES = new Set([0x05, 0x0f]);

export interface AlarmSiteProbes {
  /** A read of the detector's holding registers from address 0 completed; words[0] is gas_lel ×10. */
  detectorRead?(words: readonly number[], at: number): void;
  /** The gateway handed a coil write for the valve to its transport (it leaves the gateway now). */
  valveWriteSent?(at: number): void;
  /** The simulated valve received a coil write request. */
  valveWriteReceived?(at: number): void;
  outputWrite?(record: WriteRecord): void;
  tripTiming?(timing: TripTiming): void;
}

export interface AlarmSite {
  rig: VirtualRig;
  gw: RunningGateway;
  gpio: VirtualGpio;
  /** Set the listeners the bench needs; replaced as a whole between phases. */
  probes: AlarmSiteProbes;
  stop(): Promise<void>;
}

function siteYaml(port: number, pollMs: number): string {
  return `version: 1
site: { id: bench, name: Alarm latency bench }
gateway: { id: gw-bench }
clock: { trust: always }
log: { level: error }
buses:
  - { name: plant-net, type: tcp, host: 127.0.0.1, port: ${port}, timeoutMs: 500 }
devices:
  - { name: ${DETECTOR.name}, bus: plant-net, unitId: ${DETECTOR.unitId}, profile: generic/combustible-gas, pollMs: ${pollMs} }
  - { name: ${VALVE.name}, bus: plant-net, unitId: ${VALVE.unitId}, profile: generic/gas-valve-actuator, pollMs: ${pollMs} }
outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: ${SOUNDER_LINE}, failsafe: on }
    - { name: strobe, kind: strobe, line: ${STROBE_LINE}, failsafe: on }
interlocks:
  - name: ${INTERLOCK}
    description: Close the gas valve on the second-level alarm
    when: [${DETECTOR.name}/gas_high_high]
    actions: [{ write: { device: ${VALVE.name}, point: close_command, value: true } }]
    retries: 1
storage: { path: vigil.db, budgetBytes: 16777216 }
api: { bind: 127.0.0.1, port: 0 }
`;
}

/** Passes every call through; stamps the detector's register reads and the valve's coil writes. */
function probedTransport(inner: ModbusTransport, site: { probes: AlarmSiteProbes }): ModbusTransport {
  return {
    kind: inner.kind,
    description: inner.description,
    open: () => inner.open(),
    close: () => inner.close(),
    isOpen: () => inner.isOpen(),
    readRegisters: (unitId, table, address, count, timeoutMs) =>
      inner.readRegisters(unitId, table, address, count, timeoutMs).then((words) => {
        if (unitId === DETECTOR.unitId && table === 'holding' && address === 0) site.probes.detectorRead?.(words, performance.now());
        return words;
      }),
    readBits: (unitId, table, address, count, timeoutMs) => inner.readBits(unitId, table, address, count, timeoutMs),
    writeRegisters: (unitId, address, values, timeoutMs) => inner.writeRegisters(unitId, address, values, timeoutMs),
    writeCoils: (unitId, address, values, timeoutMs) => {
      if (unitId === VALVE.unitId) site.probes.valveWriteSent?.(performance.now());
      return inner.writeCoils(unitId, address, values, timeoutMs);
    },
  };
}

export async function startAlarmSite(pollMs: number): Promise<AlarmSite> {
  const rig = await startVirtualRig({
    buses: [{ name: 'plant-net', type: 'tcp' }],
    devices: [
      { name: DETECTOR.name, bus: 'plant-net', unitId: DETECTOR.unitId, profile: 'generic/combustible-gas', behaviours: { gas_lel: 0, status: 'normal' } },
      { name: VALVE.name, bus: 'plant-net', unitId: VALVE.unitId, profile: 'generic/gas-valve-actuator', behaviours: { close_command: false, open_feedback: true } },
    ],
    tickMs: 0, // constants only: nothing moves unless the bench sets it
  });
  const dir = makeTempDir('alarm');
  const site: AlarmSite = { rig, gw: undefined as unknown as RunningGateway, gpio: new VirtualGpio({ now: () => performance.now() }), probes: {}, stop: async () => undefined };
  try {
    const bus = rig.buses['plant-net'];
    if (bus?.type !== 'tcp') throw new Error('virtual rig: no tcp bus');
    const valve = rig.device(VALVE.name);
    const answer = valve.answer.bind(valve);
    valve.answer = (pdu) => {
      if (COIL_WRITES.has(pdu[0] ?? 0)) site.probes.valveWriteReceived?.(performance.now());
      return answer(pdu);
    };
    site.gpio.onWrite((r) => site.probes.outputWrite?.(r));
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, siteYaml(bus.port, pollMs));
    const loaded = loadSiteConfig(siteFile);
    if (!loaded.ok) throw new Error(`alarm-latency site file:\n${loaded.problems.map(formatProblem).join('\n')}`);
    site.gw = await startGateway({
      config: loaded.config,
      configDir: loaded.configDir,
      secrets: loaded.secrets,
      profiles: loaded.profiles,
      logger: createLogger({ level: 'error', destination: 'stderr' }),
      gpio: site.gpio,
      transportFactory: (b: BusConfig) => probedTransport(new ModbusSerialTransport(b), site),
      onTripTiming: (t) => site.probes.tripTiming?.(t),
    });
  } catch (e) {
    await rig.stop().catch(() => undefined);
    removeTempDir(dir);
    throw e;
  }
  let stopped = false;
  site.stop = async () => {
    if (stopped) return;
    stopped = true;
    site.probes = {};
    try {
      await site.gw.stop();
    } finally {
      await rig.stop().catch(() => undefined);
      removeTempDir(dir);
    }
  };
  return site;
}
