import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import type { SiteConfig } from '../config/schema.js';
import type { Reading } from '../readings.js';
import { MemoryStore } from '../store/memory-store.js';
import type { GatewayEvent, Store } from '../store/store.js';
import { ElectricitySchema } from '../../rules/electricity/config-schema.js';
import { BASELINE_SAVE_INTERVAL_MS, BASELINE_STATE_KEY, CLOUD_WINDOWS_STATE_KEY, ENERGY_INTERVAL_POINT, startElectricity } from './electricity.js';

/** Wall time in China (UTC+8) on 2026-11-23, as epoch ms. */
const cst = (h: number, m = 0): number => Date.UTC(2026, 10, 23, h - 8, m);

async function openStore(): Promise<Store> {
  const store = new MemoryStore({ budgetBytes: 1_000_000 });
  await store.open();
  return store;
}

async function gateway(meters: string[], opts: { store?: Store; baseline?: boolean; wall?: number; shutdown?: boolean } = {}) {
  const electricity = {
    timeZone: 'Asia/Shanghai',
    meters: meters.map((device) => ({ device })),
    ...(opts.baseline ? { baseline: { deviationPercent: 40, minDeviationKWh: 5 } } : {}),
    ...(opts.shutdown ? { shutdown: { floor: { kWhPerInterval: 2 } } } : {}),
  };
  const config = { electricity: ElectricitySchema.parse(electricity) } as unknown as SiteConfig;
  const clock = new FakeClock({ wall: opts.wall ?? cst(9, 58) });
  const delivered: Reading[] = [];
  const events: GatewayEvent[] = [];
  const store = opts.store ?? (await openStore());
  const rt = (await startElectricity({ config, clock, store, emitEvent: (e) => events.push(e), deliver: (rs) => delivered.push(...rs) }))!;
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
  return { rt, clock, store, delivered, events, poll, run };
}

/** The stored baseline history's entries (subject, start, kWh), or null when none is stored. */
async function storedBaseline(store: Store): Promise<{ subject: string; start: number; kWh: number }[] | null> {
  const text = await store.getRuntimeState(BASELINE_STATE_KEY);
  return text === null ? null : (JSON.parse(text) as { entries: { subject: string; start: number; kWh: number }[] }).entries;
}

describe('electricity in the runtime', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('turns each meter’s and the site’s quarter-hour energy into kWh readings stamped at the interval end', async () => {
    const g = await gateway(['pm-1', 'pm-2']);
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

  it('a meter that stops answering makes the site interval bad quality, with an event that names it — never a silent zero', async () => {
    const g = await gateway(['pm-1', 'pm-2']);
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

describe('electricity baseline across restarts', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('the baseline one run learned is saved on stop and imported by the next run, which saves it again unchanged', async () => {
    const store = await openStore();
    const first = await gateway(['pm-1'], { store, baseline: true });
    first.poll(['pm-1']);
    first.run(cst(10, 31), ['pm-1']);
    expect(await storedBaseline(store)).toBeNull(); // not an hour yet
    await first.rt.stop();
    const learned = await storedBaseline(store);
    // The site's 10:00 and 10:15 quarter hours, 9 kWh each at 36 kW.
    expect(learned?.map((e) => [e.subject, e.start, Math.round(e.kWh * 1_000) / 1_000])).toEqual([
      ['site', cst(10, 0), 9],
      ['site', cst(10, 15), 9],
    ]);

    // The next run learns nothing new before it stops: what it saves is what it imported.
    const second = await gateway(['pm-1'], { store, baseline: true, wall: cst(10, 40) });
    await second.rt.stop();
    expect(await storedBaseline(store)).toEqual(learned);
    expect(second.events.filter((e) => e.type === 'electricity.fault')).toEqual([]);
  });

  it('saves the baseline every hour while running', async () => {
    const g = await gateway(['pm-1'], { baseline: true });
    g.poll(['pm-1']);
    g.run(cst(10, 16), ['pm-1']);
    expect(await storedBaseline(g.store)).toBeNull();
    // The save timer counts from start (09:58): it first fires at 10:58.
    g.run(cst(9, 58) + BASELINE_SAVE_INTERVAL_MS, ['pm-1']);
    await vi.advanceTimersByTimeAsync(0);
    expect((await storedBaseline(g.store))?.length).toBeGreaterThanOrEqual(3);
    await g.rt.stop();
  });

  it('a stored value that is not a baseline is reported as an event and replaced; the gateway runs on', async () => {
    const store = await openStore();
    await store.putRuntimeState(BASELINE_STATE_KEY, '{"version":1,"entries":[{"subject":"site"}]}');
    const g = await gateway(['pm-1'], { store, baseline: true });
    const fault = g.events.find((e) => e.type === 'electricity.fault');
    expect(fault?.message).toMatch(/stored electricity baseline \(electricity\.baseline\) was ignored; it is relearned from now on: baseline history import refused: entries\.0\.start/);
    g.poll(['pm-1']);
    g.run(cst(10, 16), ['pm-1']);
    expect(g.delivered.some((r) => r.ts === cst(10, 15) && r.quality === 'good')).toBe(true);
    await g.rt.stop();
    expect((await storedBaseline(store))?.map((e) => e.start)).toEqual([cst(10, 0)]);
  });

  it('text that is not JSON, or a store that fails, is an event too — never a crash', async () => {
    const store = await openStore();
    await store.putRuntimeState(BASELINE_STATE_KEY, 'not json');
    const g = await gateway(['pm-1'], { store, baseline: true });
    expect(g.events.find((e) => e.type === 'electricity.fault')?.message).toMatch(/was ignored.*JSON/);

    const failing: Store = Object.assign(await openStore(), {
      getRuntimeState: () => Promise.reject(new Error('disk gone')),
      putRuntimeState: () => Promise.reject(new Error('disk gone')),
    });
    const h = await gateway(['pm-1'], { store: failing, baseline: true });
    await h.rt.stop();
    expect(h.events.filter((e) => e.type === 'electricity.fault').map((e) => e.message)).toEqual([
      'the stored electricity baseline could not be read; it is relearned from now on: disk gone',
      'the electricity baseline could not be saved (kept in memory; the next save tries again): disk gone',
    ]);
    await g.rt.stop();
  });

  it('without a baseline section nothing is read or stored', async () => {
    const store = await openStore();
    await store.putRuntimeState(BASELINE_STATE_KEY, 'not json');
    const g = await gateway(['pm-1'], { store });
    await g.rt.stop();
    expect(g.events).toEqual([]);
    expect(await store.getRuntimeState(BASELINE_STATE_KEY)).toBe('not json');
  });

  it('takes ordered shutdown windows pushed by the cloud and journals who set them; refuses them without a shutdown section', async () => {
    const windows = [{ id: 'order-77', start: '2026-11-23T22:00:00+08:00', end: '2026-11-24T06:00:00+08:00' }];
    const cloud = { kind: 'cloud' as const, name: 'zhang.wei' };
    const without = await gateway(['pm-1']);
    expect(without.rt.setShutdownWindows(windows, cloud)).toMatchObject({ ok: false, refusal: 'not-applicable' });
    const g = await gateway(['pm-1'], { shutdown: true });
    expect(g.rt.setShutdownWindows(windows, cloud, '限电 order 77')).toEqual({ ok: true, message: '1 shutdown window(s) set by cloud user zhang.wei' });
    expect(g.events.find((e) => e.type === 'electricity.shutdown-windows-set')).toMatchObject({ data: { windows, actor: cloud, note: '限电 order 77' } });
  });

  it('keeps the pushed windows across a restart: production during the ordered shutdown is still caught', async () => {
    const store = await openStore();
    const first = await gateway(['pm-1'], { shutdown: true, store });
    const windows = [{ id: 'order-78', start: '2026-11-23T10:00:00+08:00', end: '2026-11-23T11:00:00+08:00' }];
    expect(first.rt.setShutdownWindows(windows, { kind: 'cloud', name: 'zhang.wei' })).toMatchObject({ ok: true });
    await first.rt.stop();
    expect(JSON.parse((await store.getRuntimeState(CLOUD_WINDOWS_STATE_KEY))!)).toEqual({ windows });

    const second = await gateway(['pm-1'], { shutdown: true, store });
    second.poll(['pm-1']);
    second.run(cst(10, 31), ['pm-1']);
    expect(second.events.find((e) => e.type === 'electricity.production-during-shutdown')).toMatchObject({ message: expect.stringMatching(/in shutdown window order-78/) });
  });

  it('a stored push that cannot be used is an event naming the key, and the gateway runs on without it', async () => {
    const store = await openStore();
    await store.putRuntimeState(CLOUD_WINDOWS_STATE_KEY, JSON.stringify({ windows: [{ id: 'bad', start: 'tomorrow', end: 'later' }] }));
    const g = await gateway(['pm-1'], { shutdown: true, store });
    expect(g.events.find((e) => e.type === 'electricity.fault')).toMatchObject({ data: { key: CLOUD_WINDOWS_STATE_KEY }, message: expect.stringMatching(/were ignored/) });
    g.poll(['pm-1']);
    g.run(cst(10, 31), ['pm-1']);
    expect(g.delivered.some((r) => r.point === ENERGY_INTERVAL_POINT)).toBe(true);
  });
});
