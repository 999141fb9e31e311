/**
 * modbus-serial errors → VigilError codes. The bus queue decides retry / backoff / fault by
 * code (gateway/errors.ts guards), so this mapping is where a wire failure gets its meaning.
 *
 * What modbus-serial 8.0.25 rejects with (read from node_modules/modbus-serial/index.js):
 *  - exception response: Error("Modbus exception N: …") with `modbusCode = N`
 *  - no answer within setTimeout(ms): TransactionTimedOutError, message "Timed out", errno "ETIMEDOUT"
 *  - bad CRC on a received RTU frame: Error("CRC error")
 *  - port/socket not open: PortNotOpenError, message "Port Not Open", errno "ECONNREFUSED"
 *  - short / mismatched frames: Error("Data length error, …") / Error("Unexpected data error, …")
 *  - open() failures: the serialport / net error itself (code ENOENT, EACCES, ECONNREFUSED, …)
 */
import { VigilError, isVigilError, type VigilErrorCode } from '../../gateway/errors.js';

/**
 * Modbus Application Protocol V1.1b3 §7 exception codes.
 *  01 illegal function, 02 illegal data address, 03 illegal data value: the request does not
 *     fit this device — the register map (profile) is wrong, a configuration fault.
 *  04 slave device failure, 07 negative acknowledge, 08 memory parity error: the device itself
 *     reports a fault.
 *  05 acknowledge, 06 slave device busy: the device will answer later — retry later.
 *  0A gateway path unavailable, 0B gateway target failed to respond: a Modbus gateway in
 *     between could not reach the slave — like a timeout one hop further away.
 */
const EXCEPTION_CODES: Record<number, VigilErrorCode> = {
  1: 'DEVICE_ILLEGAL_ADDRESS',
  2: 'DEVICE_ILLEGAL_ADDRESS',
  3: 'DEVICE_ILLEGAL_ADDRESS',
  4: 'DEVICE_FAILURE',
  5: 'DEVICE_BUSY',
  6: 'DEVICE_BUSY',
  7: 'DEVICE_FAILURE',
  8: 'DEVICE_FAILURE',
  10: 'DEVICE_GATEWAY_PATH',
  11: 'DEVICE_GATEWAY_PATH',
};

const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'slave device failure',
  5: 'acknowledge (busy with a long operation)',
  6: 'slave device busy',
  7: 'negative acknowledge',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

/** OS errors that mean the port or socket is gone (unplugged adapter, refused/reset connection). */
const PORT_GONE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT', 'EACCES', 'EBUSY', 'EIO', 'ENODEV', 'ENXIO', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTCONN', 'ECONNABORTED']);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  errno?: unknown;
  code?: unknown;
  modbusCode?: unknown;
}

function classify(e: unknown): { code: VigilErrorCode; what: string; details: Record<string, unknown> } {
  const err = (typeof e === 'object' && e !== null ? e : {}) as ErrorLike;
  const message = typeof err.message === 'string' ? err.message : String(e);
  if (typeof err.modbusCode === 'number') {
    const n = err.modbusCode;
    const code = EXCEPTION_CODES[n] ?? 'COMM_BAD_FRAME'; // not an exception code the spec defines
    return { code, what: `exception ${n} (${EXCEPTION_NAMES[n] ?? 'not defined by the Modbus specification'})`, details: { modbusCode: n } };
  }
  const errno = typeof err.errno === 'string' ? err.errno : typeof err.code === 'string' ? err.code : undefined;
  if (errno === 'ETIMEDOUT' || err.name === 'TransactionTimedOutError' || message === 'Timed out') {
    return { code: 'COMM_TIMEOUT', what: 'no answer (timed out)', details: { errno } };
  }
  if (message === 'CRC error') return { code: 'COMM_CRC', what: 'reply failed its CRC check', details: {} };
  if (err.name === 'PortNotOpenError' || message === 'Port Not Open' || (errno !== undefined && PORT_GONE.has(errno))) {
    return { code: 'COMM_PORT_CLOSED', what: `port not open (${message})`, details: { errno } };
  }
  return { code: 'COMM_BAD_FRAME', what: `bad reply (${message})`, details: { errno } };
}

/**
 * Wraps any error from a modbus-serial call as a VigilError. `where` names the transaction,
 * e.g. "127.0.0.1:502 unit 3 FC03 holding 0+10"; the original error is kept as `cause`.
 * A VigilError passes through unchanged.
 */
export function toVigilError(e: unknown, where: string): VigilError {
  if (isVigilError(e)) return e;
  const { code, what, details } = classify(e);
  const clean = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
  return new VigilError(code, `${where}: ${what}`, clean, { cause: e });
}

/** The exception code a VigilError carries, if it came from a Modbus exception response. */
export function modbusExceptionCode(e: VigilError): number | undefined {
  const n = e.details['modbusCode'];
  return typeof n === 'number' ? n : undefined;
}
