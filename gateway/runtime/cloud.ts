import type { Logger } from 'pino';
import type { AlarmActionsSource } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { MqttConfig, SiteConfig } from '../config/schema.js';
import type { ResolvedSecrets } from '../config/secrets.js';
import { tlsClientOptions } from '../forward/client-options.js';
import { createCommandHandler } from '../forward/command-handler.js';
import { MqttForwarder } from '../forward/mqtt-forwarder.js';
import type { Metrics } from '../health/metrics.js';
import type { Store } from '../store/store.js';
import { VERSION } from './version.js';

/** The forwarder takes resolved credentials and TLS material, never the references. */
function withoutCredentials(mqtt: MqttConfig): Omit<MqttConfig, 'username' | 'password' | 'tls'> {
  const { username: _u, password: _p, tls: _t, ...rest } = mqtt;
  return rest;
}

/**
 * The MQTT link to the cloud, with its metrics and the alarm command channel (HMAC-verified,
 * refused with a reply when no key is configured). Null for an offline-only gateway.
 */
export function createCloudForwarder(opts: {
  config: SiteConfig;
  /** The site file's directory: relative cloud.mqtt.tls paths are resolved against it. */
  configDir: string;
  secrets: ResolvedSecrets;
  store: Store;
  clock: Clock;
  metrics: Metrics;
  alarms: AlarmActionsSource;
  logger: Logger;
}): MqttForwarder | null {
  const { config, secrets, clock, metrics, logger } = opts;
  if (!config.cloud) return null;
  const forwarder = new MqttForwarder({
    mqtt: {
      ...withoutCredentials(config.cloud.mqtt),
      ...(secrets.mqttUsername !== undefined ? { username: secrets.mqttUsername } : {}),
      ...(secrets.mqttPassword !== undefined ? { password: secrets.mqttPassword } : {}),
    },
    clientOptions: tlsClientOptions(config.cloud.mqtt.tls, opts.configDir),
    version: VERSION,
    siteId: config.site.id,
    gatewayId: config.gateway.id,
    store: opts.store,
    clock,
    logger: logger.child({ component: 'forwarder' }),
    onCommand: createCommandHandler({
      alarms: opts.alarms,
      key: secrets.commandKey,
      maxSkewMs: config.cloud.mqtt.commands?.maxSkewMs ?? 300_000,
      site: config.site.id,
      gateway: config.gateway.id,
      clock,
      logger: logger.child({ component: 'commands' }),
    }),
  });
  forwarder.on('connected', () => metrics.setMqttConnected(true));
  forwarder.on('disconnected', () => metrics.setMqttConnected(false));
  forwarder.on('reconnect-scheduled', () => metrics.mqttReconnect());
  forwarder.on('acked', (e) => {
    metrics.mqttMessage(e.stream, 'acked');
    metrics.mqttAcked(e.stream, e.records);
  });
  forwarder.on('publish-failed', (e) => metrics.mqttMessage(e.stream, 'failed'));
  return forwarder;
}
