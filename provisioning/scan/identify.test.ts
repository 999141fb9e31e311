import { describe, expect, it } from 'vitest';
import { encodeRegisters, resolvePoints } from '../../drivers/modbus/codecs.js';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { ProfileSchema, type Profile } from '../../drivers/profiles/schema.js';
import { VigilError } from '../../gateway/errors.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { describeRaw, identifyDevice, planIdentification, type ReadSpan } from './identify.js';

const { catalog } = loadProfileCatalog([builtinProfilesDir()]);
const builtins = catalog.ids().map((id) => catalog.get(id)!);

/** A device holding these point values of `profileId` (encoded by the gateway's codecs); anything else is exception 02. */
function device(profileId: string, values: Record<string, number>): ReadSpan {
  const profile = catalog.get(profileId)!;
  const words = new Map<string, number>();
  for (const p of resolvePoints(profile)) {
    const v = values[p.name];
    if (v === undefined) continue;
    encodeRegisters(p, v).forEach((w, i) => words.set(`${p.table}:${p.address + i}`, w));
  }
  return async (span) => {
    const out: number[] = [];
    for (let a = span.address; a < span.address + span.count; a++) {
      const w = words.get(`${span.table}:${a}`);
      if (w === undefined) throw new VigilError('DEVICE_ILLEGAL_ADDRESS', 'exception 2', { modbusCode: 2 });
      out.push(w);
    }
    return out;
  };
}

const plan = planIdentification(builtins);

describe('identifying a device from the profiles', () => {
  it('reads each register a check names once, holding before input, and only registers', () => {
    const keys = plan.spans.map((s) => `${s.table} ${s.address}+${s.count}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain('input 0+2'); // SDM630 phase 1 voltage (f32)
    expect(keys).toContain('input 70+2'); // SDM630 frequency (f32)
    expect(plan.spans.every((s) => s.table === 'holding' || s.table === 'input')).toBe(true);
  });

  it('names an SDM630 on a live 230 V network', async () => {
    const r = await identifyDevice(plan, device('eastron/sdm630', { voltage_l1: 231.4, frequency: 50.02 }));
    expect(r.verdict).toBe('identified');
    expect(r.matches).toEqual([{ profile: 'eastron/sdm630', by: 'plausibility', why: expect.arrayContaining([expect.stringContaining('180–260 V as f32')]) }]);
  });

  it('does not take an SDM630 that is not on a live network for one (it stays an unknown model with its registers)', async () => {
    const r = await identifyDevice(plan, device('eastron/sdm630', { voltage_l1: 0, frequency: 0 }));
    expect(r.verdict).toBe('unknown');
    expect(describeRaw(r.raw)).toContain('input 0+2=0x0000,0x0000');
    expect(describeRaw(r.raw)).toMatch(/ · exception 02 at holding 0, holding 1, /);
  });

  it('tells the integer power meter from the electrical-fire monitor', async () => {
    const meter = await identifyDevice(plan, device('generic/power-meter-3p', { voltage_l1: 229.8, frequency: 49.98 }));
    expect(meter.matches.map((m) => m.profile)).toEqual(['generic/power-meter-3p']);
    const efm = await identifyDevice(
      plan,
      device('generic/electrical-fire-monitor', { residual_current: 42, leakage_alarm_setpoint: 300, temperature_alarm_setpoint: 70 }),
    );
    expect(efm.matches.map((m) => m.profile)).toEqual(['generic/electrical-fire-monitor']);
  });

  it('shows the generic gas detectors, which share one layout, as ambiguous rather than picking one', async () => {
    const r = await identifyDevice(plan, device('generic/combustible-gas', { gas_lel: 1.2, status: 0, alarm_1_setpoint: 20, alarm_2_setpoint: 40 }));
    expect(r.verdict).toBe('ambiguous');
    expect(r.matches.map((m) => m.profile).sort()).toEqual(['generic/combustible-gas', 'generic/toxic-gas-co', 'generic/toxic-gas-h2s']);
  });

  it('rules a gas detector out when its state code is not one the map defines', async () => {
    const gas = device('generic/combustible-gas', { gas_lel: 1.2, alarm_1_setpoint: 20, alarm_2_setpoint: 40 });
    const r = await identifyDevice(plan, async (s) => (s.table === 'holding' && s.address === 1 ? [9] : gas(s)));
    expect(r.verdict).toBe('unknown');
  });

  it('lets a model code outrank a plausible match', async () => {
    const coded: Profile = ProfileSchema.parse({
      ...catalog.get('generic/power-meter-3p')!,
      id: 'acme/pm3',
      identify: { by: 'model-code', checks: [{ register: { table: 'holding', address: 100, type: 'u16' }, equals: [0x0630], why: 'holding 100 model code 0x0630' }] },
    });
    const p = planIdentification([...builtins, coded]);
    const base = device('generic/power-meter-3p', { voltage_l1: 230, frequency: 50 });
    const read: ReadSpan = async (s) => (s.table === 'holding' && s.address === 100 ? [0x0630] : base(s));
    const r = await identifyDevice(p, read);
    expect(r.verdict).toBe('identified');
    expect(r.matches).toEqual([{ profile: 'acme/pm3', by: 'model-code', why: ['holding 100 model code 0x0630'] }]);
  });

  it('records a silent register as no answer, not as a value', async () => {
    const r = await identifyDevice(plan, async () => {
      throw new VigilError('COMM_TIMEOUT', 'timed out');
    });
    expect(r.verdict).toBe('unknown');
    expect(describeRaw(r.raw)).toMatch(/^no answer at holding 0, holding 1, .*input 0\+2/);
  });
});
