import type { MqttClient } from 'mqtt';
import { connect } from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import { MqttForwarder } from './mqtt-forwarder.js';
import type { MqttForwarderOptions } from './mqtt-forwarder.js';
import { EventsPayloadSchema, StatePayloadSchema, TelemetryPayloadSchema } from './payloads.js';
import type { EventsPayload, StatePayload, TelemetryPayload } from './payloads.js';
import { startBroker, subscribe, waitUntil } from './testing/broker.js';
import type { BrokerMessage, Subscriber, TestBroker } from './testing/broker.js';
import { gatewayEvent, mqttConfig, readings, realClock } from './testing/fixtures.js';

// Real aedes broker on 127.0.0.1 (port 0), real mqtt.js client, MemoryStore with the SQLite
// store's semantics. Every payload that crosses the broker is parsed with the published schema.

const SITE = 'plant-7';
const GW = 'gw-a';
const BASE = `vigil/${SITE}/${GW}`;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function broker(): Promise<TestBroker> {
  const b = await startBroker();
  cleanups.push(() => b.stop());
  return b;
}

async function sub(url: string, topic = `${BASE}/#`): Promise<Subscriber> {
  const s = await subscribe(url, topic);
  cleanups.push(() => s.close());
  return s;
}

async function store(): Promise<MemoryStore> {
  const s = new MemoryStore({ budgetBytes: 64 * 1024 * 1024 });
  await s.open();
  return s;
}

interface Harness {
  fwd: MqttForwarder;
  /** The mqtt.js client of the forwarder (to kill its socket). */
  client(): MqttClient;
}

function forwarder(b: TestBroker, st: MemoryStore, over: Partial<MqttForwarderOptions> = {}, mqtt: Partial<MqttForwarderOptions['mqtt']> = {}): Harness {
  let client: MqttClient | null = null;
  const fwd = new MqttForwarder({
    mqtt: mqttConfig(b.url, mqtt),
    siteId: SITE,
    gatewayId: GW,
    store: st,
    clock: realClock,
    version: '0.1.0-test',
    connect: (url, opts) => (client = connect(url, opts)),
    ...over,
  });
  cleanups.push(() => fwd.stop());
  return {
    fwd,
    client: () => {
      if (client === null) throw new Error('forwarder has no client yet');
      return client;
    },
  };
}

const isTelemetry = (m: BrokerMessage): boolean => m.topic === `${BASE}/telemetry`;
const isEvents = (m: BrokerMessage): boolean => m.topic === `${BASE}/events`;
const isState = (m: BrokerMessage): boolean => m.topic === `${BASE}/state`;
const telemetry = (m: BrokerMessage): TelemetryPayload => TelemetryPayloadSchema.parse(m.json());
const events = (m: BrokerMessage): EventsPayload => EventsPayloadSchema.parse(m.json());
const state = (m: BrokerMessage): StatePayload => StatePayloadSchema.parse(m.json());
const seqsOf = (ms: BrokerMessage[]): number[] => ms.filter(isTelemetry).flatMap((m) => telemetry(m).readings.map((r) => r.seq));

async function depth(st: MemoryStore): Promise<number> {
  const s = await st.stats();
  return s.depth.telemetry + s.depth.event;
}

describe('MqttForwarder against a real broker', () => {
  it('delivers readings in seq order, in batches of at most batchSize, and empties the store', async () => {
    const b = await broker();
    const s = await sub(b.url);
    const st = await store();
    const { fwd } = forwarder(b, st, {}, { batchSize: 10 });
    fwd.start();
    await waitUntil(() => fwd.status().connected && fwd.status().boundarySeq !== null, 5_000, 'connect');

    const stored = await st.appendReadings(readings(25));
    fwd.notify();

    const msgs = await s.waitFor(isTelemetry, { count: 3 });
    expect(msgs.map((m) => telemetry(m).readings.length)).toEqual([10, 10, 5]);
    expect(seqsOf(msgs)).toEqual(stored.map((r) => r.seq));
    const first = telemetry(msgs[0]!);
    expect(first).toMatchObject({ v: 1, site: SITE, gateway: GW, historical: false });
    expect(first.readings[0]).toEqual({
      seq: stored[0]!.seq,
      device: 'gd-01',
      point: 'lel',
      value: 0,
      unit: '%LEL',
      quality: 'good',
      ts: stored[0]!.ts,
      clockTrusted: true,
    });
    expect(msgs.every((m) => m.qos === 1 && !m.retain)).toBe(true);
    await waitUntil(() => fwd.status().sentTotal.telemetry === 25, 5_000, 'all acknowledged');
    expect(await depth(st)).toBe(0);
    expect(fwd.status()).toMatchObject({ inflight: 0, duplicatesRisked: 0, publishedTotal: { telemetry: 25, event: 0 } });
  });

  it('deletes nothing from the store until the PUBACK arrives; a broker dying before it loses nothing', async () => {
    const b = await broker();
    const st = await store();
    const { fwd } = forwarder(b, st, {}, { batchSize: 10, inflight: 2 });
    fwd.start();
    await waitUntil(() => fwd.status().boundarySeq !== null, 5_000, 'connect');

    b.holdAcks();
    const stored = await st.appendReadings(readings(30));
    fwd.notify();
    await waitUntil(() => fwd.status().inflight === 2, 5_000, 'two messages in flight');
    expect(await depth(st)).toBe(30);

    await b.stop(); // the PUBACKs never come
    await waitUntil(() => !fwd.status().connected, 5_000, 'disconnect noticed');
    expect(await depth(st)).toBe(30);
    expect(fwd.status().sentTotal.telemetry).toBe(0);
    expect(fwd.status().duplicatesRisked).toBe(20); // 2 messages × 10 records were in flight

    b.releaseAcks(); // the restarted broker acknowledges normally
    await b.start();
    await waitUntil(() => fwd.status().sentTotal.telemetry === 30, 10_000, 'redelivery after restart');
    expect(await depth(st)).toBe(0);
    // The held publishes were never accepted, so each record reached the broker exactly once.
    expect(seqsOf(b.published)).toEqual(stored.map((r) => r.seq));
  });

  it('after an outage sends live readings ahead of the historical backlog and loses none', async () => {
    const b = await broker();
    const st = await store();
    const { fwd } = forwarder(b, st, {}, { batchSize: 10, inflight: 2, reconnect: { initialMs: 50, maxMs: 100 } });
    fwd.start();
    await waitUntil(() => fwd.status().boundarySeq !== null, 5_000, 'connect');
    const before = await st.appendReadings(readings(20));
    fwd.notify();
    await waitUntil(() => fwd.status().sentTotal.telemetry === 20, 5_000, 'pre-outage readings');

    await b.stop();
    await waitUntil(() => !fwd.status().connected, 5_000, 'disconnect noticed');
    const during = await st.appendReadings(readings(50, 20)); // the gap
    fwd.notify();

    b.holdAcks(); // keep the first backlog messages in flight so live data can overtake the rest
    await b.start();
    await waitUntil(() => fwd.status().connected && fwd.status().inflight === 2, 10_000, 'reconnect with backlog in flight');
    expect(fwd.status().boundarySeq).toBe(during.at(-1)!.seq);
    const after = await st.appendReadings(readings(5, 70)); // "now" values
    fwd.notify();
    b.releaseAcks();
    await waitUntil(() => fwd.status().sentTotal.telemetry === 75, 10_000, 'backlog drained');
    expect(await depth(st)).toBe(0);

    const afterOutage = b.published.filter(isTelemetry).slice(2); // the two pre-outage messages first
    const payloads = afterOutage.map(telemetry);
    // Every record of the gap and after it arrived; the backlog is marked historical, live is not.
    const got = payloads.flatMap((p) => p.readings.map((r) => r.seq)).sort((x, y) => x - y);
    expect(got).toEqual([...during, ...after].map((r) => r.seq));
    for (const p of payloads) {
      const liveSeqs = p.readings.every((r) => r.seq > during.at(-1)!.seq);
      expect(p.historical).toBe(!liveSeqs);
    }
    // Live went out right behind the two backlog messages that were already in flight, ahead of the other three.
    expect(payloads.map((p) => p.historical)).toEqual([true, true, false, true, true, true]);
    // The backlog itself is in seq order.
    const backlog = payloads.filter((p) => p.historical).flatMap((p) => p.readings.map((r) => r.seq));
    expect(backlog).toEqual(during.map((r) => r.seq));
    expect(seqsOf(b.published.filter(isTelemetry).slice(0, 2))).toEqual(before.map((r) => r.seq));
  });

  it('sends waiting events before waiting telemetry, and live events unmarked', async () => {
    const b = await broker();
    const s = await sub(b.url);
    const st = await store();
    // Committed before the forwarder connects: telemetry has the lower seqs.
    const rs = await st.appendReadings(readings(12));
    const evs = await st.appendEvents([
      gatewayEvent('device.comm-fault', { device: 'gd-01', data: { bus: 'rs485-1' } }),
      gatewayEvent('store.evicted', { severity: 'warning' }),
    ]);
    const { fwd } = forwarder(b, st, {}, { batchSize: 5, inflight: 1 });
    fwd.start();
    await s.waitFor(isTelemetry, { count: 3 });

    const data = s.messages.filter((m) => !isState(m));
    expect(data[0]!.topic).toBe(`${BASE}/events`);
    const ev = events(data[0]!);
    expect(ev.historical).toBe(true);
    expect(ev.events.map((e) => e.seq)).toEqual(evs.map((e) => e.seq));
    expect(ev.events[0]).toMatchObject({ type: 'device.comm-fault', severity: 'fault', device: 'gd-01', data: { bus: 'rs485-1' } });
    expect(seqsOf(data)).toEqual(rs.map((r) => r.seq));

    const [live] = await st.appendEvents([gatewayEvent('device.recovered', { severity: 'info' })]);
    fwd.notify();
    const [m] = await s.waitFor((x) => isEvents(x) && events(x).events[0]!.seq === live!.seq);
    expect(events(m!).historical).toBe(false);
    await waitUntil(() => fwd.status().sentTotal.event === 3, 5_000, 'events acknowledged');
    expect((await st.stats()).depth.event).toBe(0);
  });

  it('publishes a retained birth, the last will when the socket dies, a new birth, and offline on stop()', async () => {
    const b = await broker();
    const s = await sub(b.url, `${BASE}/state`);
    const st = await store();
    const h = forwarder(b, st, { initialBdSeq: 7 });
    h.fwd.start();

    const [birth] = await s.waitFor(isState);
    expect(birth!.retain).toBe(false); // live delivery to an existing subscriber
    expect(state(birth!)).toMatchObject({ v: 1, site: SITE, gateway: GW, state: 'online', bdSeq: 7, clockTrusted: true, version: '0.1.0-test' });
    // A consumer that subscribes later still learns the state: it is retained.
    const late = await sub(b.url, `${BASE}/state`);
    const [retained] = await late.waitFor(isState);
    expect(retained!.retain).toBe(true);
    expect(state(retained!)).toMatchObject({ state: 'online', bdSeq: 7 });

    h.client().stream.destroy(); // the network dies under the client: no DISCONNECT
    const [, death, rebirth] = await s.waitFor(isState, { count: 3 });
    expect(state(death!)).toEqual({ v: 1, site: SITE, gateway: GW, state: 'offline', bdSeq: 7, reason: 'connection-lost' });
    expect(state(rebirth!)).toMatchObject({ state: 'online', bdSeq: 8 });
    expect(h.fwd.status()).toMatchObject({ connected: true, connects: 2, bdSeq: 8 });

    await h.fwd.stop();
    const [, , , bye] = await s.waitFor(isState, { count: 4 });
    expect(state(bye!)).toMatchObject({ state: 'offline', bdSeq: 8, reason: 'shutdown' });
    expect(typeof (state(bye!) as { ts?: number }).ts).toBe('number');
    const later = await sub(b.url, `${BASE}/state`);
    const [kept] = await later.waitFor(isState);
    expect(kept!.retain).toBe(true);
    expect(state(kept!)).toMatchObject({ state: 'offline', reason: 'shutdown', bdSeq: 8 });
    // A clean stop is not a death: the broker did not publish the will as well.
    await new Promise((r) => setTimeout(r, 100));
    expect(s.messages.filter(isState)).toHaveLength(4);
  });

  it('grows the reconnect delay exponentially up to maxMs and resets it after a connect', async () => {
    const b = await broker();
    await b.stop(); // nobody listens on the port
    const st = await store();
    const delays: number[] = [];
    const h = forwarder(
      b,
      st,
      {
        random: () => 0,
        // Record the delay asked for, but run it at once: the test measures the schedule, not the clock.
        timers: {
          setTimeout: (fn, ms) => setTimeout(fn, ms >= 1_000 ? ms : 1),
          clearTimeout: (t) => clearTimeout(t as NodeJS.Timeout),
        },
      },
      { reconnect: { initialMs: 100, maxMs: 800 } },
    );
    h.fwd.on('reconnect-scheduled', (e) => delays.push(e.delayMs));
    h.fwd.start();
    await waitUntil(() => delays.length >= 6, 5_000, 'six failed attempts');
    expect(delays.slice(0, 6)).toEqual([100, 200, 400, 800, 800, 800]);
    expect(h.fwd.status().connected).toBe(false);
    expect(h.fwd.status().lastError?.message).toMatch(/ECONNREFUSED/);

    await b.start();
    await waitUntil(() => h.fwd.status().connected, 5_000, 'connect after the broker is back');
    expect(h.fwd.status().failedAttempts).toBe(0);
    delays.length = 0;
    await b.stop();
    await waitUntil(() => delays.length >= 2, 5_000, 'attempts after the second outage');
    expect(delays.slice(0, 2)).toEqual([100, 200]);
  });

  it('keeps at most `inflight` messages awaiting PUBACK', async () => {
    const b = await broker();
    const st = await store();
    const { fwd } = forwarder(b, st, {}, { batchSize: 5, inflight: 3 });
    let published = 0;
    fwd.on('published', (e) => (published += e.stream === 'telemetry' ? 1 : 0));
    fwd.start();
    await waitUntil(() => fwd.status().boundarySeq !== null, 5_000, 'connect');
    b.holdAcks();
    await st.appendReadings(readings(50));
    fwd.notify();
    await waitUntil(() => fwd.status().inflight === 3, 5_000, 'window full');
    await new Promise((r) => setTimeout(r, 100)); // give it the chance to overfill
    expect(published).toBe(3);
    expect(fwd.status().inflight).toBe(3);
    b.releaseAcks();
    await waitUntil(() => fwd.status().sentTotal.telemetry === 50, 5_000, 'drain');
    expect(published).toBe(10);
  });

  it('stop() with the broker unreachable resolves quickly and keeps every record', async () => {
    const b = await broker();
    await b.stop();
    const st = await store();
    await st.appendReadings(readings(5));
    const { fwd } = forwarder(b, st, { stopTimeoutMs: 500 });
    expect(() => fwd.start()).not.toThrow();
    await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    await expect(fwd.stop()).resolves.toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(await depth(st)).toBe(5);
    expect(fwd.status().connected).toBe(false);
  });

  it('a bad URL lands in status(), not in an exception', async () => {
    const st = await store();
    const fwd = new MqttForwarder({
      mqtt: mqttConfig('bogus://nowhere'),
      siteId: SITE,
      gatewayId: GW,
      store: st,
      clock: realClock,
    });
    cleanups.push(() => fwd.stop());
    expect(() => fwd.start()).not.toThrow();
    await waitUntil(() => fwd.status().lastError !== null, 2_000, 'an error');
    expect(fwd.status().lastError?.message).toMatch(/nowhere/);
    expect(fwd.status().connected).toBe(false);
  });

  it('drains a 20 000-reading backlog (reports the rate)', async () => {
    const b = await broker();
    const st = await store();
    const n = 20_000;
    for (let i = 0; i < n; i += 1_000) await st.appendReadings(readings(1_000, i));
    const { fwd } = forwarder(b, st, {}, { batchSize: 500, inflight: 16 });
    const t0 = performance.now();
    fwd.start();
    await waitUntil(() => fwd.status().sentTotal.telemetry === n, 30_000, 'backlog drained');
    const ms = performance.now() - t0;
    console.log(`[forwarder] drained ${n} readings in ${ms.toFixed(0)} ms → ${Math.round((n / ms) * 1000)} records/s`);
    expect(await depth(st)).toBe(0);
    const seqs = seqsOf(b.published);
    expect(seqs).toHaveLength(n);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(b.published.filter(isTelemetry).every((m) => telemetry(m).historical)).toBe(true);
  }, 40_000);
});
