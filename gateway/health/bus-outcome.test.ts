import { describe, expect, it } from 'vitest';
import type { VigilErrorCode } from '../errors.js';
import { busOutcome, reachedWire, type BusOutcome } from './bus-outcome.js';

describe('busOutcome', () => {
  const table: [boolean, VigilErrorCode | undefined, BusOutcome, boolean][] = [
    [true, undefined, 'ok', true],
    [false, 'COMM_TIMEOUT', 'timeout', true],
    [false, 'COMM_CRC', 'crc', true],
    [false, 'COMM_BAD_FRAME', 'bad_frame', true],
    [false, 'COMM_PORT_CLOSED', 'port_closed', true],
    [false, 'DEVICE_BUSY', 'exception', true],
    [false, 'DEVICE_ILLEGAL_ADDRESS', 'exception', true],
    [false, 'DEVICE_FAILURE', 'exception', true],
    [false, 'DEVICE_GATEWAY_PATH', 'exception', true],
    [false, 'BUS_BACKED_OFF', 'backed_off', false],
    [false, 'BUS_CLOSED', 'bus_closed', false],
    [false, 'STORE_IO', 'error', true],
    [false, undefined, 'error', true],
  ];
  it.each(table)('ok=%s error=%s → %s (on the wire: %s)', (ok, code, outcome, wire) => {
    expect(busOutcome(ok, code)).toBe(outcome);
    expect(reachedWire(outcome)).toBe(wire);
  });
});
