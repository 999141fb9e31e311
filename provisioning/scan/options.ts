/**
 * Parsing `vigil scan`'s lists (units, baud rates, parities). Bad input is refused with the value
 * and what would be accepted — never trimmed, clamped or guessed (DESIGN.md principle 7).
 */
import type { Parity } from '../../drivers/modbus/rtu-line-timing.js';
import { SCAN_BAUD_RATES, SCAN_PARITIES, type ScanBaudRate } from './plan.js';

export class ScanOptionError extends Error {
  override readonly name = 'ScanOptionError';
}

/** "1-247", "17,201", "1-10,200-210" → sorted unique unit ids within 1..max. */
export function parseUnits(text: string, max: number): number[] {
  const units = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new ScanOptionError(`--units: "${part}" is not a unit id or a range such as 1-247 (in "${text}")`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > max || from > to) {
      throw new ScanOptionError(`--units: "${part.trim()}" is outside 1–${max}${max === 247 ? ' (Modbus over Serial Line §2.2: 0 is broadcast, 248–255 reserved)' : ''} or runs backwards`);
    }
    for (let u = from; u <= to; u++) units.add(u);
  }
  return [...units].sort((a, b) => a - b);
}

/** "9600,19200" or "all". */
export function parseBauds(text: string): ScanBaudRate[] {
  if (text.trim() === 'all') return [...SCAN_BAUD_RATES];
  return text.split(',').map((t) => {
    const n = Number(t.trim());
    const rate = SCAN_BAUD_RATES.find((r) => r === n);
    if (rate === undefined || !/^\s*\d+\s*$/.test(t)) throw new ScanOptionError(`--baud: "${t}" is not one of ${SCAN_BAUD_RATES.join(', ')} or "all"`);
    return rate;
  });
}

/** "even,none" or "all". */
export function parseParities(text: string): Parity[] {
  if (text.trim() === 'all') return [...SCAN_PARITIES];
  return text.split(',').map((t) => {
    const p = SCAN_PARITIES.find((x) => x === t.trim());
    if (!p) throw new ScanOptionError(`--parity: "${t}" is not one of ${SCAN_PARITIES.join(', ')} or "all"`);
    return p;
  });
}

/** "host" or "host:port" (default port 502, the registered Modbus TCP port). */
export function parseTcpTarget(text: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(text.trim());
  if (!m) throw new ScanOptionError(`--tcp: "${text}" is not host or host:port`);
  const port = m[2] === undefined ? 502 : Number(m[2]);
  if (port < 1 || port > 65535) throw new ScanOptionError(`--tcp: port ${m[2]} is outside 1–65535`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}
