import type { VigilErrorCode } from '../errors.js';

/**
 * The `outcome` label of vigil_bus_transactions_total. A closed set, so dashboards and alert
 * rules can match exact values and the label cardinality stays bounded.
 */
export type BusOutcome =
  | 'ok'
  | 'timeout'
  | 'crc'
  | 'bad_frame'
  | 'port_closed'
  | 'exception'
  | 'backed_off'
  | 'bus_closed'
  | 'error';

/** Outcomes where the request never went on the wire: the bus queue refused it. */
const REFUSED: ReadonlySet<BusOutcome> = new Set<BusOutcome>(['backed_off', 'bus_closed']);

export function busOutcome(ok: boolean, error: VigilErrorCode | undefined): BusOutcome {
  if (ok) return 'ok';
  switch (error) {
    case 'COMM_TIMEOUT':
      return 'timeout';
    case 'COMM_CRC':
      return 'crc';
    case 'COMM_BAD_FRAME':
      return 'bad_frame';
    case 'COMM_PORT_CLOSED':
      return 'port_closed';
    // The device answered with a Modbus exception response (codes 1–6, 10, 11).
    case 'DEVICE_BUSY':
    case 'DEVICE_ILLEGAL_ADDRESS':
    case 'DEVICE_FAILURE':
    case 'DEVICE_GATEWAY_PATH':
      return 'exception';
    case 'BUS_BACKED_OFF':
      return 'backed_off';
    case 'BUS_CLOSED':
      return 'bus_closed';
    default:
      // A failure without a known code is still counted, never dropped.
      return 'error';
  }
}

/** Whether the transaction used the wire (and so has a meaningful latency). */
export function reachedWire(outcome: BusOutcome): boolean {
  return !REFUSED.has(outcome);
}
