/**
 * How long characters and frames take on a Modbus RTU line (Modbus over Serial Line V1.02 §2.5.1
 * and §2.5.1.1). Pure arithmetic, used by the bus queue (the silence it keeps between frames) and
 * by the virtual rig's wire-time emulation and the bus-efficiency bench.
 *
 * - A character is start + data bits + parity (or a second stop bit) + stop. With 8 data bits
 *   that is 11 bits (§2.5.1: "no parity" requires 2 stop bits, so a compliant RTU character is
 *   always 11 bits); a line set to 8N1 (10 bits) is common in the field and non-compliant, and
 *   can be described too.
 * - Frames are separated by a silent interval of at least 3.5 character times (t3.5), and a
 *   frame's characters by at most 1.5 (t1.5). Above 19200 baud the spec fixes t1.5 = 750 µs and
 *   t3.5 = 1.750 ms (§2.5.1.1), because the UART timers of fast lines would be too short.
 */

export type Parity = 'none' | 'even' | 'odd';

export interface SerialLine {
  baudRate: number;
  parity: Parity;
  /** Default §2.5.1: 1 with parity, 2 without — 11 bits a character either way. */
  stopBits?: 1 | 2;
  /** Default 8 (RTU is 8-bit; 7 is accepted by the site file for odd converters). */
  dataBits?: 7 | 8;
}

/** Above this rate the inter-frame timers are fixed (§2.5.1.1). */
const FIXED_TIMERS_ABOVE_BAUD = 19_200;
const FIXED_T15_MS = 0.75;
const FIXED_T35_MS = 1.75;

export function bitsPerChar(line: SerialLine): number {
  const stopBits = line.stopBits ?? (line.parity === 'none' ? 2 : 1);
  return 1 + (line.dataBits ?? 8) + (line.parity === 'none' ? 0 : 1) + stopBits;
}

/** One character on the wire, in ms (9600 8E1: 11 / 9600 s = 1.146 ms). */
export function charMs(line: SerialLine): number {
  return (bitsPerChar(line) * 1000) / line.baudRate;
}

/** The silent interval that ends a frame (§2.5.1.1). */
export function t35Ms(line: SerialLine): number {
  return line.baudRate > FIXED_TIMERS_ABOVE_BAUD ? FIXED_T35_MS : 3.5 * charMs(line);
}

/** The longest silence allowed inside a frame (§2.5.1.1). */
export function t15Ms(line: SerialLine): number {
  return line.baudRate > FIXED_TIMERS_ABOVE_BAUD ? FIXED_T15_MS : 1.5 * charMs(line);
}

/** Transmission time of a frame of `bytes` characters (address … CRC). */
export function frameMs(line: SerialLine, bytes: number): number {
  return bytes * charMs(line);
}

/** A line plus the slave's processing time between the end of a request and its answer. */
export interface WireTiming extends SerialLine {
  /** Device turnaround: from the request's end of frame (t3.5 after its last byte) to the answer's first bit. */
  turnaroundMs: number;
}

/**
 * One transaction as the line sees it, back to back with the next: request, t3.5 (the slave
 * detects the end of the request), turnaround, response, then the silence before the next
 * request may start — t3.5, or the bus's interRequestDelayMs when that is longer (the bus queue
 * waits max(interRequestDelayMs, t3.5) between transactions, bus-queue.ts). This is the least
 * time a transaction can cost; the bus-efficiency bench compares the measured cycle with it and
 * the bus budget adds it up per second.
 */
export function transactionMs(wire: WireTiming, requestBytes: number, responseBytes: number, interRequestDelayMs = 0): number {
  return frameMs(wire, requestBytes) + t35Ms(wire) + wire.turnaroundMs + frameMs(wire, responseBytes) + Math.max(t35Ms(wire), interRequestDelayMs);
}
