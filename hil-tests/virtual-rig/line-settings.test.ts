import { describe, expect, it } from 'vitest';
import { checkLineSettings, lineSettingsGate, parseStty, type LineSettings } from './line-settings.js';

// What `stty -F <pty> -a` prints after serialport opened the pty at these settings (GNU
// coreutils 9 on Linux 6; PARENB is always cleared on a pty, PARODD and CSTOPB are kept).
const sttyOf = (speed: number, flags: string) => `speed ${speed} baud; rows 0; columns 0; line = 0;\n${flags} cs8 -hupcl -clocal cread -crtscts\n`;

describe('reading the master\'s line settings from its pty', () => {
  it.each([
    [sttyOf(19200, '-parenb -parodd -cmspar cstopb'), { baudRate: 19200, parity: 'none' }],
    [sttyOf(9600, '-parenb -parodd -cmspar -cstopb'), { baudRate: 9600, parity: 'even' }],
    [sttyOf(38400, '-parenb parodd -cmspar -cstopb'), { baudRate: 38400, parity: 'odd' }],
    // A real UART keeps PARENB: then it is read as it is.
    [sttyOf(9600, 'parenb -parodd -cmspar cstopb'), { baudRate: 9600, parity: 'even' }],
  ] as const)('%#: %j', (text, want) => {
    expect(parseStty(text)).toEqual(want);
  });

  it('gives undefined for output it does not understand', () => {
    expect(parseStty('stty: /dev/x: No such file or directory')).toBeUndefined();
  });
});

describe('the line-settings gate', () => {
  const at19200N: LineSettings = { baudRate: 19200, parity: 'none' };
  const units = new Set([17, 201]);

  it('lets the devices hear only a master at their settings, and counts what they ignored', () => {
    let master: LineSettings | undefined = { baudRate: 9600, parity: 'even' };
    const reads: string[] = [];
    const gate = lineSettingsGate('/tmp/tty-field', at19200N, units, (p) => (reads.push(p), master));
    expect(gate.hears({ unitId: 17, pdu: Buffer.from([3, 0, 0, 0, 1]) })).toBe(false);
    master = { baudRate: 19200, parity: 'odd' };
    expect(gate.hears({ unitId: 17, pdu: Buffer.from([3, 0, 0, 0, 1]) })).toBe(false);
    master = { baudRate: 19200, parity: 'none' };
    expect(gate.hears({ unitId: 201, pdu: Buffer.from([3, 0, 0, 0, 1]) })).toBe(true);
    master = undefined; // unplugged: nothing is heard
    expect(gate.hears({ unitId: 0, pdu: Buffer.from([6, 0, 0, 0, 1]) })).toBe(false);
    expect(gate.ignored).toBe(3);
    expect(reads).toEqual(['/tmp/tty-field', '/tmp/tty-field', '/tmp/tty-field', '/tmp/tty-field']);
  });

  it('does not look at the line for a unit id nobody has (nobody would answer it anyway)', () => {
    const gate = lineSettingsGate('/tmp/tty-field', at19200N, units, () => {
      throw new Error('must not read');
    });
    expect(gate.hears({ unitId: 5, pdu: Buffer.from([3, 0, 0, 0, 1]) })).toBe(true);
  });

  it('checks a bus spec, naming each problem', () => {
    expect(checkLineSettings('buses[0]', { baudRate: 19200, parity: 'none' }, undefined)).toEqual([]);
    expect(checkLineSettings('buses[0]', { baudRate: 14400, parity: 'mark', stop: 2 }, undefined)).toEqual([
      'buses[0].lineSettings.stop: unknown field (known: baudRate, parity)',
      'buses[0].lineSettings.baudRate: 14400 is not one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
      "buses[0].lineSettings.parity: \"mark\" is not 'none', 'even' or 'odd'",
    ]);
    expect(checkLineSettings('buses[1]', { baudRate: 19200, parity: 'none' }, 9600)).toEqual(["buses[1].lineSettings.baudRate: 19200 differs from the bus's baudRate 9600"]);
  });
});
