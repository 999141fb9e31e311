import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import type { EnergyFlag, EnergyRecord } from './energy-record.js';
import { LocalTime } from './local-time.js';
import { ShutdownCalendar } from './shutdown-calendar.js';
import { ShutdownMonitor, type ShutdownMonitorOptions } from './shutdown-monitor.js';

const MIN = 60_000;
/** Wall time in China (UTC+8) on 2026-11-23, as epoch ms. */
const cst = (h: number, m = 0, day = 23): number => Date.UTC(2026, 10, day, h - 8, m);
const local = new LocalTime('Asia/Shanghai');

function setup(opts: Partial<ShutdownMonitorOptions> = {}, start = cst(21)) {
  const clock = new FakeClock({ wall: start });
  const calendar = new ShutdownCalendar([{ name: 'night', cron: '0 22 * * *', durationMinutes: 8 * 60 }], [], local);
  const events: GatewayEvent[] = [];
  const monitor = new ShutdownMonitor({ clock, calendar, local, site: { kWhPerInterval: 2 }, emit: (e) => events.push(e), ...opts });
  return { clock, calendar, monitor, events };
}

function rec(start: number, kWh: number | null, flags: EnergyFlag[] = [], meter = 'site', clockTrusted = true): EnergyRecord {
  return { meter, start, end: start + 15 * MIN, kWh, complete: flags.length === 0, clockTrusted, flags, ...(meter === 'site' ? { missing: [] } : {}) };
}

describe('ShutdownMonitor: energy per quarter hour', () => {
  it('raises production-during-shutdown for a quarter hour inside the window above the floor', () => {
    const { monitor, events } = setup();
    monitor.onRecord(rec(cst(23), 5.5));
    expect(events).toEqual([
      {
        type: 'electricity.production-during-shutdown',
        severity: 'warning',
        ts: cst(21),
        clockTrusted: true,
        message: 'production during shutdown: the site used 5.5 kWh in the quarter hour from 2026-11-23 23:00 (UTC+08:00), above the floor of 2 kWh, in shutdown window night',
        data: {
          subject: 'site',
          basis: 'energy',
          interval: { start: cst(23), end: cst(23, 15) },
          kWh: 5.5,
          floorKWh: 2,
          complete: true,
          flags: [],
          window: { id: `night@${new Date(cst(22)).toISOString()}`, name: 'night', source: 'schedule', start: cst(22), end: cst(6, 0, 24) },
        },
      },
    ]);
  });

  it('does not raise at or below the floor, or outside the window', () => {
    const { monitor, events } = setup();
    monitor.onRecord(rec(cst(23), 2)); // at the floor is allowed
    monitor.onRecord(rec(cst(20), 80)); // a working evening
    expect(events).toEqual([]);
  });

  it('judges exactly the quarter hours inside the window: 22:00–22:15 and 05:45–06:00 yes, 21:45 and 06:00 no', () => {
    const { monitor, events } = setup();
    for (const start of [cst(21, 45), cst(22), cst(5, 45, 24), cst(6, 0, 24)]) monitor.onRecord(rec(start, 50));
    expect(events.map((e) => (e.data!.interval as { start: number }).start)).toEqual([cst(22), cst(5, 45, 24)]);
  });

  it('does not judge a quarter hour only partly inside a window by its energy', () => {
    const { monitor, calendar, events } = setup({}, cst(9));
    calendar.setCloudWindows([{ id: 'order-9', start: cst(10, 5), end: cst(12) }]);
    monitor.onRecord(rec(cst(10), 50)); // 10:00–10:05 was before the order
    monitor.onRecord(rec(cst(10, 15), 50));
    expect(events.map((e) => (e.data!.interval as { start: number }).start)).toEqual([cst(10, 15)]);
  });

  it('raises once per quarter hour and subject', () => {
    const { monitor, events } = setup({ meters: { 'pm-1': { kWhPerInterval: 1 } } });
    monitor.onRecord(rec(cst(23), 5, [], 'pm-1'));
    monitor.onRecord(rec(cst(23), 5, [], 'pm-1'));
    monitor.onRecord(rec(cst(23), 5));
    expect(events.map((e) => [e.data!.subject, e.device])).toEqual([
      ['pm-1', 'pm-1'],
      ['site', undefined],
    ]);
  });

  it('an estimate (a silent meter’s backlog spread over the window) never raises; an under-count above the floor does', () => {
    const { monitor, events } = setup();
    monitor.onRecord(rec(cst(23), 30, ['gap']));
    monitor.onRecord(rec(cst(23, 15), 30, ['clock-jump']));
    monitor.onRecord({ ...rec(cst(23, 30), 3, ['meters-missing']), missing: ['pm-2'] });
    expect(events.map((e) => (e.data!.interval as { start: number }).start)).toEqual([cst(23, 30)]);
  });

  it('says when the clock behind the record was not trusted', () => {
    const { monitor, events } = setup();
    monitor.onRecord(rec(cst(23), 9, [], 'site', false));
    expect(events[0]).toMatchObject({ clockTrusted: false, message: expect.stringContaining('gateway clock not trusted') });
  });
});

describe('ShutdownMonitor: live power', () => {
  it('raises when a meter stays above its kW floor for the hold time, not for a short start-up surge', () => {
    const { monitor, clock, events } = setup({ site: {}, meters: { 'pm-1': { kW: 10 } }, powerHoldMs: 60_000 }, cst(23));
    const power = (kW: number) => monitor.onPower('pm-1', kW, clock.now(), true);
    power(40);
    clock.advance(30_000);
    power(40);
    clock.advance(10_000);
    power(3); // the surge was over
    clock.advance(10_000);
    power(25);
    clock.advance(50_000);
    power(25);
    expect(events).toEqual([]);
    clock.advance(10_000);
    power(25); // 60 s above since 23:00:50
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ device: 'pm-1', data: { basis: 'power', kW: 25, floorKW: 10, heldMs: 60_000, interval: { start: cst(23), end: cst(23, 15) } } });
    clock.advance(5 * MIN);
    power(25);
    expect(events).toHaveLength(1); // once per quarter hour
    clock.advance(10 * MIN);
    power(25);
    expect(events).toHaveLength(2); // 23:16: the next quarter hour
  });

  it('does not judge live power outside a window', () => {
    const { monitor, clock, events } = setup({ meters: { 'pm-1': { kW: 10 } }, powerHoldMs: 0 }, cst(20));
    monitor.onPower('pm-1', 500, clock.now(), true);
    expect(events).toEqual([]);
  });

  it('sums the site’s power only while every meter’s value is fresh', () => {
    const { monitor, clock, events } = setup({ site: { kW: 10 }, powerMeters: ['pm-1', 'pm-2'], powerHoldMs: 0, powerMaxAgeMs: 60_000 }, cst(23));
    monitor.onPower('pm-1', 6, clock.now(), true);
    expect(events).toEqual([]); // pm-2 unknown yet
    clock.advance(61_000);
    monitor.onPower('pm-2', 6, clock.now(), true);
    expect(events).toEqual([]); // pm-1's 6 kW is 61 s old
    monitor.onPower('pm-1', 6, clock.now(), true);
    expect(events).toEqual([expect.objectContaining({ data: expect.objectContaining({ subject: 'site', basis: 'power', kW: 12, floorKW: 10 }) })]);
  });

  it('a power event and the energy record of the same quarter hour make one event', () => {
    const { monitor, clock, events } = setup({ site: { kWhPerInterval: 2, kW: 10 }, powerMeters: ['pm-1'], powerHoldMs: 0 }, cst(23, 5));
    monitor.onPower('pm-1', 30, clock.now(), true);
    monitor.onRecord(rec(cst(23), 7.5));
    expect(events).toHaveLength(1);
  });
});

describe('ShutdownMonitor: summary at the end of a window', () => {
  function oneHourOrder(kWh: (start: number) => number | undefined, flags: EnergyFlag[] = []) {
    const s = setup({ settleMs: 5 * MIN }, cst(9, 50));
    s.calendar.setCloudWindows([{ id: 'order-9', start: cst(10), end: cst(11) }]);
    for (let m = 0; m < 60; m += 15) {
      const kw = kWh(cst(10, m));
      if (kw !== undefined) s.monitor.onRecord(rec(cst(10, m), kw, flags));
    }
    s.clock.setWall(cst(11, 4));
    s.monitor.tick();
    const before = s.events.length;
    s.clock.setWall(cst(11, 5));
    s.monitor.tick();
    s.monitor.tick();
    return { summaries: s.events.slice(before), before };
  }

  it('respected: every quarter hour measured at or below the floor', () => {
    const { summaries, before } = oneHourOrder(() => 1.5);
    expect(before).toBe(0); // nothing until the window ended + settle time
    expect(summaries).toEqual([
      expect.objectContaining({
        type: 'electricity.shutdown-respected',
        severity: 'info',
        data: expect.objectContaining({ subjects: [{ subject: 'site', quarterHours: 4, ok: 4, exceeded: 0, unverified: 0 }] }),
      }),
    ]);
  });

  it('violated: a quarter hour above the floor', () => {
    const { summaries } = oneHourOrder((s) => (s === cst(10, 30) ? 9 : 1));
    expect(summaries).toEqual([expect.objectContaining({ type: 'electricity.shutdown-violated', severity: 'warning', data: expect.objectContaining({ subjects: [expect.objectContaining({ exceeded: 1, ok: 3 })] }) })]);
  });

  it('violated: a production event on live power (a kW-only floor) makes the window violated, never respected', () => {
    const s = setup({ settleMs: 5 * MIN, site: {}, meters: { 'pm-1': { kW: 10 } }, powerHoldMs: 60_000 }, cst(9, 50));
    s.calendar.setCloudWindows([{ id: 'order-9', start: cst(10), end: cst(11) }]);
    s.clock.setWall(cst(10, 20));
    s.monitor.onPower('pm-1', 25, s.clock.now(), true);
    s.clock.advance(61_000);
    s.monitor.onPower('pm-1', 25, s.clock.now(), true);
    expect(s.events.map((e) => e.type)).toEqual(['electricity.production-during-shutdown']);
    s.clock.setWall(cst(11, 5));
    s.monitor.tick();
    expect(s.events.at(-1)).toMatchObject({ type: 'electricity.shutdown-violated', data: expect.objectContaining({ subjects: [expect.objectContaining({ subject: 'pm-1', exceeded: 1 })] }) });
  });

  it('unverified: a quarter hour with no record, or only an estimate, is not taken as respected', () => {
    const missing = oneHourOrder((s) => (s === cst(10, 30) ? undefined : 1)); // no record came for 10:30
    expect(missing.summaries).toEqual([expect.objectContaining({ type: 'electricity.shutdown-unverified', data: expect.objectContaining({ subjects: [expect.objectContaining({ ok: 3, unverified: 1 })] }) })]);
    const estimated = oneHourOrder(() => 1, ['gap']);
    expect(estimated.summaries).toEqual([expect.objectContaining({ type: 'electricity.shutdown-unverified' })]);
  });
});
