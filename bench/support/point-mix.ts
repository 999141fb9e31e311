/**
 * A realistic point mix for the throughput benches, decoded the way the poller decodes:
 * per device, 3 scaled u16 (gas %LEL, CO ppm, temperature), 2 i32 (energy counters),
 * 2 f32 in CDAB order (meters that swap words), and 3 status bits of one register.
 * Raw words are pre-generated so the bench times decode + store, not Math.random.
 */
import { decodeRegisters, resolvePoints, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import { ProfileSchema } from '../../drivers/profiles/schema.js';
import type { Reading } from '../../gateway/readings.js';

export const MIX_PROFILE = ProfileSchema.parse({
  id: 'bench/mixed',
  vendor: 'bench',
  model: 'mixed',
  category: 'other',
  description: 'Bench point mix',
  source: { generic: true, notes: 'synthetic' },
  modbus: { byteOrder: 'ABCD' },
  points: [
    { name: 'gas_lel', table: 'holding', address: 0, type: 'u16', scale: 0.1, unit: '%LEL', range: { min: 0, max: 100 } },
    { name: 'co_ppm', table: 'holding', address: 1, type: 'u16', unit: 'ppm', range: { min: 0, max: 1000 } },
    { name: 'cable_temp', table: 'holding', address: 2, type: 'u16', scale: 0.1, offset: -40, unit: '°C' },
    { name: 'energy_import', table: 'holding', address: 3, type: 'i32', scale: 0.01, unit: 'kWh' },
    { name: 'energy_export', table: 'holding', address: 5, type: 'i32', scale: 0.01, unit: 'kWh' },
    { name: 'voltage_l1', table: 'input', address: 0, type: 'f32', byteOrder: 'CDAB', unit: 'V' },
    { name: 'active_power', table: 'input', address: 2, type: 'f32', byteOrder: 'CDAB', unit: 'W' },
    { name: 'sensor_fault', table: 'holding', address: 7, type: 'bool', bit: 0 },
    { name: 'over_range', table: 'holding', address: 7, type: 'bool', bit: 1 },
    { name: 'supply_fault', table: 'holding', address: 7, type: 'bool', bit: 2 },
  ],
});

export const MIX_POINTS: ResolvedPoint[] = resolvePoints(MIX_PROFILE);

function f32Cdab(v: number): number[] {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, v);
  return [dv.getUint16(2), dv.getUint16(0)];
}

function i32Words(v: number): number[] {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setInt32(0, v);
  return [dv.getUint16(0), dv.getUint16(2)];
}

/** `variants` sets of raw words per point (deterministic), cycled through by the generator. */
export function rawSamples(variants = 64): number[][][] {
  let s = 12345;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  return MIX_POINTS.map((p) => {
    const out: number[][] = [];
    for (let i = 0; i < variants; i++) {
      switch (p.name) {
        case 'gas_lel': out.push([Math.floor(rnd() * 1000)]); break;
        case 'co_ppm': out.push([Math.floor(rnd() * 200)]); break;
        case 'cable_temp': out.push([400 + Math.floor(rnd() * 800)]); break;
        case 'energy_import':
        case 'energy_export': out.push(i32Words(Math.floor(rnd() * 2e9) - 1e8)); break;
        case 'voltage_l1': out.push(f32Cdab(220 + rnd() * 20)); break;
        case 'active_power': out.push(f32Cdab(rnd() * 50_000)); break;
        default: out.push([Math.floor(rnd() * 8)]);
      }
    }
    return out;
  });
}

/**
 * Produces readings in poll order: device d, all its points, then device d+1 …
 * next(n) decodes n readings (the decode cost is part of what the ingest bench measures).
 */
export class ReadingSource {
  private readonly samples = rawSamples();
  private i = 0;
  constructor(private readonly devices = 100) {}

  next(n: number): Reading[] {
    const out: Reading[] = new Array(n);
    const pts = MIX_POINTS.length;
    const ts = Date.now();
    for (let k = 0; k < n; k++, this.i++) {
      const pi = this.i % pts;
      const poll = Math.floor(this.i / pts);
      const p = MIX_POINTS[pi]!;
      const words = this.samples[pi]![poll % 64]!;
      const d = decodeRegisters(p, words);
      const r: Reading = { device: `dev-${String(poll % this.devices).padStart(3, '0')}`, point: p.name, value: d.value, quality: d.quality, ts, clockTrusted: true };
      if (p.unit !== undefined) r.unit = p.unit;
      out[k] = r;
    }
    return out;
  }
}
