import type { IClientOptions } from 'mqtt';
import type { MqttForwarderOptions } from './types.js';

/**
 * The mqtt.js options the forwarder connects with. MQTT 3.1.1 (the broadest broker support),
 * a clean session (redelivery is driven from our store, not from a broker session), and no
 * automatic reconnect: MqttForwarder reconnects itself with exponential backoff and a fresh
 * will (bdSeq) per attempt.
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
    will,
  };
}
