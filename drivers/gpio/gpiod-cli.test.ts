import { describe, expect, it } from 'vitest';
import { chipDevicePath, gpiogetArgs, gpiomonArgs, gpiosetArgs, parseGpiodVersion, parseGpiogetLevel, parseGpiomonEvent } from './gpiod-cli.js';

describe('libgpiod CLI generations', () => {
  it.each([
    ['gpioset (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski', 'v1', '1.6.3'], // Debian 12 bookworm, measured
    ['gpioset (libgpiod) v1.5.2', 'v1', '1.5.2'],
    ['gpioset (libgpiod) v2.2.1', 'v2', '2.2.1'], // Debian 13 trixie
    ['gpioset (libgpiod) v2.0', 'v2', '2.0'],
  ])('reads %j as %s', (out, gen, version) => {
    expect(parseGpiodVersion(out)).toEqual({ generation: gen, version });
  });

  it('refuses versions it has no command lines for, saying which', () => {
    expect(() => parseGpiodVersion('gpioset (libgpiod) v1.4.1')).toThrow(/libgpiod 1.4.1 is too old: its tools have no --bias/);
    expect(() => parseGpiodVersion('gpioset (libgpiod) v3.0.0')).toThrow(/libgpiod 3.0.0 is not supported/);
    expect(() => parseGpiodVersion('usage: gpioset …')).toThrow(/cannot read the libgpiod version/);
  });

  it('builds v1 command lines (long options: -b means --line-buffered here)', () => {
    expect(gpiosetArgs('v1', 'gpiochip0', 17, 1)).toEqual(['--mode=wait', 'gpiochip0', '17=1']);
    expect(gpiomonArgs('v1', 'gpiochip0', 5, 'pull-up')).toEqual(['--bias=pull-up', '--line-buffered', '--format=%o %e', 'gpiochip0', '5']);
    expect(gpiomonArgs('v1', 'gpiochip0', 5, 'disabled')[0]).toBe('--bias=disable');
    expect(gpiogetArgs('v1', 'gpiochip0', 5, 'pull-down')).toEqual(['--bias=pull-down', 'gpiochip0', '5']);
  });

  it('builds v2 command lines (-b means --bias here)', () => {
    expect(gpiosetArgs('v2', 'gpiochip0', 17, 0)).toEqual(['--chip', 'gpiochip0', '17=0']);
    expect(gpiomonArgs('v2', 'gpiochip0', 5, 'disabled')).toEqual(['--chip', 'gpiochip0', '--bias', 'disabled', '--edges', 'both', '--format', '%o %e', '5']);
    expect(gpiogetArgs('v2', 'gpiochip0', 5, 'pull-up')).toEqual(['--chip', 'gpiochip0', '--bias', 'pull-up', '5']);
  });

  it('parses gpiomon edges of both generations', () => {
    expect(parseGpiomonEvent('17 1')).toEqual({ line: 17, level: 1 });
    expect(parseGpiomonEvent('17 0')).toEqual({ line: 17, level: 0 });
    expect(parseGpiomonEvent('17 2')).toEqual({ line: 17, level: 0 }); // later v2: falling is enum value 2
    expect(parseGpiomonEvent('event:  RISING EDGE offset: 17')).toBeNull();
  });

  it('parses gpioget of both generations', () => {
    expect(parseGpiogetLevel('1\n')).toBe(1);
    expect(parseGpiogetLevel('0\n')).toBe(0);
    expect(parseGpiogetLevel('"17"=active\n')).toBe(1);
    expect(parseGpiogetLevel('"17"=inactive\n')).toBe(0);
    expect(parseGpiogetLevel('gpioget: error')).toBeNull();
  });

  it('resolves chip names to their device', () => {
    expect(chipDevicePath('gpiochip0')).toBe('/dev/gpiochip0');
    expect(chipDevicePath('4')).toBe('/dev/gpiochip4');
    expect(chipDevicePath('/dev/gpiochip1')).toBe('/dev/gpiochip1');
    expect(chipDevicePath('gpiochip0', '/tmp/x')).toBe('/tmp/x/gpiochip0');
  });
});
