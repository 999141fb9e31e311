import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import type { Gpio } from '../../drivers/gpio/gpio.js';
import { GpioOutputDriver, type OutputDriver } from './output-driver.js';

/**
 * How outputs reach the lines: through johnny-five components over our GpioIO plugin (issue 3's
 * choice, the default), or straight on the Gpio lines (no J5 in the process; same behaviour).
 * J5 is loaded only when asked for, so a gateway without local outputs does not pay for it.
 */
export type OutputPath = 'johnny-five' | 'direct';

/** `gpio` must be open. */
export async function createOutputDriver(outputs: readonly OutputConfig[], gpio: Gpio, opts: { via?: OutputPath; readyTimeoutMs?: number } = {}): Promise<OutputDriver> {
  if ((opts.via ?? 'johnny-five') === 'direct') return new GpioOutputDriver(outputs, gpio);
  const [{ GpioIO }, { createJ5OutputDriver }] = await Promise.all([import('../../drivers/gpio/j5-io.js'), import('./j5-output-driver.js')]);
  const io = new GpioIO(gpio, { lines: outputs.map((o) => o.line) });
  return createJ5OutputDriver(outputs, io, { readyTimeoutMs: opts.readyTimeoutMs });
}
