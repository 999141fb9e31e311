import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { ElectricitySchema } from './config-schema.js';
import type { EnergyRecord } from './energy-record.js';
import { ElectricityMonitor } from './electricity-monitor.js';

const MIN = 60_000;
/** Wall time in China (UTC+8) on 2026-11-23, as epoch ms. */
const cst = (h: number, m = 0, day = 23): number => Date.UTC(2026, 10, day, h - 8, m);

/**
 * A site with two SDM630-like meters (energy in kWh, power in W) polled every 10 s, a shutdown
 * ordered 22:00–23:00 with a floor of 2 kWh per quarter hour and 10 kW, on a fake clock.
 */
function site(extra: Record<string, unknown> = {}) {
  const cfg = ElectricitySchema.parse({
    timeZone: 'Asia/Shanghai',
    meters: [
      { device: 'pm-1', powerPoint: 'total_active_power' },
      { device: 'pm-2', powerPoint: 'total_active_power' },
    ],
    shutdown: { floor: { kWhPerInterval: 2, kW: 10 }, dates: [{ name: 'order-77', start: '2026-11-23T22:00:00+08:00', end: '2026-11-23T23:00:00+08:00' }] },
    ...extra,
  });
  const clock = new FakeClock({ wall: cst(21, 40) });
  const events: GatewayEvent[] = [];
  const records: EnergyRecord[] = [];
  const monitor = new ElectricityMonitor(cfg, { clock, emit: (e) => events.push(e), onRecord: (r) => records.push(r) });
  monitor.start();
  const load: Record<string, { kW: number; kWh: number }> = { 'pm-1': { kW: 40, kWh: 5_000 }, 'pm-2': { kW: 20, kWh: 800 } };
  const poll = () => {
    for (const [device, m] of Object.entries(load)) {
      const base = { device, quality: 'good' as const, ts: clock.now(), clockTrusted: true };
      monitor.onReadings([
        { ...base, point: 'import_active_energy', value: m.kWh, unit: 'kWh' },
        { ...base, point: 'total_active_power', value: m.kW * 1000, unit: 'W' },
      ]);
    }
  };
  poll();
  let since = 0;
  return {
    clock,
    monitor,
    events,
    records,
    load,
    runUntil(wall: number) {
      while (clock.now() < wall) {
        for (const m of Object.values(load)) m.kWh += m.kW / 3_600;
        clock.advance(1_000);
        vi.advanceTimersByTime(1_000);
        if ((since += 1_000) >= 10_000) {
          since = 0;
          poll();
        }
      }
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('ElectricityMonitor: production during an ordered shutdown', () => {
  it('raised: the plant keeps running through the order — once per quarter hour, then a violated summary', () => {
    const s = site();
    s.runUntil(cst(23, 10));
    const production = s.events.filter((e) => e.type === 'electricity.production-during-shutdown');
    // Live power (60 kW > 10 kW for 60 s) sees it first at 22:01; the energy records of those quarter hours add nothing.
    expect(production.map((e) => [e.ts, e.data!.basis, (e.data!.interval as { start: number }).start])).toEqual([
      [cst(22, 1), 'power', cst(22)],
      [cst(22, 15), 'power', cst(22, 15)],
      [cst(22, 30), 'power', cst(22, 30)],
      [cst(22, 45), 'power', cst(22, 45)],
    ]);
    expect(s.events.filter((e) => e.type.startsWith('electricity.shutdown-'))).toEqual([
      expect.objectContaining({ type: 'electricity.shutdown-violated', ts: cst(23, 3), data: expect.objectContaining({ subjects: [{ subject: 'site', quarterHours: 4, ok: 0, exceeded: 4, unverified: 0 }] }) }),
    ]);
  });

  it('not raised: the plant drops to its floor at 22:00 — a respected summary after the window', () => {
    const s = site();
    s.runUntil(cst(21, 59, 0));
    s.load['pm-1']!.kW = 4; // ventilation
    s.load['pm-2']!.kW = 3;
    s.runUntil(cst(23, 10));
    expect(s.events.filter((e) => e.type === 'electricity.production-during-shutdown')).toEqual([]);
    expect(s.records.filter((r) => r.meter === 'site' && r.start >= cst(22) && r.start < cst(23)).map((r) => r.kWh)).toEqual([1.75, 1.75, 1.75, 1.75]);
    expect(s.events.filter((e) => e.type.startsWith('electricity.shutdown-'))).toEqual([expect.objectContaining({ type: 'electricity.shutdown-respected', severity: 'info' })]);
  });

  it('the quarter hour before the order is not judged, though it held production', () => {
    const s = site();
    s.runUntil(cst(21, 59, 0));
    s.load['pm-1']!.kW = 4;
    s.load['pm-2']!.kW = 3;
    s.runUntil(cst(22, 20));
    // 21:45–22:00 held 60 kW for 14 of its minutes: outside the order, nothing said.
    expect(s.events.filter((e) => e.type === 'electricity.production-during-shutdown')).toEqual([]);
  });

  it('takes windows pushed by the cloud, and refuses them when the site file says no', () => {
    const s = site();
    s.monitor.setCloudWindows({ windows: [{ id: 'cloud-5', start: '2026-11-23T21:45:00+08:00', end: '2026-11-23T22:00:00+08:00' }] });
    s.runUntil(cst(21, 47));
    expect(s.events.map((e) => (e.data!.window as { id: string }).id)).toEqual(['cloud-5']);
    const closed = site({ shutdown: { floor: { kW: 10 }, cloudWindows: false } });
    expect(() => closed.monitor.setCloudWindows({ windows: [] })).toThrow(/not accepted/);
  });
});

describe('ElectricityMonitor: baseline history', () => {
  it('exports and imports the baseline history for the runtime to persist', () => {
    const s = site({ baseline: { deviationPercent: 50, minDeviationKWh: 1 } });
    s.runUntil(cst(22, 31));
    const doc = s.monitor.exportBaseline()!;
    expect(doc.entries.map((e) => e.start)).toEqual([cst(21, 45), cst(22), cst(22, 15)]); // complete site records only (21:30 was partial)
    const t = site({ baseline: { deviationPercent: 50, minDeviationKWh: 1 } });
    expect(t.monitor.importBaseline(JSON.parse(JSON.stringify(doc)))).toEqual({ added: 3, skipped: 0 });
    expect(t.monitor.status().baselineSamples).toBe(3);
    expect(() => t.monitor.importBaseline({ version: 1 })).toThrow(/baseline history import refused: entries/);
  });
});
