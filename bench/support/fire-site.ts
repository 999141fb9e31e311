/**
 * The fire-relay bench's site, run in the bench process so every moment is on one monotonic clock
 * (performance.now): a simulated GB/T 26875.3 fire panel that the gateway dials (firePanels,
 * tcp-client), a simulated fire remote-monitoring centre that the gateway dials (fireCentre), and
 * Modbus devices with a synthetic profile (`bench/u16x<N>`) on a virtual-rig TCP bus — the site
 * file needs at least one device, and the loaded run polls many of them. The gateway is started
 * with startGateway(), a VirtualGpio sounder and strobe.
 *
 * Probes, each a monotonic time stamp, taken without touching production code:
 * - `gatewayIn`: the read (a socket 'data' event) in which a panel frame's last byte reached the
 *   gateway's end of the panel connection. net.Socket.prototype.emit is wrapped for the bench's
 *   lifetime; the chunks of the gateway's socket (the one whose remote port is the panel's) are
 *   cut into frames by a bench-side Framer, so each frame gets the time of the read that completed it;
 * - `alarmPath`: the panel's readings reached the gateway's alarm path (gw.onReadings, called
 *   synchronously after the alarm engine);
 * - `gatewayOut`: a frame was handed to the socket towards the centre (net.Socket.prototype.write
 *   wrapped, on the socket whose remote port is the centre's): it leaves the gateway now;
 * - the centre's own `received[].arrivedMs`.
 * The wrappers cost one property check per socket event in this process (Modbus included); the
 * bench-side framing of the two fire links costs a few µs per frame. Both are put back on stop().
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { VirtualGpio } from '../../drivers/gpio/virtual-gpio.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { Framer } from '../../drivers/serial/framer.js';
import { gb26875FrameSpec } from '../../drivers/serial/specs/gb26875.js';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { createLogger } from '../../gateway/log.js';
import type { Reading } from '../../gateway/readings.js';
import { startGateway, type RunningGateway } from '../../gateway/runtime/gateway.js';
import { panelListening } from '../../hil-tests/virtual-rig/fire-panel/tcp.js';
import type { SimulatedFirePanel } from '../../hil-tests/virtual-rig/fire-panel/simulated-panel.js';
import { startMonitoringCentre, type MonitoringCentre } from '../../hil-tests/virtual-rig/monitoring-centre/centre.js';
import { startVirtualRig, type VirtualRig } from '../../hil-tests/virtual-rig/rig.js';
import { makeTempDir, removeTempDir } from './proc.js';

export const PANEL = 'panel-1';
export const REGISTERS_PER_DEVICE = 100;
const PROFILE_ID = `bench/u16x${REGISTERS_PER_DEVICE}`;

export interface FireSiteOptions {
  /** Modbus devices of 100 u16 holding registers each (one read of 100 registers per poll). */
  devices: number;
  pollMs: number;
}

export interface FireSiteProbes {
  /** A whole frame from the panel, and when the read that completed it reached the gateway's socket. */
  gatewayIn?(frame: Buffer, at: number): void;
  /** Readings from the panel on the gateway's alarm path (after the alarm engine). */
  alarmPath?(readings: readonly Reading[], at: number): void;
  /** Readings from the Modbus devices (to count what the gateway polled meanwhile). */
  modbusReadings?(count: number): void;
  /** A whole frame handed to the gateway's socket towards the centre. */
  gatewayOut?(frame: Buffer, at: number): void;
}

export interface FireSite {
  rig: VirtualRig;
  gw: RunningGateway;
  panel: SimulatedFirePanel;
  centre: MonitoringCentre;
  /** Set the listeners the bench needs; replaced as a whole between phases. */
  probes: FireSiteProbes;
  stop(): Promise<void>;
}

function profileYaml(): string {
  const points = Array.from({ length: REGISTERS_PER_DEVICE }, (_, i) => `  - { name: r${String(i).padStart(3, '0')}, table: holding, address: ${i}, type: u16, scale: 0.1, unit: V }`);
  return ['id: bench/u16x100', 'vendor: bench', 'model: u16x100', 'category: other', 'description: Bench device with 100 consecutive u16 holding registers', 'source:', '  generic: true', '  notes: synthetic, written by bench/support/fire-site.ts', 'points:', ...points, ''].join('\n');
}

function siteYaml(o: { busPort: number; panelPort: number; centrePort: number; devices: readonly string[]; pollMs: number }): string {
  return `version: 1
site: { id: bench, name: Fire relay bench }
gateway: { id: gw-bench }
clock: { trust: always }
log: { level: error }
buses:
  - { name: plant-net, type: tcp, host: 127.0.0.1, port: ${o.busPort}, timeoutMs: 1000 }
devices:
${o.devices.map((name, i) => `  - { name: ${name}, bus: plant-net, unitId: ${i + 1}, profile: ${PROFILE_ID}, pollMs: ${o.pollMs} }`).join('\n')}
profileDirs: [profiles]
outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: on }
    - { name: strobe, kind: strobe, line: 27, failsafe: on }
firePanels:
  - name: ${PANEL}
    transport: { type: tcp-client, host: 127.0.0.1, port: ${o.panelPort} }
    panelAddress: 1001
    gatewayAddress: 2001
fireCentre:
  centre: { host: 127.0.0.1, port: ${o.centrePort} }
  address: { uitd: 1001, centre: 2001 }
storage: { path: vigil.db, budgetBytes: 268435456 }
api: { bind: 127.0.0.1, port: 0 }
`;
}

/**
 * Wraps net.Socket's emit ('data') and write for the two sockets the gateway dials: to the panel
 * (remote port = panelPort) and to the centre (remote port = centrePort). Returns the undo.
 */
function tapGatewaySockets(panelPort: number, centrePort: number, site: { probes: FireSiteProbes }): () => void {
  const proto = Socket.prototype as unknown as Record<'emit' | 'write', (...args: unknown[]) => unknown>;
  const ownEmit = Object.hasOwn(proto, 'emit');
  const ownWrite = Object.hasOwn(proto, 'write');
  const emit = proto.emit;
  const write = proto.write;
  const clock = { monotonic: () => performance.now() };
  let inAt = 0;
  let outAt = 0;
  const inFramer = new Framer({ spec: gb26875FrameSpec, clock });
  const outFramer = new Framer({ spec: gb26875FrameSpec, clock });
  inFramer.on('frame', (f) => site.probes.gatewayIn?.(f, inAt));
  outFramer.on('frame', (f) => site.probes.gatewayOut?.(f, outAt));
  proto.emit = function (this: Socket, event: unknown, ...rest: unknown[]) {
    if (event === 'data' && this.remotePort === panelPort && rest[0] instanceof Uint8Array) {
      inAt = performance.now();
      inFramer.push(rest[0]);
    }
    return emit.call(this, event, ...rest);
  };
  proto.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
    if (this.remotePort === centrePort && chunk instanceof Uint8Array) {
      outAt = performance.now();
      outFramer.push(chunk);
    }
    return write.call(this, chunk, ...rest);
  };
  return () => {
    if (ownEmit) proto.emit = emit;
    else delete (proto as Partial<typeof proto>).emit;
    if (ownWrite) proto.write = write;
    else delete (proto as Partial<typeof proto>).write;
  };
}

export async function startFireSite(opts: FireSiteOptions): Promise<FireSite> {
  const dir = makeTempDir('fire');
  const cleanups: Array<() => Promise<unknown> | unknown> = [() => removeTempDir(dir)];
  const undo = async (): Promise<void> => {
    for (const c of cleanups.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    const profilesDir = join(dir, 'profiles', 'bench');
    mkdirSync(profilesDir, { recursive: true });
    writeFileSync(join(profilesDir, 'u16x100.yaml'), profileYaml());
    const catalog = loadProfileCatalog([join(dir, 'profiles')]);
    if (catalog.problems.length) throw new Error(`fire-relay profile: ${catalog.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    const devices = Array.from({ length: opts.devices }, (_, i) => `dev-${String(i + 1).padStart(3, '0')}`);
    const rig = await startVirtualRig({
      buses: [{ name: 'plant-net', type: 'tcp' }],
      devices: devices.map((name, i) => ({ name, bus: 'plant-net', unitId: i + 1, profile: PROFILE_ID })),
      catalog: catalog.catalog,
      tickMs: 1_000,
    });
    cleanups.push(() => rig.stop());
    const bus = rig.buses['plant-net'];
    if (bus?.type !== 'tcp') throw new Error('virtual rig: no tcp bus');
    const panel = await panelListening();
    cleanups.push(() => panel.close());
    const centre = await startMonitoringCentre();
    cleanups.push(() => centre.close());

    const site: FireSite = { rig, gw: undefined as unknown as RunningGateway, panel: panel.panel, centre, probes: {}, stop: async () => undefined };
    cleanups.push(tapGatewaySockets(panel.port, centre.port, site));
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, siteYaml({ busPort: bus.port, panelPort: panel.port, centrePort: centre.port, devices, pollMs: opts.pollMs }));
    const loaded = loadSiteConfig(siteFile);
    if (!loaded.ok) throw new Error(`fire-relay site file:\n${loaded.problems.map(formatProblem).join('\n')}`);
    const connected = panel.connected();
    site.gw = await startGateway({
      config: loaded.config,
      configDir: loaded.configDir,
      secrets: loaded.secrets,
      profiles: loaded.profiles,
      logger: createLogger({ level: 'error', destination: 'stderr' }),
      gpio: new VirtualGpio({ now: () => performance.now() }),
    });
    const gw = site.gw;
    cleanups.push(() => gw.stop());
    gw.onReadings((readings) => {
      const at = performance.now();
      if (readings[0]?.device === PANEL) site.probes.alarmPath?.(readings, at);
      else if (readings[0]?.device.startsWith('dev-')) site.probes.modbusReadings?.(readings.length);
    });
    await withTimeout(connected, 5_000, 'the gateway to dial the simulated panel');
    const end = performance.now() + 5_000;
    while (!centre.connected()) {
      if (performance.now() > end) throw new Error('fire-relay: the gateway did not connect to the simulated centre within 5 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    let stopped = false;
    site.stop = async () => {
      if (stopped) return;
      stopped = true;
      site.probes = {};
      await undo();
    };
    return site;
  } catch (e) {
    await undo();
    throw e;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`fire-relay: ${what} did not happen within ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}
