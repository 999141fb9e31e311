/**
 * The Node-RED flow the `peer` bench runs: what a competent user of node-red-contrib-modbus
 * would build for the same site Vigil polls.
 *
 * Mapping, site → flow:
 * - the site's Modbus TCP bus (one server, unit ids select devices) → one `modbus-client`
 *   config node (one connection, contrib-modbus's defaults: per-unit queues, 1 ms command
 *   delay, 1 s timeout), as Vigil has one connection per bus;
 * - each device → `modbus-read` nodes with the device's unit id, at the device's poll period.
 *   contrib-modbus does not coalesce (peers.md §1.5): the user decides what each node reads.
 *   Two styles:
 *   - `blocks` (the strongest peer): one node per block — the contiguous runs of the profile's
 *     registers, what a careful user reads off the manual's register table — computed with
 *     Vigil's own planner and the profile's limits, so both read exactly the same registers
 *     with the same requests;
 *   - `per-value`: one node per value (the registers of one point; status bits that share a
 *     word share its node), the per-tag style of most dashboards' flows and of the contrib's
 *     own examples;
 * - each device model → one `function` node that turns a block's raw words into readings
 *   (scaling, signed and 32-bit values, byte order, status bits, state codes) — the JavaScript
 *   a user writes, one per model, shared by that model's devices;
 * - one `mqtt out` node (QoS 1, as Vigil publishes) on one `mqtt-broker` config node: each
 *   read becomes one JSON message of readings on `<prefix>/<device>/telemetry`.
 * What the peer does not do, and Vigil does: alarms, store-and-forward (SQLite), the HTTP API.
 */
import { resolvePoints, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import { planReads, FUNCTION_CODES } from '../../drivers/modbus/planner.js';
import type { Profile, RegisterTableName } from '../../drivers/profiles/schema.js';

export interface PeerFlowDevice {
  name: string;
  unitId: number;
  profile: Profile;
  pollMs: number;
}

/** How the user split each device's registers into `modbus-read` nodes (see the file comment). */
export type PeerFlowStyle = 'blocks' | 'per-value';

export interface PeerFlowOptions {
  devices: readonly PeerFlowDevice[];
  style: PeerFlowStyle;
  modbus: { host: string; port: number };
  mqtt: { host: string; port: number; clientId: string };
  /** Readings go to `<topicPrefix>/<device>/telemetry`. */
  topicPrefix: string;
}

export interface ReadBlock {
  table: RegisterTableName;
  address: number;
  count: number;
  points: ResolvedPoint[];
}

/** contrib-modbus `modbus-read` dataType per register table (FC01–FC04). */
const DATA_TYPES: Record<RegisterTableName, string> = { coil: 'Coil', discrete: 'Input', holding: 'HoldingRegister', input: 'InputRegister' };

/**
 * The reads of a device of this model: `blocks` — the same requests Vigil's planner issues;
 * `per-value` — one request per value (points on the same first register share it).
 */
export function peerReadBlocks(profile: Profile, style: PeerFlowStyle = 'blocks'): ReadBlock[] {
  const points = resolvePoints(profile);
  if (style === 'per-value') {
    const values = new Map<string, ReadBlock>();
    for (const p of points) {
      const key = `${p.table}:${p.address}`;
      const v = values.get(key);
      if (v) {
        v.count = Math.max(v.count, p.width);
        v.points.push(p);
      } else values.set(key, { table: p.table, address: p.address, count: p.width, points: [p] });
    }
    return [...values.values()].sort((a, b) => FUNCTION_CODES[a.table] - FUNCTION_CODES[b.table] || a.address - b.address);
  }
  const items = points.map((p) => ({ key: p.name, table: p.table, address: p.address, width: p.width, point: p }));
  const limits = { maxRegisters: profile.modbus.maxRegistersPerRequest, maxBits: profile.modbus.maxBitsPerRequest, maxGap: profile.modbus.maxGap };
  return planReads(items, limits).map((r) => ({ table: r.table, address: r.address, count: r.count, points: r.items.map((i) => i.point) }));
}

/** How the function node decodes one point of a block (`at`: its offset in the block). */
interface PointSpec {
  name: string;
  at: number;
  table: RegisterTableName;
  type: ResolvedPoint['type'];
  width: number;
  order: ResolvedPoint['byteOrder'];
  scale: number;
  offset: number;
  bit?: number;
  enum?: Record<string, string>;
  unit?: string;
}

/** The decoding a user writes once per device model; BLOCKS and PREFIX are prepended per model. */
const DECODER = `
const block = BLOCKS[msg.input.payload.fc + ':' + msg.input.payload.address];
if (!block) {
  node.warn('no decoding for ' + JSON.stringify(msg.input.payload));
  return null;
}
const w = msg.payload;
const swap = (x) => ((x & 0xff) << 8) | (x >>> 8);
const ts = Date.now();
const readings = [];
for (const p of block) {
  let value = null;
  if (p.table === 'coil' || p.table === 'discrete') {
    value = Boolean(w[p.at]);
  } else {
    let hi = w[p.at];
    let lo = w[p.at + 1];
    if (p.width === 2 && (p.order === 'CDAB' || p.order === 'DCBA')) [hi, lo] = [lo, hi];
    if (p.order === 'BADC' || p.order === 'DCBA') {
      hi = swap(hi);
      if (p.width === 2) lo = swap(lo);
    }
    let raw;
    if (p.type === 'bool') value = ((hi >>> p.bit) & 1) === 1;
    else if (p.type === 'u16') raw = hi;
    else if (p.type === 'i16') raw = hi >= 0x8000 ? hi - 0x10000 : hi;
    else if (p.type === 'u32') raw = hi * 0x10000 + lo;
    else if (p.type === 'i32') raw = (hi * 0x10000 + lo) | 0;
    else if (p.type === 'f32') {
      const b = Buffer.alloc(4);
      b.writeUInt16BE(hi, 0);
      b.writeUInt16BE(lo, 2);
      raw = b.readFloatBE(0);
    }
    if (raw !== undefined) {
      if (p.enum) value = p.enum[raw] === undefined ? null : p.enum[raw];
      else if (!Number.isFinite(raw)) value = null;
      else if (p.scale === 1 && p.offset === 0) value = raw;
      else value = Number((raw * p.scale + p.offset).toPrecision(15));
    }
  }
  readings.push({ device: msg.topic, point: p.name, value: value, unit: p.unit, ts: ts });
}
return { topic: PREFIX + '/' + msg.topic + '/telemetry', payload: { device: msg.topic, readings: readings } };
`;

/** The function node's body for one device model (run by Node-RED as `function (msg, node, …)`). */
export function decoderSource(profile: Profile, topicPrefix: string, style: PeerFlowStyle = 'blocks'): string {
  const blocks: Record<string, PointSpec[]> = {};
  for (const b of peerReadBlocks(profile, style)) {
    blocks[`${FUNCTION_CODES[b.table]}:${b.address}`] = b.points.map((p) => {
      const spec: PointSpec = { name: p.name, at: p.address - b.address, table: p.table, type: p.type, width: p.width, order: p.byteOrder, scale: p.scale, offset: p.offset };
      if (p.bit !== undefined) spec.bit = p.bit;
      if (p.enum) spec.enum = p.enum;
      if (p.unit !== undefined) spec.unit = p.unit;
      return spec;
    });
  }
  return `// ${profile.id}: raw Modbus words -> readings (generated by vigil bench/support/peer-flow.ts)\nconst PREFIX = ${JSON.stringify(topicPrefix)};\nconst BLOCKS = ${JSON.stringify(blocks)};${DECODER}`;
}

export type FlowNode = { id: string; type: string } & Record<string, unknown>;

/** The flows.json content (an array of nodes) for the site. */
export function buildPeerFlow(opts: PeerFlowOptions): FlowNode[] {
  if (opts.devices.length === 0) throw new Error('peer flow: no devices');
  const tab = 'vb-tab';
  const broker = 'vb-mqtt-broker';
  const client = 'vb-modbus-client';
  const out = 'vb-mqtt-out';
  const nodes: FlowNode[] = [
    { id: tab, type: 'tab', label: 'Vigil peer bench', disabled: false, info: 'Generated by vigil bench/support/peer-flow.ts' },
    {
      id: broker,
      type: 'mqtt-broker',
      name: 'bench broker',
      broker: opts.mqtt.host,
      port: String(opts.mqtt.port),
      clientid: opts.mqtt.clientId,
      autoConnect: true,
      usetls: false,
      protocolVersion: '4',
      keepalive: '60',
      cleansession: true,
      autoUnsubscribe: true,
      birthTopic: '',
      closeTopic: '',
      willTopic: '',
    },
    {
      id: client,
      type: 'modbus-client',
      name: 'bench bus',
      clienttype: 'tcp',
      bufferCommands: true,
      stateLogEnabled: false,
      queueLogEnabled: false,
      failureLogEnabled: true,
      tcpHost: opts.modbus.host,
      tcpPort: String(opts.modbus.port),
      tcpType: 'DEFAULT',
      unit_id: String(opts.devices[0]!.unitId),
      commandDelay: '1',
      clientTimeout: '1000',
      reconnectOnTimeout: true,
      reconnectTimeout: '2000',
      parallelUnitIdsAllowed: true,
    },
    { id: out, type: 'mqtt out', z: tab, name: 'telemetry', topic: '', qos: '1', retain: 'false', broker, x: 700, y: 40, wires: [] },
  ];
  const decoders = new Map<string, FlowNode>();
  let row = 0;
  for (const d of opts.devices) {
    let fn = decoders.get(d.profile.id);
    if (!fn) {
      fn = { id: `vb-decode-${d.profile.id.replace(/[^a-z0-9]+/g, '-')}`, type: 'function', z: tab, name: `decode ${d.profile.id}`, func: decoderSource(d.profile, opts.topicPrefix, opts.style), outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], x: 450, y: 40 + 60 * decoders.size, wires: [[out]] };
      decoders.set(d.profile.id, fn);
    }
    for (const b of peerReadBlocks(d.profile, opts.style)) {
      nodes.push({
        id: `vb-read-${d.name}-${b.table}-${b.address}`,
        type: 'modbus-read',
        z: tab,
        name: `${d.name} ${b.table} ${b.address}+${b.count}`,
        topic: d.name,
        showStatusActivities: false,
        logIOActivities: false,
        showErrors: false,
        unitid: String(d.unitId),
        dataType: DATA_TYPES[b.table],
        adr: String(b.address),
        quantity: String(b.count),
        rate: String(d.pollMs),
        rateUnit: 'ms',
        delayOnStart: false,
        startDelayTime: '',
        server: client,
        useIOFile: false,
        ioFile: '',
        useIOForPayload: false,
        emptyMsgOnFail: false,
        x: 150,
        y: 40 + 40 * row++,
        wires: [[fn.id], []],
      });
    }
  }
  return [...nodes, ...decoders.values()];
}

/** Node-RED's settings file: headless (no editor, no admin API, no HTTP nodes), no telemetry. */
export function nodeRedSettings(): string {
  return `// Generated by vigil bench/support/peer-flow.ts: Node-RED headless, as a gateway would run it.
module.exports = {
  flowFile: 'flows.json',
  credentialSecret: false,
  httpAdminRoot: false,
  httpNodeRoot: false,
  uiHost: '127.0.0.1',
  disableEditor: true,
  logging: { console: { level: 'info', metrics: false, audit: false } },
  functionExternalModules: false,
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  diagnostics: { enabled: false },
  runtimeState: { enabled: false },
  telemetry: { enabled: false },
};
`;
}
