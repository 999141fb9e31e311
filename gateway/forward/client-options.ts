import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { IClientOptions } from 'mqtt';
import type { MqttTlsConfig } from '../config/schema.js';
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

/** A TLS file named in cloud.mqtt.tls that cannot be read; the message names the key and the path. */
export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';
}

/**
 * cloud.mqtt.tls → the ca/cert/key mqtt.js hands to tls.connect. Paths are resolved against the
 * site file's directory (schema.ts: relative paths are). Read once at start: a renewed certificate
 * takes a restart, like every other configuration change. The key's content is never put in an
 * error message.
 */
export function tlsClientOptions(tls: MqttTlsConfig | undefined, baseDir: string): Pick<IClientOptions, 'ca' | 'cert' | 'key'> {
  if (!tls) return {};
  const read = (field: 'ca' | 'cert' | 'key'): Buffer | undefined => {
    const path = tls[field];
    if (path === undefined) return undefined;
    const full = isAbsolute(path) ? path : resolve(baseDir, path);
    try {
      return readFileSync(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied (is it readable by the user the gateway runs as?)' : (e as Error).message;
      throw new TlsFileError(`cloud.mqtt.tls.${field}: cannot read ${full}: ${why}`);
    }
  };
  const ca = read('ca');
  const cert = read('cert');
  const key = read('key');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
