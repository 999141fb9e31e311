import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../../gateway/forward/testing/broker.js';
import { missingSeqs, publishedSeqs, telemetryReadings } from '../../gateway/runtime/testing/collect.js';
import { siteWithBroker } from '../../gateway/runtime/testing/site-under-test.js';
import { waitFor } from '../campaign/wait.js';

interface Health {
  devices: Array<{ name: string; state: string }>;
}

/**
 * A USB-RS485 adapter pulled out of a running gateway and pushed back in (rig.unplug/plug):
 * the RTU devices go to comm-fault — never silence — while the TCP device on the other bus keeps
 * reporting; once the adapter is back the gateway reopens the port by itself, readings resume,
 * and no committed reading is lost on the way.
 */
describe('RTU adapter unplugged and plugged back', () => {
  it('reports the RTU devices as faulted, keeps the TCP bus going, and recovers by itself', async () => {
    const { broker, site } = await siteWithBroker({ pollMs: 100, timeoutMs: 150 });
    const gw = await site.startGateway();
    const rtuPort = site.rig.buses['rs485-1'];
    if (rtuPort?.type !== 'rtu') throw new Error('test rig: rs485-1 is not an RTU bus');
    const good = (device: string, afterSeq = 0) => telemetryReadings(broker.published).some((r) => r.device === device && r.quality === 'good' && r.seq > afterSeq);
    await waitUntil(() => good('gas-1') && good('co-1'), 10_000, 'good readings from both buses');

    await site.rig.unplug('rs485-1');
    expect(existsSync(rtuPort.gatewayPort), 'the device path disappears with the adapter').toBe(false);
    const health = async () => (await (await fetch(`${gw.apiUrl}/api/health`)).json()) as Health;
    await waitFor(async () => (await health()).devices.find((d) => d.name === 'gas-1')?.state !== 'ok', 10_000, 'gas-1 to leave the ok state');
    await waitUntil(() => telemetryReadings(broker.published).some((r) => r.device === 'gas-1' && r.quality === 'comm-fault'), 10_000, 'comm-fault readings for gas-1');
    // the other bus is not affected: fresh good readings from the TCP detector during the outage
    const seqAtUnplug = (await gw.store.stats()).lastSeq;
    await waitUntil(() => good('co-1', seqAtUnplug), 5_000, 'co-1 readings while the RTU adapter is out');
    expect(good('gas-1', seqAtUnplug)).toBe(false);

    await site.rig.plug('rs485-1');
    expect(existsSync(rtuPort.gatewayPort)).toBe(true);
    const seqAtPlug = (await gw.store.stats()).lastSeq;
    await waitUntil(() => good('gas-1', seqAtPlug) && good('gas-3', seqAtPlug), 20_000, 'good RTU readings after the adapter is back');
    await waitFor(async () => (await health()).devices.every((d) => d.state === 'ok'), 20_000, 'every device ok again');

    const last = (await gw.store.stats()).lastSeq;
    await waitUntil(() => missingSeqs(publishedSeqs(broker.published), last).length === 0, 15_000, 'every committed seq at the broker');
    expect(missingSeqs(publishedSeqs(broker.published), last)).toEqual([]);
  });

  it('says which buses can be unplugged when asked for one that cannot', async () => {
    const { site } = await siteWithBroker();
    await expect(site.rig.unplug('plant-net')).rejects.toThrow(/no RTU bus "plant-net" to unplug or plug \(RTU buses: rs485-1\)/);
    // unplug and plug are idempotent
    await site.rig.unplug('rs485-1');
    await site.rig.unplug('rs485-1');
    await site.rig.plug('rs485-1');
    await site.rig.plug('rs485-1');
  });
});
