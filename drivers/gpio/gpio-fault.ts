/**
 * What a Gpio reports through onFault: which line (if one), in which role, and what went wrong,
 * so the annunciator can name the output ("sounder-hall on line 17: gpioset exited …") and the
 * interlock engine can refuse to trust a relay's read-back.
 */
export type GpioFaultRole = 'output' | 'input' | 'chip';

export class GpioFaultError extends Error {
  override readonly name = 'GpioFaultError';
  constructor(
    message: string,
    readonly role: GpioFaultRole,
    /** The line offset, absent for a chip-wide fault. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isGpioFault(e: unknown): e is GpioFaultError {
  return e instanceof GpioFaultError;
}
