import { describe, expect, it } from 'vitest';
import { parseBauds, parseParities, parseTcpTarget, parseUnits } from './options.js';
import { describeSetting, probeTimeoutMs, settingOf, sweepSettings, worstCaseMs } from './plan.js';

describe('the sweep order', () => {
  it('tries the Modbus default 9600 8E1 first, then the common rates, even/none/odd each', () => {
    const all = sweepSettings(parseBauds('all'), parseParities('all')).map(describeSetting);
    expect(all.slice(0, 6)).toEqual(['9600 8E1', '9600 8N2', '9600 8O1', '19200 8E1', '19200 8N2', '19200 8O1']);
    expect(all).toHaveLength(24);
    expect(all.at(-1)).toBe('1200 8O1');
  });

  it('keeps the likely-first order whatever order the installer lists', () => {
    expect(sweepSettings(parseBauds('19200,4800,9600'), parseParities('odd,none')).map(describeSetting)).toEqual([
      '9600 8N2',
      '9600 8O1',
      '19200 8N2',
      '19200 8O1',
      '4800 8N2',
      '4800 8O1',
    ]);
  });

  it('uses 2 stop bits without parity and 1 with (Modbus over Serial Line §2.5.1)', () => {
    expect(settingOf(19200, 'none').stopBits).toBe(2);
    expect(settingOf(19200, 'even').stopBits).toBe(1);
  });
});

describe('the per-unit timeout', () => {
  it.each([
    [9600, 'even', 80],
    [19200, 'none', 80],
    [115200, 'even', 80],
    // 15 characters of 11 bits: 137.5 ms at 1200 baud instead of 17.2 ms at 9600 → +121 ms
    [1200, 'even', 201],
    [4800, 'none', 98],
  ] as const)('%i baud %s: %i ms for an 80 ms timeout', (baud, parity, ms) => {
    expect(probeTimeoutMs(80, settingOf(baud, parity))).toBe(ms);
  });

  it('bounds the worst case of a dead line: every probe waits its timeout', () => {
    expect(worstCaseMs([settingOf(9600, 'even'), settingOf(19200, 'none')], 247, 80)).toBe(2 * 247 * 80);
  });
});

describe('scan options', () => {
  it('parses unit lists and ranges, sorted and unique', () => {
    expect(parseUnits('201,17,15-18', 247)).toEqual([15, 16, 17, 18, 201]);
    expect(parseUnits('1-247', 247)).toHaveLength(247);
  });

  it.each([
    ['0-10', 247, /"0-10" is outside 1–247 \(Modbus over Serial Line §2\.2/],
    ['248', 247, /outside 1–247/],
    ['10-5', 247, /runs backwards/],
    ['1-x', 247, /"1-x" is not a unit id or a range/],
    ['256', 255, /outside 1–255/],
  ] as const)('refuses units %s with a clear message', (text, max, msg) => {
    expect(() => parseUnits(text, max)).toThrow(msg);
  });

  it('refuses an unknown baud rate or parity, naming the choices', () => {
    expect(() => parseBauds('9600,14400')).toThrow('--baud: "14400" is not one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200 or "all"');
    expect(() => parseParities('mark')).toThrow('--parity: "mark" is not one of even, none, odd or "all"');
  });

  it('reads a TCP target with the default port 502', () => {
    expect(parseTcpTarget('192.168.1.20')).toEqual({ host: '192.168.1.20', port: 502 });
    expect(parseTcpTarget('meter.local:1502')).toEqual({ host: 'meter.local', port: 1502 });
    expect(() => parseTcpTarget('host:99999')).toThrow('--tcp: port 99999 is outside 1–65535');
  });
});
