import { describe, expect, it } from 'vitest';
import { createGpio } from './create-gpio.js';
import { GpiodGpio } from './gpiod-gpio.js';
import { VirtualGpio } from './virtual-gpio.js';

describe('createGpio', () => {
  it('makes the driver the site file names', () => {
    expect(createGpio({ kind: 'virtual' })).toBeInstanceOf(VirtualGpio);
    const g = createGpio({ kind: 'gpiod', chip: 'gpiochip4' });
    expect(g).toBeInstanceOf(GpiodGpio);
    expect(g.description).toBe('gpiod gpiochip4');
  });
});
