import { describe, expect, it } from 'vitest';
import { device, healthyParts } from '../api/testing/fixtures.js';
import type { HealthParts, HealthStatus } from '../api/types.js';
import { deriveStatus, evaluateHealth } from './derive-status.js';

describe('deriveStatus', () => {
  const twoDevices = (state: 'comm-fault' | 'backed-off' | 'config-fault' | 'device-fault' | 'starting', lastError?: string) => ({
    devices: [device({ name: 'gas-1' }), device({ name: 'gas-2', unitId: 2, state, ...(lastError ? { lastError } : {}) })],
  });
  const cases: [string, Partial<HealthParts>, HealthStatus, string[]][] = [
    ['everything fine', {}, 'ok', []],
    ['a device does not answer', twoDevices('comm-fault', 'COMM_TIMEOUT after 500 ms'), 'fault', ['device gas-2: comm-fault (COMM_TIMEOUT after 500 ms)']],
    ['a device is backed off (not polled, so not monitored)', twoDevices('backed-off'), 'fault', ['device gas-2: backed-off']],
    ['a device rejects its register map', twoDevices('config-fault'), 'fault', ['device gas-2: config-fault']],
    ['a device reports an internal failure', twoDevices('device-fault'), 'fault', ['device gas-2: device-fault']],
    ['a device has not answered yet', twoDevices('starting'), 'degraded', ['device gas-2: has not answered yet']],
    ['the store failed', { outbox: { error: 'SQLITE_IOERR: disk I/O error' } }, 'fault', ['store: SQLITE_IOERR: disk I/O error']],
    ['the store failed and says so', { outbox: { error: 'store: commitAlarms failed: database or disk is full' } }, 'fault', ['store: commitAlarms failed: database or disk is full']],
    [
      'the broker is configured but away',
      { broker: { configured: true, connected: false, lastConnectedTs: null, lastError: 'ECONNREFUSED' } },
      'degraded',
      ['broker: not connected (ECONNREFUSED)'],
    ],
    ['no broker configured (local-only gateway)', { broker: { configured: false, connected: false, lastConnectedTs: null } }, 'ok', []],
    ['the clock is not synchronised', { clock: { trusted: false, now: 0 } }, 'degraded', ['clock: wall time not synchronised; time stamps are marked untrusted']],
    [
      'the outbox is over 80 % of its budget',
      { outbox: { depth: { telemetry: 9000, event: 2 }, bytes: 850, budgetBytes: 1000, evicted: 0, oldestTs: 1, lastSeq: 9002 } },
      'degraded',
      ['outbox: 85% of its 1000-byte budget used; oldest telemetry will be evicted at 100%'],
    ],
    ['the outbox is at exactly 80 %', { outbox: { depth: { telemetry: 1, event: 0 }, bytes: 800, budgetBytes: 1000, evicted: 0, oldestTs: 1, lastSeq: 1 } }, 'ok', []],
    ['the alarm engine failed', { safety: { faults: ['alarm engine: gas-1/gas_high threw'], warnings: [] } }, 'fault', ['alarm engine: gas-1/gas_high threw']],
    ['an interlock is bypassed', { safety: { faults: [], warnings: ['interlock close-valve: bypassed'] } }, 'degraded', ['interlock close-valve: bypassed']],
    ['the safety layer has nothing to report', { safety: { faults: [], warnings: [] } }, 'ok', []],
    ['evictions in the past alone', { outbox: { depth: { telemetry: 0, event: 0 }, bytes: 0, budgetBytes: 1000, evicted: 5000, oldestTs: null, lastSeq: 9 } }, 'ok', []],
  ];

  it.each(cases)('%s → %s', (_name, over, status, reasons) => {
    const parts = healthyParts(over);
    expect(deriveStatus(parts)).toBe(status);
    expect(evaluateHealth(parts).reasons).toEqual(reasons);
  });

  it('reports a fault over anything degraded, and still lists every reason, faults first', () => {
    const parts = healthyParts({
      clock: { trusted: false, now: 0 },
      broker: { configured: true, connected: false, lastConnectedTs: null },
      devices: [device({ name: 'gas-1', state: 'comm-fault' })],
    });
    expect(evaluateHealth(parts)).toEqual({
      status: 'fault',
      reasons: ['device gas-1: comm-fault', 'broker: not connected', 'clock: wall time not synchronised; time stamps are marked untrusted'],
    });
  });
});
