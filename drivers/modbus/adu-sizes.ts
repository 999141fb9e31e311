/**
 * Sizes of Modbus RTU application data units (address + PDU + CRC), Modbus Application Protocol
 * V1.1b3 §6 and Modbus over Serial Line V1.02 §2.5.1. Pure arithmetic: the bus budget of
 * `vigil validate` (gateway/config/bus-budget.ts), the virtual rig's wire-time emulation and the
 * bus-efficiency bench all count bytes with these.
 */
import type { RegisterTable } from '../transport/modbus-transport.js';

/** ADU sizes of one transaction, in characters on the wire. */
export interface AduSizes {
  request: number;
  response: number;
}

const ADDRESS_AND_CRC = 3;

/** FC01–04: request address + FC + start + quantity; response FC + byte count + data. */
export function readAduSizes(table: RegisterTable, count: number): AduSizes {
  const dataBytes = table === 'coil' || table === 'discrete' ? Math.ceil(count / 8) : 2 * count;
  return { request: ADDRESS_AND_CRC + 5, response: ADDRESS_AND_CRC + 2 + dataBytes };
}

/** FC15/16 (what the bus queue sends for every write): request FC + start + quantity + byte count + data; response echoes start + quantity. */
export function writeAduSizes(table: 'holding' | 'coil', count: number): AduSizes {
  const dataBytes = table === 'coil' ? Math.ceil(count / 8) : 2 * count;
  return { request: ADDRESS_AND_CRC + 6 + dataBytes, response: ADDRESS_AND_CRC + 5 };
}
