import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { Reading } from '../../gateway/readings.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { memoryTransportPair, type ByteTransport } from '../serial/index.js';
import { SimulatedFirePanel } from '../../hil-tests/virtual-rig/fire-panel/simulated-panel.js';
import type { PanelConnector } from './connectors.js';
import { FirePanelLink } from './panel-link.js';

/** A connector handing out the gateway ends of in-memory pairs; `fail` makes the next opens reject. */
function memoryConnector() {
  const panelEnds: ByteTransport[] = [];
  let failures = 0;
  const connector: PanelConnector & { opens: number } = {
    description: 'memory',
    opens: 0,
    open: () => {
      connector.opens += 1;
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new Error('no such port'));
      }
      const [gateway, panel] = memoryTransportPair(['gateway', 'panel']);
      panelEnds.push(panel);
      return Promise.resolve(gateway);
    },
    close: () => Promise.resolve(),
  };
  return { connector, panelEnds, failNext: (n: number) => (failures = n) };
}

function setup(opts: { silenceTimeoutMs?: number } = {}) {
  const clock = new FakeClock();
  const batches: Reading[][] = [];
  const events: GatewayEvent[] = [];
  const mem = memoryConnector();
  const link = new FirePanelLink({ device: 'panel-1', connector: mem.connector, clock, onReadings: (r) => batches.push(r), onEvent: (e) => events.push(e), silenceTimeoutMs: opts.silenceTimeoutMs ?? 90_000, reconnect: { initialMs: 1_000, maxMs: 4_000 } });
  const last = (point: string): Reading | undefined => batches.flat().filter((r) => r.point === point).at(-1);
  return { clock, batches, events, mem, link, last };
}

const flush = () => new Promise((r) => setImmediate(r));

async function connectedPanel(s: ReturnType<typeof setup>): Promise<SimulatedFirePanel> {
  s.link.start();
  await flush();
  const panel = new SimulatedFirePanel({ replyTimeoutMs: 500 });
  panel.attach(s.mem.panelEnds.at(-1)!);
  return panel;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('FirePanelLink: exchange rules (in memory)', () => {
  it('confirms a component fire and puts any_fire true on the alarm path', async () => {
    const s = setup();
    const panel = await connectedPanel(s);
    expect(await panel.component({ componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感', flags: { fire: true } })).toBe('confirm');
    expect(s.last('any_fire')).toMatchObject({ device: 'panel-1', value: true, quality: 'good' });
    expect(s.last('c_1_1_3_12_fire')?.value).toBe(true);
    expect(s.events.find((e) => e.type === 'panel.component')?.data).toMatchObject({ description: '1号楼3层烟感', key: 'c_1_1_3_12' });
    expect(s.link.components()).toHaveLength(1);
    expect(s.link.counters()).toMatchObject({ frames: 1, confirmed: 1, denied: {}, connects: 1 });
    await s.link.stop();
  });

  it('confirms a heartbeat and re-states the aggregates', async () => {
    const s = setup();
    const panel = await connectedPanel(s);
    expect(await panel.heartbeat()).toBe('confirm');
    expect(s.last('any_fire')).toMatchObject({ value: false, quality: 'good' });
    expect(s.link.counters()).toMatchObject({ heartbeats: 1, confirmed: 1 });
    await s.link.stop();
  });

  it('denies a bad checksum, a bad end and a reserved type flag, counts each by reason, and keeps working', async () => {
    const s = setup();
    const panel = await connectedPanel(s);
    expect(await panel.corrupt('bad-checksum')).toBe('deny');
    expect(await panel.corrupt('bad-end')).toBe('deny');
    expect(await panel.corrupt('unknown-type')).toBe('deny');
    expect(await panel.component({ componentType: 42, zone: 3, position: 12, description: '烟感', flags: { fire: true } })).toBe('confirm');
    expect(s.link.counters()).toMatchObject({ confirmed: 1, denied: { 'bad-checksum': 1, 'bad-end': 1, 'unknown-type': 1 } });
    expect(panel.counters).toMatchObject({ confirmed: 1, denied: 3 });
    expect(s.last('any_fire')?.value).toBe(true);
    await s.link.stop();
  });

  it('cannot deny garbage (no header): counts it, and the frame behind it is confirmed', async () => {
    const s = setup();
    const panel = await connectedPanel(s);
    await panel.corrupt('garbage');
    expect(await panel.heartbeat()).toBe('confirm');
    const c = s.link.counters();
    expect(c.ignored['garbage']).toBeGreaterThanOrEqual(1);
    expect(c.denied).toEqual({});
    expect(c.confirmed).toBe(1);
    await s.link.stop();
  });

  it('counts frames from an unexpected address but still takes their data', async () => {
    const clock = new FakeClock();
    const got: Reading[] = [];
    const mem = memoryConnector();
    const link = new FirePanelLink({ device: 'p', connector: mem.connector, clock, onReadings: (r) => got.push(...r), panelAddress: 7 });
    link.start();
    await flush();
    const panel = new SimulatedFirePanel({ address: 1001 });
    panel.attach(mem.panelEnds[0]!);
    expect(await panel.component({ componentType: 42, zone: 1, position: 1, description: 'x', flags: { fire: true } })).toBe('confirm');
    expect(link.counters().addressMismatches).toBe(1);
    expect(got.find((r) => r.point === 'any_fire')?.value).toBe(true);
    await link.stop();
  });
});

describe('FirePanelLink: lost link, silence and reconnection (fake timers)', () => {
  it('a lost connection turns every point comm-fault (fire held, not cleared), reconnects after the backoff, and restates the last states', async () => {
    const s = setup();
    const panel = await connectedPanel(s);
    await panel.component({ componentType: 42, zone: 3, position: 12, description: '烟感', flags: { fire: true } });
    vi.useFakeTimers();
    await s.mem.panelEnds[0]!.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.last('any_fire')).toMatchObject({ quality: 'comm-fault', value: null });
    expect(s.last('c_1_1_3_12_fire')).toMatchObject({ quality: 'comm-fault', value: null });
    expect(s.events.filter((e) => e.type === 'panel.comm-fault')).toHaveLength(1);
    expect(s.mem.connector.opens).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(s.mem.connector.opens).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.mem.connector.opens).toBe(2);
    vi.useRealTimers();
    const again = new SimulatedFirePanel();
    again.attach(s.mem.panelEnds[1]!);
    expect(await again.heartbeat()).toBe('confirm');
    // The component the panel did not mention again is back with its last state.
    expect(s.last('c_1_1_3_12_fire')).toMatchObject({ quality: 'good', value: true });
    expect(s.last('any_fire')).toMatchObject({ quality: 'good', value: true });
    expect(s.events.map((e) => e.type)).toContain('panel.recovered');
    await s.link.stop();
  });

  it('backs off 1 s, 2 s, 4 s, 4 s while opens fail, with one comm fault for the whole outage', async () => {
    vi.useFakeTimers();
    const s = setup();
    s.mem.failNext(10);
    s.link.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.mem.connector.opens).toBe(1);
    const opensAfter = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      return s.mem.connector.opens;
    };
    expect(await opensAfter(1_000)).toBe(2);
    expect(await opensAfter(1_999)).toBe(2);
    expect(await opensAfter(1)).toBe(3);
    expect(await opensAfter(4_000)).toBe(4);
    expect(await opensAfter(4_000)).toBe(5);
    expect(s.link.counters()).toMatchObject({ connectFailures: 5, commFaults: 1, connects: 0 });
    expect(s.last('any_fire')).toMatchObject({ quality: 'comm-fault' });
    await s.link.stop();
  });

  it('a connected but silent panel is a comm fault after silenceTimeoutMs', async () => {
    vi.useFakeTimers();
    const s = setup({ silenceTimeoutMs: 30_000 });
    s.link.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(s.link.counters().connects).toBe(1);
    s.clock.advance(29_999);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(s.last('any_fire')).toBeUndefined();
    s.clock.advance(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.last('any_fire')).toMatchObject({ quality: 'comm-fault' });
    expect(s.events.find((e) => e.type === 'panel.comm-fault')?.message).toBe('panel-1: no valid frame for 30 s (limit 30 s)');
    await s.link.stop();
  });
});
