import { describe, expect, it } from 'vitest';
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { ProfileSchema, type Profile } from '../../drivers/profiles/schema.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { SimulatedDevice } from '../../hil-tests/virtual-rig/simulated-device.js';
import { buildPeerFlow, decoderSource, peerReadBlocks, type FlowNode, type PeerFlowDevice, type PeerFlowStyle } from './peer-flow.js';

const { catalog } = loadProfileCatalog([builtinProfilesDir()]);
const profile = (id: string): Profile => {
  const p = catalog.get(id);
  if (!p) throw new Error(`no built-in profile ${id}`);
  return p;
};

const devices: PeerFlowDevice[] = [
  { name: 'gas-01', unitId: 1, profile: profile('generic/combustible-gas'), pollMs: 1_000 },
  { name: 'gas-02', unitId: 2, profile: profile('generic/combustible-gas'), pollMs: 1_000 },
  { name: 'efm-01', unitId: 7, profile: profile('generic/electrical-fire-monitor'), pollMs: 500 },
  { name: 'sdm630-01', unitId: 12, profile: profile('eastron/sdm630'), pollMs: 2_000 },
];
const flowOf = (style: PeerFlowStyle): FlowNode[] => buildPeerFlow({ devices, style, modbus: { host: '127.0.0.1', port: 1502 }, mqtt: { host: '127.0.0.1', port: 1883, clientId: 'peer' }, topicPrefix: 'peer/bench' });
const flow = flowOf('blocks');
const byId = new Map(flow.map((n) => [n.id, n] as const));
const reads = flow.filter((n) => n.type === 'modbus-read');

/** Runs a function node's body as Node-RED would (msg, node), returning what it sends. */
function runDecoder(func: string, msg: Record<string, unknown>): { topic: string; payload: { device: string; readings: Array<{ point: string; value: unknown; unit?: string }> } } | null {
  const warnings: string[] = [];
  const fn = new Function('msg', 'node', func) as (m: unknown, n: unknown) => ReturnType<typeof runDecoder>;
  const out = fn(msg, { warn: (w: string) => warnings.push(w) });
  if (warnings.length) throw new Error(`decoder warned: ${warnings.join('; ')}`);
  return out;
}

const FC = { coil: 1, discrete: 2, holding: 3, input: 4 } as const;

/** What contrib-modbus's modbus-read sends for one block read of `device`: words (or booleans for bits). */
function readMessage(device: SimulatedDevice, block: ReturnType<typeof peerReadBlocks>[number]): Record<string, unknown> {
  const raw = device.bank.read(block.table, block.address, block.count);
  if (!raw) throw new Error(`bank has no ${block.table} ${block.address}+${block.count}`);
  const bits = block.table === 'coil' || block.table === 'discrete';
  return { topic: device.name, payload: bits ? raw.map((b) => b !== 0) : raw, input: { payload: { unitid: device.unitId, fc: FC[block.table], address: block.address, quantity: block.count } } };
}

describe('buildPeerFlow', () => {
  it('reads every block of every device with its unit id, function, address, quantity and poll period', () => {
    for (const d of devices) {
      const blocks = peerReadBlocks(d.profile);
      const mine = reads.filter((n) => n.topic === d.name);
      expect(mine.map((n) => [n.unitid, n.dataType, n.adr, n.quantity, n.rate, n.rateUnit])).toEqual(
        blocks.map((b) => [String(d.unitId), b.table === 'input' ? 'InputRegister' : 'HoldingRegister', String(b.address), String(b.count), String(d.pollMs), 'ms']),
      );
    }
    // The SDM630's map has four runs of registers (maxGap 0): four reads, as Vigil plans them.
    expect(reads.filter((n) => n.topic === 'sdm630-01').map((n) => `${n.adr}+${n.quantity}`)).toEqual(['0+18', '52+2', '62+2', '70+6']);
    expect(reads.filter((n) => n.topic === 'gas-01').map((n) => `${n.adr}+${n.quantity}`)).toEqual(['0+5']);
  });

  it('covers each point of a profile exactly once, in either style', () => {
    for (const style of ['blocks', 'per-value'] as const) {
      for (const d of devices) {
        const covered = peerReadBlocks(d.profile, style).flatMap((b) => b.points.map((p) => p.name));
        expect(covered.sort()).toEqual(resolvePoints(d.profile).map((p) => p.name).sort());
      }
    }
  });

  it('per-value: one read per value, status bits sharing their word\'s read', () => {
    const perValue = flowOf('per-value').filter((n) => n.type === 'modbus-read');
    // The combustible-gas map: gas_lel, status, a word of four fault bits, two set points — 5 reads.
    expect(perValue.filter((n) => n.topic === 'gas-01').map((n) => `${n.adr}+${n.quantity}`)).toEqual(['0+1', '1+1', '2+1', '3+1', '4+1']);
    // The SDM630's 14 floats: 14 reads of 2 registers, where the blocks flow needs 4.
    const sdm = perValue.filter((n) => n.topic === 'sdm630-01');
    expect(sdm).toHaveLength(14);
    expect(sdm.every((n) => n.quantity === '2' && n.dataType === 'InputRegister')).toBe(true);
    expect(perValue.length).toBeGreaterThan(reads.length);
  });

  it('wires reads to one decoder per device model, decoders to a QoS 1 mqtt out, all on one Modbus connection', () => {
    const client = flow.filter((n) => n.type === 'modbus-client');
    expect(client).toHaveLength(1);
    expect(client[0]).toMatchObject({ clienttype: 'tcp', tcpHost: '127.0.0.1', tcpPort: '1502' });
    const decoders = flow.filter((n) => n.type === 'function');
    expect(decoders.map((n) => n.name).sort()).toEqual(['decode eastron/sdm630', 'decode generic/combustible-gas', 'decode generic/electrical-fire-monitor']);
    for (const r of reads) {
      expect(r.server).toBe(client[0]!.id);
      const [[target]] = r.wires as string[][] as [[string]];
      expect(byId.get(target)?.name).toBe(`decode ${devices.find((d) => d.name === r.topic)!.profile.id}`);
    }
    const out = flow.filter((n) => n.type === 'mqtt out');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ qos: '1', broker: flow.find((n) => n.type === 'mqtt-broker')!.id });
    for (const fn of decoders) expect(fn.wires).toEqual([[out[0]!.id]]);
  });

  it('gives every node a unique id and puts flow nodes on the tab', () => {
    expect(new Set(flow.map((n) => n.id)).size).toBe(flow.length);
    const tab = flow.find((n) => n.type === 'tab')!;
    const config = new Set(['tab', 'mqtt-broker', 'modbus-client']);
    for (const n of flow.filter((x: FlowNode) => !config.has(x.type))) expect(n.z).toBe(tab.id);
  });

  it('refuses a site with no devices', () => {
    expect(() => buildPeerFlow({ devices: [], style: 'blocks', modbus: { host: '127.0.0.1', port: 1 }, mqtt: { host: '127.0.0.1', port: 1, clientId: 'x' }, topicPrefix: 'p' })).toThrow(/no devices/);
  });
});

describe('the decoder function node', () => {
  it('turns each block of the built-in models into the readings Vigil decodes from the same registers', () => {
    const values: Record<string, Record<string, number | boolean | string>> = {
      'generic/combustible-gas': { gas_lel: 12.3, status: 'alarm_level_1', over_range: true, alarm_1_setpoint: 25 },
      'generic/electrical-fire-monitor': { residual_current: 321, cable_temperature_2: -12.5, over_temperature_alarm_3: true, temperature_sensor_4_short: true },
      'eastron/sdm630': { voltage_l1: 231.25, total_power_factor: -0.875, import_active_energy: 12345.5 },
    };
    for (const style of ['blocks', 'per-value'] as const) {
      for (const [id, set] of Object.entries(values)) {
        const p = profile(id);
        const device = new SimulatedDevice({ name: 'dev-1', unitId: 3, profile: p, behaviours: set });
        const func = decoderSource(p, 'peer/bench', style);
        const got: Record<string, unknown> = {};
        for (const block of peerReadBlocks(p, style)) {
          const out = runDecoder(func, readMessage(device, block));
          expect(out?.topic).toBe('peer/bench/dev-1/telemetry');
          for (const r of out!.payload.readings) got[r.point] = r.value;
        }
        expect(got).toEqual(device.values());
        for (const [point, v] of Object.entries(set)) expect(got[point]).toEqual(v);
      }
    }
  });

  it('decodes every value type in every byte order, and coils', () => {
    const types = ['u16', 'i16', 'u32', 'i32', 'f32'] as const;
    const orders = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
    const points: Array<Record<string, unknown>> = [];
    const set: Record<string, number | boolean> = {};
    let address = 0;
    for (const order of orders) {
      for (const type of types) {
        const name = `${type}_${order.toLowerCase()}`;
        points.push({ name, table: 'holding', address, type, byteOrder: order, ...(type === 'u16' ? { scale: 0.1, offset: -5 } : {}) });
        set[name] = { u16: 1234.5, i16: -1234, u32: 3_000_000_000, i32: -123_456_789, f32: -0.15625 }[type];
        address += type === 'u16' || type === 'i16' ? 1 : 2;
      }
    }
    points.push({ name: 'flag_b9', table: 'holding', address, type: 'bool', bit: 9 });
    set.flag_b9 = true;
    points.push({ name: 'coil_3', table: 'coil', address: 3, type: 'bool' }, { name: 'coil_4', table: 'coil', address: 4, type: 'bool' });
    set.coil_3 = true;
    const p = ProfileSchema.parse({ id: 'test/all-types', vendor: 'test', model: 'all-types', category: 'other', description: 'every type', source: { generic: true, notes: 'unit test' }, points });
    const device = new SimulatedDevice({ name: 'mix', unitId: 1, profile: p, behaviours: set });
    const func = decoderSource(p, 'x');
    const got: Record<string, unknown> = {};
    for (const block of peerReadBlocks(p)) for (const r of runDecoder(func, readMessage(device, block))!.payload.readings) got[r.point] = r.value;
    expect(got).toEqual(device.values());
    expect(got).toMatchObject({ ...set, coil_4: false });
  });
});
