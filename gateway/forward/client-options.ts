import type { IClientOptions } from 'mqtt';
import type { MqttForwarderOptions } from './types.js';

/**
 * The mqtt.js options the forwarder connects with. MQTT 3.1.1 (the broadest broker support),
 * a clean session (redelivery is driven from our store, not from a broker session), and no
 * automatic reconnect: MqttForwarder reconnects itself with exponential backoff and a fresh
 * will (bdSeq) per attempt.
 *
 * writeCache off: mqtt-packet otherwise pre-builds a 2-byte Buffer for each of the 65,536 message
 * ids at the first publish — about 6 MB of heap that never goes away, 5 % of a Pi gateway's
 * memory budget (bench/rss), to save allocating 2 bytes per publish.
 */
export function clientOptions(opts: MqttForwarderOptions, will: NonNullable<IClientOptions['will']>): IClientOptions {
  const m = opts.mqtt;
  return {
    ...opts.clientOptions,
    clientId: m.clientId,
    ...(m.username !== undefined ? { username: m.username } : {}),
    ...(m.password !== undefined ? { password: m.password } : {}),
    keepalive: m.keepaliveSec,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
    writeCache: false,
    will,
  };
}
