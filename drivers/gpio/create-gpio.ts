import type { GpioDriverConfig } from '../../gateway/config/safety-schema.js';
import type { Gpio } from './gpio.js';
import { GpiodGpio, type GpiodGpioOptions } from './gpiod-gpio.js';
import { VirtualGpio, type VirtualGpioOptions } from './virtual-gpio.js';

/** Options the site file does not carry: test hooks (a fake tool PATH, a temp /dev) and the demo's clock. */
export interface CreateGpioOptions {
  gpiod?: Omit<GpiodGpioOptions, 'chip'>;
  virtual?: VirtualGpioOptions;
}

/** The Gpio for `outputs.driver` in the site file. Not opened yet: call open() and await it. */
export function createGpio(config: GpioDriverConfig, opts: CreateGpioOptions = {}): Gpio {
  switch (config.kind) {
    case 'gpiod':
      return new GpiodGpio({ ...opts.gpiod, chip: config.chip });
    case 'virtual':
      return new VirtualGpio(opts.virtual);
  }
}
