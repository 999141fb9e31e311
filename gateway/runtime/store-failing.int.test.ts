import { describe, expect, it } from 'vitest';
import { VigilError } from '../errors.js';
import { MemoryStore } from '../store/index.js';
import type { GatewayEvent, Store } from '../store/store.js';
import type { Reading, StoredReading } from '../readings.js';
import { waitUntil } from '../forward/testing/broker.js';
import { siteWithBroker } from './testing/site-under-test.js';

/** A working store that can be made to refuse every commit, as a full disk would. */
class FailingStore extends MemoryStore {
  failing = false;
  /** Commit attempts (readings and events), to see that nothing keeps trying after stop(). */
  attempts = 0;
  override async appendReadings(readings: readonly Reading[]): Promise<StoredReading[]> {
    this.attempts++;
    if (this.failing) throw new VigilError('STORE_FULL', 'store: database or disk is full');
    return super.appendReadings(readings);
  }
  override async appendEvents(events: readonly GatewayEvent[]) {
    this.attempts++;
    if (this.failing) throw new VigilError('STORE_FULL', 'store: database or disk is full');
    return super.appendEvents(events);
  }
}

/**
 * The store cannot commit for longer than the gateway can hold readings in memory: the
 * readings it has to drop are counted in /metrics and reported to the cloud as a fault once
 * the store takes events again — never a silent hole in the record.
 */
describe('store failing for a long time', () => {
  it('counts the readings it had to drop and reports them as a store.dropped fault', async () => {
    const { broker, site } = await siteWithBroker({ pollMs: 100 });
    const store = new FailingStore({ budgetBytes: 16_777_216 });
    const gw = await site.startGateway({ storeFactory: () => store as Store, ingestMaxPending: 50 });
    await waitUntil(() => gw.points.snapshot().some((p) => p.quality === 'good'), 5_000, 'first readings');
    store.failing = true;

    const metric = async () => {
      const text = await (await fetch(`${gw.apiUrl}/metrics`)).text();
      return Number(/^vigil_readings_dropped_total (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const deadline = Date.now() + 10_000;
    while ((await metric()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await metric()).toBeGreaterThan(0);
    const health = (await (await fetch(`${gw.apiUrl}/api/health`)).json()) as { status: string; outbox: { error?: string } };
    expect(health.outbox.error).toContain('disk is full');
    expect(health.status).toBe('fault');

    store.failing = false;
    const [msg] = await broker.waitForPublished((m) => m.topic.endsWith('/events') && m.text().includes('"store.dropped"'), { timeoutMs: 15_000 });
    const event = msg!.json<{ events: { type: string; severity: string; data: { total: number } }[] }>().events.find((e) => e.type === 'store.dropped');
    expect(event?.severity).toBe('fault');
    expect(event?.data.total).toBeGreaterThan(0);
  });

  it('stops promptly while the store refuses every commit, instead of retrying forever', async () => {
    const { site } = await siteWithBroker({ pollMs: 100 });
    const store = new FailingStore({ budgetBytes: 16_777_216 });
    const gw = await site.startGateway({ storeFactory: () => store as Store });
    await waitUntil(() => gw.points.snapshot().some((p) => p.quality === 'good'), 5_000, 'first readings');
    store.failing = true;
    gw.emitEvent({ type: 'test.event', severity: 'info', ts: Date.now(), clockTrusted: true, message: 'cannot be committed' });
    await new Promise((r) => setTimeout(r, 300)); // the event flush is now in its retry loop
    const started = Date.now();
    await gw.stop();
    expect(Date.now() - started).toBeLessThan(3_000);
    // and nothing goes on retrying behind it (that would keep the process alive)
    const after = store.attempts;
    await new Promise((r) => setTimeout(r, 2_500));
    expect(store.attempts).toBe(after);
  });
});
