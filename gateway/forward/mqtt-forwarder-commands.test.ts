import { afterEach, describe, expect, it } from 'vitest';
import { alarm, fakeAlarms } from '../api/testing/alarm-fixtures.js';
import { MemoryStore } from '../store/memory-store.js';
import { signCommand } from './command-auth.js';
import { createCommandHandler } from './command-handler.js';
import { CommandReplySchema } from './command-payloads.js';
import { MqttForwarder } from './mqtt-forwarder.js';
import { startBroker, subscribe, type BrokerMessage, type Subscriber, type TestBroker } from './testing/broker.js';
import { mqttConfig, realClock } from './testing/fixtures.js';

// Cloud commands through a real broker (aedes in-process) and the real forwarder: the cloud
// publishes a signed command on <base>/commands and reads the reply on <base>/commands/reply.

const SITE = 'plant-7';
const GW = 'gw-a';
const BASE = `vigil/${SITE}/${GW}`;
const KEY = 'cloud-key-0123456789abcdef0123456789';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const broker = await startBroker();
  cleanups.push(() => broker.stop());
  const store = new MemoryStore({ budgetBytes: 64 * 1024 * 1024 });
  await store.open();
  const alarms = fakeAlarms([alarm({ id: 'gas-1/gas_high', state: 'unacknowledged' }), alarm({ id: 'gas-2/gas_high', state: 'unacknowledged' })]);
  const onCommand = createCommandHandler({ alarms, key: KEY, maxSkewMs: 300_000, site: SITE, gateway: GW, clock: realClock });
  const fwd = new MqttForwarder({ mqtt: mqttConfig(broker.url), siteId: SITE, gatewayId: GW, store, clock: realClock, onCommand });
  cleanups.push(() => fwd.stop());
  const cloud = await subscribe(broker.url, `${BASE}/commands/reply`);
  cleanups.push(() => cloud.close());
  fwd.start();
  await subscribed(broker);
  return { broker, alarms, fwd, cloud };
}

/** The gateway has subscribed to its command topic (the broker relays the SUBSCRIBE as a $SYS-free event). */
async function subscribed(broker: TestBroker): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway did not subscribe to its command topic within 5 s')), 5_000);
    broker.aedes!.on('subscribe', (subs) => {
      if (subs.some((s) => s.topic === `${BASE}/commands` && s.qos === 1)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

const isReply = (id: string) => (m: BrokerMessage) => m.topic === `${BASE}/commands/reply` && m.json<{ id: string }>().id === id;

async function command(cloud: Subscriber, id: string, fields: Record<string, unknown>) {
  const c = signCommand({ id, ts: Date.now(), user: 'zhang.wei', ...fields }, KEY);
  await cloud.client.publishAsync(`${BASE}/commands`, JSON.stringify(c), { qos: 1 });
  const [reply] = await cloud.waitFor(isReply(id));
  return { reply: reply!, body: CommandReplySchema.parse(reply!.json()) };
}

describe('MqttForwarder with cloud commands', () => {
  it('subscribes after connect, hands the command over, and publishes the reply with QoS 1', async () => {
    const { alarms, cloud } = await setup();
    const { reply, body } = await command(cloud, 'cmd-1', { action: 'acknowledge', alarm: 'gas-1/gas_high' });
    expect(reply.qos).toBe(1);
    expect(reply.retain).toBe(false);
    expect(body).toMatchObject({ id: 'cmd-1', ok: true, state: 'acknowledged', site: SITE, gateway: GW });
    expect(alarms.received).toEqual([{ action: 'acknowledge', target: 'gas-1/gas_high', actor: { kind: 'cloud', name: 'zhang.wei' } }]);

    const forged = { ...signCommand({ id: 'cmd-2', ts: Date.now(), user: 'x', action: 'silence' }, 'not-the-key-0123456789abcdef012345') };
    await cloud.client.publishAsync(`${BASE}/commands`, JSON.stringify(forged), { qos: 1 });
    const [refused] = await cloud.waitFor(isReply('cmd-2'));
    expect(refused!.json()).toMatchObject({ ok: false, error: 'bad-signature' });
    expect(alarms.received).toHaveLength(1);
  });

  it('subscribes again after the broker comes back (clean session), so commands keep working', async () => {
    const { broker, alarms, cloud, fwd } = await setup();
    await broker.stop();
    const again = broker.start().then(() => subscribed(broker));
    await again;
    expect(fwd.status().connects).toBe(2);
    await cloud.client.subscribeAsync(`${BASE}/commands/reply`, { qos: 1 }); // the cloud side resubscribes too
    const { body } = await command(cloud, 'cmd-3', { action: 'acknowledge', alarm: 'gas-2/gas_high' });
    expect(body).toMatchObject({ id: 'cmd-3', ok: true });
    expect(alarms.received.map((r) => r.target)).toEqual(['gas-2/gas_high']);
  });
});
