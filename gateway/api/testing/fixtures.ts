import type { DeviceHealth, HealthParts, HealthReport, PointSnapshot } from '../types.js';
import { deriveStatus } from '../../health/derive-status.js';

/**
 * A healthy two-device gateway, for tests of the health rules and the API. Override the parts
 * a test is about; everything else stays plausible.
 */
export function healthyParts(over: Partial<HealthParts> = {}): HealthParts {
  const ts = Date.UTC(2026, 10, 23, 8, 30, 0);
  return {
    ts,
    uptimeSec: 3600,
    version: '0.1.0',
    site: 'plant-a',
    gateway: 'gw-1',
    clock: { trusted: true, now: ts },
    buses: [{ name: 'rs485-1', type: 'rtu', description: '/dev/ttyUSB0 9600 8N1', transactions: 7200, errors: 2, timeouts: 1 }],
    devices: [device({ name: 'gas-1', unitId: 1 }), device({ name: 'gas-2', unitId: 2 })],
    broker: { configured: true, connected: true, url: 'mqtts://broker.example:8883', lastConnectedTs: ts - 3_500_000 },
    outbox: { depth: { telemetry: 12, event: 0 }, bytes: 4_800, budgetBytes: 50_000_000, evicted: 0, oldestTs: ts - 2_000, lastSeq: 86_400 },
    ...over,
  };
}

export function device({ name, ...over }: Partial<DeviceHealth> & { name: string }): DeviceHealth {
  return {
    name,
    bus: 'rs485-1',
    unitId: 1,
    profile: 'generic/gas-detector',
    state: 'ok',
    lastSuccessTs: Date.UTC(2026, 10, 23, 8, 29, 59),
    overruns: 0,
    ...over,
  };
}

export function report(over: Partial<HealthParts> = {}): HealthReport {
  const parts = healthyParts(over);
  return { ...parts, status: deriveStatus(parts) };
}

export function point({ device, point, ...over }: Partial<PointSnapshot> & { device: string; point: string }): PointSnapshot {
  return { device, point, value: 0, quality: 'good', ts: Date.UTC(2026, 10, 23, 8, 29, 59), clockTrusted: true, ...over };
}
