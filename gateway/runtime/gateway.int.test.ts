import { afterEach, describe, expect, it } from 'vitest';
import { startBroker, waitUntil, type TestBroker } from '../forward/testing/broker.js';
import { startSiteUnderTest, type SiteUnderTest } from './testing/site-under-test.js';
import { missingSeqs, publishedSeqs, telemetryReadings } from './testing/collect.js';

/**
 * The gateway end to end on the virtual rig: simulated RTU and TCP devices → poll → SQLite
 * (worker thread) → MQTT → a real broker (aedes on 127.0.0.1). Requires the compiled build
 * (the store's worker runs from dist/); `npm test` builds first.
 */
describe('gateway on the virtual rig', () => {
  let broker: TestBroker | undefined;
  let site: SiteUnderTest | undefined;
  afterEach(async () => {
    await site?.stop();
    await broker?.stop();
    site = undefined;
    broker = undefined;
  });

  it('delivers readings from RTU and TCP devices to the broker with their values, units and sequence numbers', async () => {
    broker = await startBroker();
    site = await startSiteUnderTest(broker.url);
    await site.startGateway();
    await waitUntil(() => new Set(telemetryReadings(broker!.published).map((r) => r.device)).size === 4, 10_000, 'readings from all four devices');

    const readings = telemetryReadings(broker.published);
    const latest = (device: string, point: string) => readings.filter((r) => r.device === device && r.point === point).at(-1);
    expect(latest('gas-1', 'gas_lel')).toMatchObject({ value: 12.5, quality: 'good' });
    expect(latest('gas-2', 'gas_lel')).toMatchObject({ value: 3.1, quality: 'good' });
    expect(latest('gas-1', 'status')).toMatchObject({ value: 'normal', quality: 'good' });
    expect(latest('co-1', 'co_ppm')).toMatchObject({ value: 9, quality: 'good' });
    // seqs are unique and increase within a stream
    const seqs = readings.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);

    // a value changed on the device shows up at the cloud
    site.rig.device('gas-2').set('gas_lel', 27.5);
    await waitUntil(() => telemetryReadings(broker!.published).some((r) => r.device === 'gas-2' && r.value === 27.5), 5_000, 'the changed gas-2 value');

    // the birth message is retained on the state topic
    const birth = broker.published.find((m) => m.topic === 'vigil/test-plant/gw-test/state');
    expect(birth?.retain).toBe(true);
    expect(birth?.json()).toMatchObject({ state: 'online' });
  });

  it('loses nothing while the broker is down: every committed reading arrives after it returns, backlog marked historical', async () => {
    broker = await startBroker();
    site = await startSiteUnderTest(broker.url);
    const gw = await site.startGateway();
    await waitUntil(() => telemetryReadings(broker!.published).length > 20, 10_000, 'first readings');

    await broker.stop();
    const before = (await gw.store.stats()).lastSeq;
    await waitUntil(() => gw.points.snapshot().length > 0, 1_000, 'points');
    // keep polling during the outage; readings pile up in SQLite
    await new Promise((r) => setTimeout(r, 2_500));
    const duringOutage = (await gw.store.stats()).lastSeq;
    expect(duringOutage - before).toBeGreaterThan(50);
    expect((await gw.store.stats()).depth.telemetry).toBeGreaterThan(50);

    await broker.start();
    await waitUntil(() => publishedSeqs(broker!.published).has(duringOutage), 15_000, 'the backlog to reach the broker');
    const outageReadings = telemetryReadings(broker.published).filter((r) => r.seq > before && r.seq <= duringOutage);
    expect(outageReadings.length).toBeGreaterThan(0);
    expect(outageReadings.every((r) => r.historical)).toBe(true);
    // afterwards live data flows again, not historical
    const after = (await gw.store.stats()).lastSeq;
    await waitUntil(() => telemetryReadings(broker!.published).some((r) => r.seq > after && !r.historical), 5_000, 'live readings after the outage');
    await gw.drain();
    const last = (await gw.store.stats()).lastSeq;
    await waitUntil(() => missingSeqs(publishedSeqs(broker!.published), last).length === 0, 15_000, 'every seq up to the last committed');
    expect(missingSeqs(publishedSeqs(broker.published), last)).toEqual([]);
  });

  it('keeps reading the other devices at full rate while one slave on the bus is dead, and reports the dead one', async () => {
    broker = await startBroker();
    site = await startSiteUnderTest(broker.url, { pollMs: 250, timeoutMs: 150 });
    const gw = await site.startGateway();
    await waitUntil(() => gw.points.snapshot().length > 0, 5_000, 'first readings');
    site.rig.inject('gas-2', 'dead');

    // The dead slave costs timeout × attempts until it is backed off; then gas-1 and gas-3 are polled on time.
    await new Promise((r) => setTimeout(r, 1_500));
    const countFrom = telemetryReadings(broker.published).length;
    const windowStart = Date.now();
    await new Promise((r) => setTimeout(r, 3_000));
    const window = telemetryReadings(broker.published).slice(countFrom);
    const seconds = (Date.now() - windowStart) / 1_000;
    const goodPolls = (device: string) => window.filter((r) => r.device === device && r.point === 'gas_lel' && r.quality === 'good').length;
    // 4 polls/s at pollMs 250; allow for scheduling noise but far above a stalled bus (≈1/s when every cycle waits 2 × 150 ms)
    expect(goodPolls('gas-1') / seconds).toBeGreaterThan(3);
    expect(goodPolls('gas-3') / seconds).toBeGreaterThan(3);
    expect(goodPolls('gas-2')).toBe(0);

    const health = (await (await fetch(`${gw.apiUrl}/api/health`)).json()) as { status: string; devices: { name: string; state: string }[] };
    expect(health.devices.find((d) => d.name === 'gas-2')?.state).toMatch(/comm-fault|backed-off/);
    expect(health.devices.find((d) => d.name === 'gas-1')?.state).toBe('ok');
    expect(health.status).not.toBe('ok');
    // the outage is an event for the cloud, and the dead device's points carry comm-fault, never silence
    await waitUntil(() => broker!.published.some((m) => m.topic.endsWith('/events') && m.text().includes('"device.comm-fault"')), 5_000, 'a device.comm-fault event');
    expect(telemetryReadings(broker.published).some((r) => r.device === 'gas-2' && r.quality === 'comm-fault')).toBe(true);

    site.rig.clear('gas-2');
    await waitUntil(() => broker!.published.some((m) => m.topic.endsWith('/events') && m.text().includes('"device.recovered"')), 15_000, 'a device.recovered event');
  });
});
