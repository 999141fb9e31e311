import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../store/index.js';
import { siteWithBroker } from './testing/site-under-test.js';

interface EventPayload {
  events: { seq: number; type: string; severity: string; data?: Record<string, unknown> }[];
}

/**
 * The byte budget during a long outage: telemetry is evicted oldest first and counted, the
 * eviction itself is reported to the cloud as an event, and events are never evicted.
 * The site file's budget has a 1 MiB floor, so the test store gets a tiny budget directly.
 */
describe('outbox budget reached during a broker outage', () => {
  it('evicts the oldest telemetry, counts it, and tells the cloud; the start-up event survives', async () => {
    const { broker, site } = await siteWithBroker({ pollMs: 100 });
    await broker.stop(); // the cloud is unreachable from the start
    const budgetBytes = 40_000; // ≈ 200 readings
    const gw = await site.startGateway({
      storeFactory: (path) => new SqliteStore({ path: join(site.dir, `small-${path.split('/').at(-1)}`), budgetBytes, durability: 'normal' }),
    });

    const evictedNow = async () => (await gw.store.stats()).evicted;
    const deadline = Date.now() + 15_000;
    while ((await evictedNow()) < 100 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const stats = await gw.store.stats();
    expect(stats.evicted).toBeGreaterThanOrEqual(100);
    expect(stats.bytes).toBeLessThanOrEqual(budgetBytes + 2_000);

    await broker.start();
    const [evictedMsg] = await broker.waitForPublished((m) => m.topic.endsWith('/events') && m.text().includes('"store.evicted"'), { timeoutMs: 15_000 });
    const evictedEvent = evictedMsg!.json<EventPayload>().events.find((e) => e.type === 'store.evicted');
    expect(evictedEvent?.severity).toBe('warning');
    expect(Number(evictedEvent?.data?.evicted)).toBeGreaterThan(0);
    // the gateway.started event was committed first of all, before any eviction — and still arrives
    const events = broker.published.filter((m) => m.topic.endsWith('/events')).flatMap((m) => m.json<EventPayload>().events);
    expect(events.some((e) => e.type === 'gateway.started')).toBe(true);
    // the telemetry that survived is the newest: the oldest seqs were the ones evicted
    const telemetrySeqs = broker.published.filter((m) => m.topic.endsWith('/telemetry')).flatMap((m) => m.json<{ readings: { seq: number }[] }>().readings.map((r) => r.seq));
    expect(Math.min(...telemetrySeqs)).toBeGreaterThan(stats.evicted / 2);
  });
});
