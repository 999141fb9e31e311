/**
 * The virtual rig: simulated field devices on virtual buses, so the gateway, the demo and the
 * integration tests run with no hardware (DESIGN.md principle 6). An RTU bus is a socat pty
 * pair — the gateway opens `gatewayPort` exactly as it would open /dev/ttyUSB0 — with all of
 * the bus's devices answering on the other end (one multidrop line). A TCP bus is a Modbus
 * TCP server on 127.0.0.1 whose unit ids select the devices.
 *
 * The whole spec is checked before any process or socket is started, and every problem is
 * reported at once (principle 7).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfileCatalog, type ProfileCatalog } from '../../drivers/profiles/loader.js';
import type { Profile } from '../../drivers/profiles/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import type { Behaviour, SimValue } from './behaviours.js';
import { startControlApi, type ControlApi } from './control-api.js';
import type { FaultInput } from './faults.js';
import { checkLineSettings, lineSettingsGate, type LineSettings } from './line-settings.js';
import { openPluggableLine, type PluggableLine } from './pluggable-line.js';
import type { UnmappedAddresses } from './register-bank.js';
import { startRtuSlave, type RtuSlave, type WireStats } from './rtu-slave.js';
import { SimulatedDevice } from './simulated-device.js';
import { startModbusTcpServer, type ModbusTcpServer } from './tcp-server.js';
import { checkWireSpec, type Parity } from './wire-time.js';

/**
 * Wire-time emulation of an RTU bus (wire-time.ts): the slaves take as long as a real line at
 * the bus's `baudRate` would. Absent = answers come at once (what most tests want).
 */
export interface WireSpec {
  parity: Parity;
  /** Default 1 with parity, 2 without (Modbus over Serial Line V1.02 §2.5.1: 11 bits a character). */
  stopBits?: 1 | 2;
  /** The devices' processing time between a request's end of frame and the answer, ms. */
  turnaroundMs: number;
}

export type BusSpec =
  /** `baudRate` is required with `wire`; without it the pty ignores it (default 9600). */
  | {
      name: string;
      type: 'rtu';
      baudRate?: number;
      wire?: WireSpec;
      /** The devices answer only a master whose port is at these settings (line-settings.ts). */
      lineSettings?: LineSettings;
    }
  /** `port` 0 or absent: an ephemeral port (read it from `rig.buses[name].port`). */
  | { name: string; type: 'tcp'; port?: number };

export interface DeviceSpec {
  name: string;
  bus: string;
  /** 1–247 on an RTU bus (Modbus over Serial Line V1.02 §2.2); 1–255 on TCP. */
  unitId: number;
  /** A profile, or its id looked up in `RigSpec.catalog` (default: the built-in profiles). */
  profile: Profile | string;
  /** Per point: a behaviour, or a bare value (held constant). Other points start at raw 0. */
  behaviours?: Record<string, Behaviour | SimValue>;
  unmapped?: UnmappedAddresses;
}

export interface RigSpec {
  buses: BusSpec[];
  devices: DeviceSpec[];
  catalog?: Pick<ProfileCatalog, 'get' | 'ids'>;
  /** Behaviour tick interval. Default 250 ms; 0 = no timer (the test calls `rig.tick(ms)`). */
  tickMs?: number;
  /** Time source for ticks. Default Date.now. */
  now?: () => number;
  /** Uniform [0, 1) source for drift and garbage faults. Default Math.random. */
  random?: () => number;
  /** Directory for the pty links. Default a fresh temporary directory, removed on stop. */
  dir?: string;
  /** Also start the HTTP control API on 127.0.0.1 (`true` = ephemeral port). */
  controlApi?: boolean | { port?: number };
}

export type RigBus =
  /** `wire`: live figures of the wire-time emulation, when the bus has it. */
  | { type: 'rtu'; gatewayPort: string; wire?: WireStats }
  | { type: 'tcp'; host: '127.0.0.1'; port: number };

export interface VirtualRig {
  /** What the gateway connects to, per bus name. */
  readonly buses: Readonly<Record<string, RigBus>>;
  /** The HTTP control API, when the spec asked for it. */
  readonly controlApi: { url: string; port: number } | undefined;
  device(name: string): SimulatedDevice;
  /** Every device with the bus it sits on, in spec order. */
  devices(): ReadonlyArray<{ bus: string; device: SimulatedDevice }>;
  inject(deviceName: string, fault: FaultInput): void;
  clear(deviceName: string): void;
  /**
   * Pulls an RTU bus's USB-RS485 adapter (pluggable-line.ts): the gateway's port breaks and
   * its path disappears until plug(bus). Only RTU buses have a plug to pull.
   */
  unplug(bus: string): Promise<void>;
  plug(bus: string): Promise<void>;
  /** Advances every device's behaviours to `nowMs` (default: the spec's `now()`). */
  tick(nowMs?: number): void;
  /** Stops everything the rig started (idempotent): control API, servers, slaves, socat. */
  stop(): Promise<void>;
}

const BUS_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export async function startVirtualRig(spec: RigSpec): Promise<VirtualRig> {
  const entries = buildDevices(spec);
  const now = spec.now ?? Date.now;
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    const errors = (await Promise.allSettled(cleanups.splice(0).reverse().map((c) => c()))).filter((r) => r.status === 'rejected');
    if (errors.length) throw new AggregateError(errors.map((r) => (r as PromiseRejectedResult).reason), 'virtual rig: stop failed');
  };

  const buses: Record<string, RigBus> = {};
  const lines = new Map<string, PluggableLine>();
  let controlApi: ControlApi | undefined;
  try {
    let dir = spec.dir;
    if (dir === undefined && spec.buses.some((b) => b.type === 'rtu')) {
      const tmp = await mkdtemp(join(tmpdir(), 'vigil-rig-'));
      cleanups.push(() => rm(tmp, { recursive: true, force: true }));
      dir = tmp;
    }
    for (const bus of spec.buses) {
      const units = new Map(entries.filter((e) => e.bus === bus.name).map((e) => [e.device.unitId, e.device] as const));
      if (bus.type === 'rtu') {
        const baudRate = bus.baudRate ?? 9600;
        const wire = bus.wire && { baudRate, ...bus.wire };
        // The line starts a new slave on every plug(); `slave` is the first one (its wire stats).
        let slave: RtuSlave | undefined;
        const listen = async (rigPath: string): Promise<RtuSlave> => {
          const gate = bus.lineSettings && lineSettingsGate(join(dir!, `tty-${bus.name}`), bus.lineSettings, units);
          const s = await startRtuSlave({ path: rigPath, baudRate, devices: units, ...(wire ? { wire } : {}), ...(gate ? { hears: gate.hears } : {}) });
          slave ??= s;
          return s;
        };
        const line = await openPluggableLine({ dir: dir!, names: [`tty-${bus.name}`, `tty-${bus.name}.rig`], listen });
        cleanups.push(() => line.close());
        lines.set(bus.name, line);
        buses[bus.name] = { type: 'rtu', gatewayPort: line.gatewayPath, ...(slave?.wire ? { wire: slave.wire } : {}) };
      } else {
        const server: ModbusTcpServer = await startModbusTcpServer({ devices: units, port: bus.port ?? 0 });
        cleanups.push(() => server.close());
        buses[bus.name] = { type: 'tcp', host: server.host, port: server.port };
      }
    }
    const tickMs = spec.tickMs ?? 250;
    if (tickMs > 0) {
      const timer = setInterval(() => rig.tick(), tickMs);
      timer.unref(); // the servers keep a running rig alive, not the tick
      cleanups.push(async () => clearInterval(timer));
    }
  } catch (e) {
    await stopAll().catch(() => undefined);
    throw e;
  }

  const byName = new Map(entries.map((e) => [e.device.name, e.device] as const));
  const rig: VirtualRig = {
    buses,
    get controlApi() {
      return controlApi && { url: controlApi.url, port: controlApi.port };
    },
    device(name) {
      const d = byName.get(name);
      if (!d) throw new Error(`virtual rig: no device "${name}" (devices: ${[...byName.keys()].join(', ')})`);
      return d;
    },
    devices: () => entries,
    inject: (name, fault) => rig.device(name).inject(fault),
    clear: (name) => rig.device(name).clear(),
    unplug: async (bus) => rtuLine(bus).unplug(),
    plug: async (bus) => rtuLine(bus).plug(),
    tick(nowMs = now()) {
      for (const e of entries) e.device.tick(nowMs);
    },
    stop: stopAll,
  };
  function rtuLine(bus: string): PluggableLine {
    const line = lines.get(bus);
    if (!line) throw new Error(`virtual rig: no RTU bus "${bus}" to unplug or plug (RTU buses: ${[...lines.keys()].join(', ') || 'none'})`);
    return line;
  }
  rig.tick();
  if (spec.controlApi) {
    try {
      controlApi = await startControlApi(rig, { port: typeof spec.controlApi === 'object' ? spec.controlApi.port ?? 0 : 0 });
    } catch (e) {
      await stopAll().catch(() => undefined);
      throw e;
    }
    const api = controlApi;
    cleanups.push(() => api.close());
  }
  return rig;
}

/** Checks the spec and builds the devices; throws one Error listing every problem. */
function buildDevices(spec: RigSpec): Array<{ bus: string; device: SimulatedDevice }> {
  const problems: string[] = [];
  const busTypes = new Map<string, BusSpec['type']>();
  for (const [i, b] of spec.buses.entries()) {
    if (typeof b.name !== 'string' || !BUS_NAME.test(b.name)) problems.push(`buses[${i}].name: ${JSON.stringify(b.name)} is not a name of letters, digits, _ . -`);
    else if (busTypes.has(b.name)) problems.push(`buses[${i}].name: bus "${b.name}" is defined twice`);
    else busTypes.set(b.name, b.type);
    if (b.type !== 'rtu' && b.type !== 'tcp') problems.push(`buses[${i}].type: ${JSON.stringify((b as { type: unknown }).type)} is not 'rtu' or 'tcp'`);
    const lineSettings = (b as { lineSettings?: unknown }).lineSettings;
    if (lineSettings !== undefined) {
      if (b.type === 'rtu') problems.push(...checkLineSettings(`buses[${i}]`, lineSettings, b.baudRate));
      else problems.push(`buses[${i}].lineSettings: line settings are for RTU buses; "${b.name}" is ${JSON.stringify(b.type)}`);
    }
    const wire = (b as { wire?: unknown }).wire;
    if (wire !== undefined) {
      if (b.type === 'rtu') problems.push(...checkWireSpec(`buses[${i}]`, wire, b.baudRate));
      else problems.push(`buses[${i}].wire: wire-time emulation is for RTU buses; "${b.name}" is ${JSON.stringify(b.type)}`);
    }
  }
  let catalog = spec.catalog;
  let catalogProblems = '';
  if (!catalog && spec.devices.some((d) => typeof d.profile === 'string')) {
    const loaded = loadProfileCatalog([builtinProfilesDir()]);
    catalog = loaded.catalog;
    catalogProblems = loaded.problems.map((p) => `${p.file}: ${p.message}`).join('; ');
  }
  const names = new Set<string>();
  const units = new Set<string>();
  const out: Array<{ bus: string; device: SimulatedDevice }> = [];
  for (const [i, d] of spec.devices.entries()) {
    const at = `devices[${i}] (${d.name})`;
    if (names.has(d.name)) problems.push(`${at}.name: device "${d.name}" is defined twice`);
    names.add(d.name);
    const type = busTypes.get(d.bus);
    if (!type) problems.push(`${at}.bus: no bus "${d.bus}" (buses: ${[...busTypes.keys()].join(', ')})`);
    const maxUnit = type === 'tcp' ? 255 : 247;
    if (!Number.isInteger(d.unitId) || d.unitId < 1 || d.unitId > maxUnit) {
      problems.push(`${at}.unitId: ${JSON.stringify(d.unitId)} is not 1..${maxUnit}${type === 'rtu' ? ' (0 is broadcast, 248–255 reserved on a serial line)' : ''}`);
    } else if (units.has(`${d.bus}/${d.unitId}`)) {
      problems.push(`${at}.unitId: unit ${d.unitId} is already used on bus "${d.bus}"`);
    }
    units.add(`${d.bus}/${d.unitId}`);
    const profile = typeof d.profile === 'string' ? catalog?.get(d.profile) : d.profile;
    if (!profile) {
      problems.push(`${at}.profile: no profile "${String(d.profile)}" (known: ${catalog?.ids().join(', ') || 'none'})${catalogProblems ? `; catalog problems: ${catalogProblems}` : ''}`);
      continue;
    }
    try {
      const device = new SimulatedDevice({ name: d.name, unitId: d.unitId, profile, behaviours: d.behaviours, unmapped: d.unmapped, random: spec.random });
      out.push({ bus: d.bus, device });
    } catch (e) {
      problems.push(`${at}: ${(e as Error).message}`);
    }
  }
  if (problems.length) throw new Error(`virtual rig spec has ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
  return out;
}
