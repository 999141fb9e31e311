import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { waitUntil } from '../forward/testing/broker.js';
import { siteWithBroker } from './testing/site-under-test.js';
import { missingSeqs, publishedSeqs } from './testing/collect.js';

/**
 * The store's worker thread dies (native crash, OOM) on the gateway's first commit. The gateway
 * must show it (health), start a new worker, and commit the readings it was holding — polling
 * never stops, nothing is lost.
 */
describe('store worker dies under a running gateway', () => {
  afterEach(() => {
    delete process.env.VIGIL_TEST_CRASH_MARKER;
  });

  it('restarts the worker and delivers every reading, with no gap in the sequence', async () => {
    const { broker, site } = await siteWithBroker({ pollMs: 200 });
    process.env.VIGIL_TEST_CRASH_MARKER = join(site.dir, 'crashed');
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', destination: { write: (l: string) => void lines.push(l) } as never });
    const gw = await site.startGateway({ logger, storeWorkerUrl: new URL('./testing/crash-once-worker.mjs', import.meta.url) });

    await waitUntil(() => lines.some((l) => l.includes('store worker died')), 5_000, 'the worker crash to be noticed');
    await waitUntil(() => lines.some((l) => l.includes('store worker restarted')), 10_000, 'the worker restart');
    // readings polled while the worker was down were held and are committed now
    await waitUntil(() => publishedSeqs(broker.published).size > 100, 15_000, 'readings after the restart');
    await gw.drain();
    const last = (await gw.store.stats()).lastSeq;
    await waitUntil(() => missingSeqs(publishedSeqs(broker.published), last).length === 0, 15_000, 'a gap-free sequence');
    expect(missingSeqs(publishedSeqs(broker.published), last)).toEqual([]);
    // gas-1's very first poll (taken before the crash) still reached the cloud
    const firstGas = broker.published.find((m) => m.topic.endsWith('/telemetry') && m.text().includes('"gas-1"'));
    expect(firstGas).toBeDefined();
    const health = (await (await fetch(`${gw.apiUrl}/api/health`)).json()) as { outbox: { error?: string } };
    expect(health.outbox.error).toBeUndefined();
  });
});
