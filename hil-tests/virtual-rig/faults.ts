/**
 * Named fault injectors: what a broken field device does to the gateway, as data. A fault
 * applies to every request addressed to the device until it is cleared. Each one mirrors a
 * failure seen on real RS-485 lines:
 *  - dead:        no answer at all (power lost, wire cut, wrong address) → the client times out;
 *  - slow:        the answer comes `delayMs` late (overloaded slave, long line, radio link);
 *  - busy:        exception 6, SERVER DEVICE BUSY (Modbus Application Protocol V1.1b3 §7);
 *  - exception:   any exception `code` (1–255), e.g. 4 SERVER DEVICE FAILURE;
 *  - crc-error:   the answer's CRC is corrupted (noise, bad termination) → the client must reject
 *                 it (Modbus over Serial Line V1.02 §2.5.1.2). Modbus TCP has no CRC, so on TCP
 *                 the device answers exception 0x0B instead, as an RTU-to-TCP gateway does when the
 *                 serial reply fails its check;
 *  - garbage:     `length` random bytes (default 8) instead of the answer (two slaves talking at
 *                 once, baud-rate mismatch);
 *  - wrong-unit:  the answer carries another unit id (`unitId`, default the next address) — a
 *                 duplicated address or a confused converter;
 *  - intermittent: a fraction `dropRatio` (0 < r ≤ 1) of requests go unanswered, drawn from the
 *                 device's `random` source (seed it for a repeatable run) — a marginal line, a
 *                 loose terminal, a detector browning out. A dropped request was never heard,
 *                 so it is not executed;
 *  - noise:       `length` random bytes (default 4) on the line just before an intact answer —
 *                 the burst a contactor or a VFD puts on an unshielded pair between two frames
 *                 (Modbus over Serial Line V1.02 §2.5.1.1: the receiver must find the frame
 *                 after the noise or discard both). Unlike garbage, the answer itself is sent.
 *                 Modbus TCP has no line to be noisy (TCP checksums the stream), so on TCP the
 *                 answer arrives clean;
 *  - clear:       back to normal.
 * Which requests still change the registers: slow, crc-error, garbage, noise and wrong-unit
 * execute the request (the device worked; the answer was lost or mangled); dead, busy,
 * exception and a dropped intermittent request do not.
 */
import { EXCEPTION } from './pdu.js';

export type Fault =
  | { fault: 'dead' }
  | { fault: 'slow'; delayMs: number }
  | { fault: 'busy' }
  | { fault: 'exception'; code: number }
  | { fault: 'crc-error' }
  | { fault: 'garbage'; length?: number }
  | { fault: 'wrong-unit'; unitId?: number }
  | { fault: 'intermittent'; dropRatio: number }
  | { fault: 'noise'; length?: number };

export type FaultName = Fault['fault'] | 'clear';
export const FAULT_NAMES: readonly FaultName[] = [
  'dead',
  'slow',
  'busy',
  'exception',
  'crc-error',
  'garbage',
  'wrong-unit',
  'intermittent',
  'noise',
  'clear',
];

/** A fault, or its bare name when it needs no parameters. `'clear'` removes the active fault. */
export type FaultInput = Fault | { fault: 'clear' } | 'dead' | 'busy' | 'crc-error' | 'garbage' | 'wrong-unit' | 'noise' | 'clear';

/**
 * Checks a fault that arrived as data (a rig spec, a JSON body) and returns it typed, or
 * null for 'clear'. Throws an Error that names the bad field and value — never a default.
 */
export function parseFault(input: unknown): Fault | null {
  const obj: Record<string, unknown> =
    typeof input === 'string' ? { fault: input } : input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const name = obj.fault;
  const intIn = (key: string, min: number, max: number, optional: boolean): number | undefined => {
    const v = obj[key];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new Error(`fault ${String(name)}: ${key} must be an integer ${min}..${max}, got ${JSON.stringify(v)}`);
    }
    return v;
  };
  const unexpected = Object.keys(obj).filter((k) => k !== 'fault' && !(ALLOWED_KEYS[name as string] ?? []).includes(k));
  if (typeof name === 'string' && name in ALLOWED_KEYS && unexpected.length) {
    throw new Error(`fault ${name}: unexpected field(s) ${unexpected.join(', ')} (allowed: ${ALLOWED_KEYS[name]!.join(', ') || 'none'})`);
  }
  switch (name) {
    case 'clear':
      return null;
    case 'dead':
    case 'busy':
    case 'crc-error':
      return { fault: name };
    case 'slow':
      return { fault: 'slow', delayMs: intIn('delayMs', 0, 600_000, false)! };
    case 'exception':
      return { fault: 'exception', code: intIn('code', 1, 255, false)! };
    case 'garbage': {
      const length = intIn('length', 1, 256, true);
      return length === undefined ? { fault: 'garbage' } : { fault: 'garbage', length };
    }
    case 'wrong-unit': {
      const unitId = intIn('unitId', 0, 255, true);
      return unitId === undefined ? { fault: 'wrong-unit' } : { fault: 'wrong-unit', unitId };
    }
    case 'intermittent': {
      // A ratio, not an integer: 0 would be no fault at all and is refused rather than ignored.
      const r = obj.dropRatio;
      if (typeof r !== 'number' || !Number.isFinite(r) || r <= 0 || r > 1) {
        throw new Error(`fault intermittent: dropRatio must be a number in (0, 1] (the fraction of requests left unanswered), got ${JSON.stringify(r)}`);
      }
      return { fault: 'intermittent', dropRatio: r };
    }
    case 'noise': {
      const length = intIn('length', 1, 256, true);
      return length === undefined ? { fault: 'noise' } : { fault: 'noise', length };
    }
    default:
      throw new Error(`unknown fault ${JSON.stringify(name)}; one of ${FAULT_NAMES.join(', ')}`);
  }
}

const ALLOWED_KEYS: Record<string, string[]> = {
  clear: [],
  dead: [],
  busy: [],
  'crc-error': [],
  slow: ['delayMs'],
  exception: ['code'],
  garbage: ['length'],
  'wrong-unit': ['unitId'],
  intermittent: ['dropRatio'],
  noise: ['length'],
};

/** The exception code a fault answers with, if it is an exception fault. */
export function faultException(f: Fault | null): number | undefined {
  if (f?.fault === 'busy') return EXCEPTION.SERVER_DEVICE_BUSY;
  if (f?.fault === 'exception') return f.code;
  return undefined;
}
