/**
 * One error class for the whole gateway, with grouped codes. Callers decide what to do by
 * the guards below (retry, reconnect, raise a fault) — never by parsing messages.
 */
export type VigilErrorCode =
  // configuration (fix the file; never retried)
  | 'CONFIG_INVALID'
  | 'PROFILE_INVALID'
  | 'SECRET_MISSING'
  // communication with a field device (transient: retry, back off, raise a comm fault)
  | 'COMM_TIMEOUT'
  | 'COMM_PORT_CLOSED'
  | 'COMM_CRC'
  | 'COMM_BAD_FRAME'
  // the device answered with a Modbus exception
  | 'DEVICE_BUSY' // exception 5 (acknowledge) / 6 (slave device busy): retry later
  | 'DEVICE_ILLEGAL_ADDRESS' // exception 1/2/3: the register map is wrong for this device
  | 'DEVICE_FAILURE' // exception 4: the device reports an internal failure
  | 'DEVICE_GATEWAY_PATH' // exception 10/11: a Modbus gateway could not reach the target
  // store and forward
  | 'STORE_FULL'
  | 'STORE_IO'
  | 'BROKER_UNAVAILABLE'
  // the scheduler refused work
  | 'BUS_BACKED_OFF'
  | 'BUS_CLOSED';

export class VigilError extends Error {
  override readonly name = 'VigilError';
  constructor(
    readonly code: VigilErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TRANSIENT: ReadonlySet<VigilErrorCode> = new Set<VigilErrorCode>([
  'COMM_TIMEOUT',
  'COMM_PORT_CLOSED',
  'COMM_CRC',
  'COMM_BAD_FRAME',
  'DEVICE_BUSY',
  'DEVICE_GATEWAY_PATH',
  'BROKER_UNAVAILABLE',
]);

const CONFIGURATION: ReadonlySet<VigilErrorCode> = new Set<VigilErrorCode>([
  'CONFIG_INVALID',
  'PROFILE_INVALID',
  'SECRET_MISSING',
  'DEVICE_ILLEGAL_ADDRESS',
]);

export function isVigilError(e: unknown): e is VigilError {
  return e instanceof VigilError;
}

/** Worth trying again later (after a backoff); the device or link may recover by itself. */
export function isTransient(e: unknown): boolean {
  return isVigilError(e) && TRANSIENT.has(e.code);
}

/** A person must change the configuration or profile; retrying will not help. */
export function isConfigurationFault(e: unknown): boolean {
  return isVigilError(e) && CONFIGURATION.has(e.code);
}

/** The device did not answer at all (as opposed to answering with an exception). */
export function isCommunicationFault(e: unknown): boolean {
  return isVigilError(e) && e.code.startsWith('COMM_');
}
