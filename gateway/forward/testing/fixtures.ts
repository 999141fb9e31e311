import type { Clock } from '../../clock/clock.js';
import type { Reading } from '../../readings.js';
import type { GatewayEvent } from '../../store/store.js';
import type { MqttForwarderOptions } from '../types.js';

/** Test fixtures for the forwarder: a real-time trusted clock, readings, events, an MQTT config. */
export const realClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  isTrusted: () => true,
};

export function reading(i: number, over: Partial<Reading> = {}): Reading {
  return {
    device: 'gd-01',
    point: 'lel',
    value: i,
    unit: '%LEL',
    quality: 'good',
    ts: 1_750_000_000_000 + i * 1_000,
    clockTrusted: true,
    ...over,
  };
}

export function readings(n: number, from = 0): Reading[] {
  return Array.from({ length: n }, (_, k) => reading(from + k));
}

export function gatewayEvent(type: string, over: Partial<GatewayEvent> = {}): GatewayEvent {
  return { type, severity: 'fault', ts: 1_750_000_000_000, clockTrusted: true, message: type, ...over };
}

export function mqttConfig(url: string, over: Partial<MqttForwarderOptions['mqtt']> = {}): MqttForwarderOptions['mqtt'] {
  return {
    url,
    clientId: `gw-test-${Math.random().toString(16).slice(2, 10)}`,
    topicPrefix: 'vigil',
    keepaliveSec: 30,
    batchSize: 500,
    inflight: 16,
    reconnect: { initialMs: 50, maxMs: 200 },
    ...over,
  };
}
