/**
 * How long Modbus RTU transactions take on a real RS-485 line, for the virtual rig's
 * wire-time emulation and the bus-efficiency bench: the rig's `wire` setting, and (re-exported)
 * character, frame and transaction times (drivers/modbus/rtu-line-timing.ts, Modbus over Serial
 * Line V1.02 §2.5.1, §2.5.1.1) and ADU sizes (drivers/modbus/adu-sizes.ts). Pure arithmetic.
 */
// The line arithmetic lives with the gateway's bus queue, which keeps the same t3.5 silence.
export { bitsPerChar, charMs, frameMs, t15Ms, t35Ms, transactionMs, type Parity, type SerialLine, type WireTiming } from '../../drivers/modbus/rtu-line-timing.js';
// ADU sizes live with the gateway too: `vigil validate` counts a bus's bytes with them (bus budget).
export { readAduSizes, writeAduSizes, type AduSizes } from '../../drivers/modbus/adu-sizes.js';

/** The baud rates a gateway RTU bus may use (gateway/config/schema.ts RtuBusSchema). */
export const WIRE_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

/** Longest device turnaround the rig accepts: beyond this it is a 'slow' fault, not a line setting. */
export const MAX_TURNAROUND_MS = 1_000;

/** Checks a rig bus's `wire` setting; returns one message per problem, each naming the field. */
export function checkWireSpec(at: string, wire: unknown, baudRate: unknown): string[] {
  if (typeof wire !== 'object' || wire === null || Array.isArray(wire)) return [`${at}.wire: ${JSON.stringify(wire)} is not an object like { parity: 'even', turnaroundMs: 5 }`];
  const problems: string[] = [];
  const w = wire as Record<string, unknown>;
  const known = new Set(['parity', 'stopBits', 'turnaroundMs']);
  for (const k of Object.keys(w)) if (!known.has(k)) problems.push(`${at}.wire.${k}: unknown field (known: ${[...known].join(', ')}; the baud rate is the bus's baudRate)`);
  if (baudRate === undefined) problems.push(`${at}.baudRate: required when wire emulation is on (one of ${WIRE_BAUD_RATES.join(', ')})`);
  else if (!(WIRE_BAUD_RATES as readonly unknown[]).includes(baudRate)) problems.push(`${at}.baudRate: ${JSON.stringify(baudRate)} is not one of ${WIRE_BAUD_RATES.join(', ')}`);
  if (w.parity !== 'none' && w.parity !== 'even' && w.parity !== 'odd') problems.push(`${at}.wire.parity: ${JSON.stringify(w.parity)} is not 'none', 'even' or 'odd'`);
  if (w.stopBits !== undefined && w.stopBits !== 1 && w.stopBits !== 2) problems.push(`${at}.wire.stopBits: ${JSON.stringify(w.stopBits)} is not 1 or 2`);
  const t = w.turnaroundMs;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > MAX_TURNAROUND_MS) {
    problems.push(`${at}.wire.turnaroundMs: ${JSON.stringify(t)} is not a number of ms in 0..${MAX_TURNAROUND_MS} (required: the device's processing time)`);
  }
  return problems;
}
