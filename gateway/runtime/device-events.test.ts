import { describe, expect, it } from 'vitest';
import { deviceStateEvent } from './device-events.js';

const at = { ts: 1_700_000_000_000, clockTrusted: true };

describe('deviceStateEvent', () => {
  it('reports a device that stops answering as a fault with the error', () => {
    const e = deviceStateEvent('gas-1', 'ok', 'comm-fault', { ...at, lastError: 'COMM_TIMEOUT' });
    expect(e).toMatchObject({ type: 'device.comm-fault', severity: 'fault', device: 'gas-1', message: 'gas-1 does not answer: COMM_TIMEOUT' });
  });

  it('treats comm-fault → backed-off → comm-fault as one outage', () => {
    expect(deviceStateEvent('gas-1', 'comm-fault', 'backed-off', at)).toBeNull();
    expect(deviceStateEvent('gas-1', 'backed-off', 'comm-fault', at)).toBeNull();
  });

  it('reports recovery, but not the first good poll after start', () => {
    expect(deviceStateEvent('gas-1', 'backed-off', 'ok', at)).toMatchObject({ type: 'device.recovered', severity: 'info' });
    expect(deviceStateEvent('gas-1', 'starting', 'ok', at)).toBeNull();
  });

  it('names the configuration as the thing to fix on an illegal-address answer', () => {
    const e = deviceStateEvent('meter', 'ok', 'config-fault', { ...at, lastError: 'exception 2' });
    expect(e?.message).toContain('check the profile and unit id');
    expect(e?.severity).toBe('fault');
  });

  it('a device that fails from the start is reported', () => {
    expect(deviceStateEvent('gas-2', 'starting', 'comm-fault', at)?.type).toBe('device.comm-fault');
  });
});
