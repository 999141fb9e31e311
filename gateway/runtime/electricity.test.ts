import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import type { SiteConfig } from '../config/schema.js';
import type { Reading } from '../readings.js';
import type { GatewayEvent } from '../store/store.js';
import { ElectricitySchema } from '../../rules/electricity/config-schema.js';
import { ENERGY_INTERVAL_POINT, startElectricity } from './electricity.js';

/** Wall time in China (UTC+8) on 2026-11-23, as epoch ms. */
const cst = (h: number, m = 0): number => Date.UTC(2026, 10, 23, h - 8, m);

function gateway(meters: string[]) {
  const config = { electricity: ElectricitySchema.parse({ timeZone: 'Asia/Shanghai', meters: meters.map((device) => ({ device })) }) } as unknown as SiteConfig;
  const clock = new FakeClock({ wall: cst(9, 58) });
  const delivered: Reading[] = [];
  const events: GatewayEvent[] = [];
  const rt = startElectricity({ config, clock, emitEvent: (e) => events.push(e), deliver: (rs) => delivered.push(...rs) })!;
  const energy: Record<string, number> = Object.fromEntries(meters.map((m) => [m, 1_000]));
  const poll = (who: string[]) =>
    rt.onReadings(who.map((device) => ({ device, point: 'import_active_energy', value: energy[device]!, unit: 'kWh', quality: 'good', ts: clock.now(), clockTrusted: true })));
  /** 36 kW per meter, read every 10 s by the meters in `answering`. */
  const run = (until: number, answering: string[]) => {
    while (clock.now() < until) {
      for (const m of meters) energy[m]! += 36 / 360;
      clock.advance(10_000);
      vi.advanceTimersByTime(10_000);
      poll(answering);
    }
  };
  return { rt, clock, delivered, events, poll, run };
}

describe('electricity in the runtime', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns each meter’s and the site’s quarter-hour energy into kWh readings stamped at the interval end', () => {
    const g = gateway(['pm-1', 'pm-2']);
    g.poll(['pm-1', 'pm-2']);
    g.run(cst(10, 31), ['pm-1', 'pm-2']);
    const quarter = g.delivered.filter((r) => r.ts === cst(10, 15));
    expect(quarter.map((r) => [r.device, r.point, r.unit, r.quality])).toEqual([
      ['pm-1', ENERGY_INTERVAL_POINT, 'kWh', 'good'],
      ['pm-2', ENERGY_INTERVAL_POINT, 'kWh', 'good'],
      ['site', ENERGY_INTERVAL_POINT, 'kWh', 'good'],
    ]);
    // 36 kW for a quarter hour is 9 kWh per meter, 18 for the site
    expect(quarter.map((r) => Math.round((r.value as number) * 1_000) / 1_000)).toEqual([9, 9, 18]);
  });

  it('a meter that stops answering makes the site interval bad quality, with an event that names it — never a silent zero', () => {
    const g = gateway(['pm-1', 'pm-2']);
    g.poll(['pm-1', 'pm-2']);
    g.run(cst(10, 1), ['pm-1', 'pm-2']);
    g.run(cst(10, 20), ['pm-1']); // pm-2 silent through the 10:00–10:15 interval's close and grace
    const site = g.delivered.find((r) => r.device === 'site' && r.ts === cst(10, 15));
    expect(site).toMatchObject({ quality: 'bad' });
    const flagged = g.events.find((e) => e.type === 'electricity.interval-flagged' && e.device === 'site' && e.data?.['end'] === cst(10, 15));
    expect(flagged?.message).toContain('missing: pm-2');
    expect(flagged?.data).toMatchObject({ complete: false, missing: ['pm-2'] });
  });
});
