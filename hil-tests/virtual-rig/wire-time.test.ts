/**
 * The wire-time arithmetic against figures worked by hand from Modbus over Serial Line V1.02
 * §2.5.1 / §2.5.1.1 and the ADU layouts of Modbus Application Protocol V1.1b3 §6.
 */
import { describe, expect, it } from 'vitest';
import { bitsPerChar, charMs, checkWireSpec, frameMs, readAduSizes, t15Ms, t35Ms, transactionMs, writeAduSizes } from './wire-time.js';

const line9600 = { baudRate: 9600, parity: 'even' as const };
const line115200 = { baudRate: 115200, parity: 'even' as const };

describe('character and silent-interval times', () => {
  it('counts 11 bits a character on a compliant line, 10 on an 8N1 line', () => {
    expect(bitsPerChar({ baudRate: 9600, parity: 'even' })).toBe(11); // start + 8 + parity + stop
    expect(bitsPerChar({ baudRate: 9600, parity: 'none' })).toBe(11); // no parity → 2 stop bits (§2.5.1)
    expect(bitsPerChar({ baudRate: 9600, parity: 'none', stopBits: 1 })).toBe(10);
    expect(bitsPerChar({ baudRate: 9600, parity: 'odd', stopBits: 2 })).toBe(12);
  });

  it('gives 1.146 ms a character and t3.5 = 4.01 ms at 9600 baud', () => {
    expect(charMs(line9600)).toBeCloseTo(11_000 / 9600, 9);
    expect(t35Ms(line9600)).toBeCloseTo(4.0104, 3);
    expect(t15Ms(line9600)).toBeCloseTo(1.7188, 3);
  });

  it('uses the times of the characters up to 19200 baud', () => {
    expect(t35Ms({ baudRate: 19200, parity: 'even' })).toBeCloseTo((3.5 * 11_000) / 19200, 9); // 2.005 ms
  });

  it('fixes t1.5 = 750 µs and t3.5 = 1.75 ms above 19200 baud', () => {
    expect(t35Ms(line115200)).toBe(1.75);
    expect(t15Ms(line115200)).toBe(0.75);
    expect(t35Ms({ baudRate: 38400, parity: 'none' })).toBe(1.75);
    expect(charMs(line115200)).toBeCloseTo(0.0955, 4);
  });
});

describe('ADU sizes', () => {
  it('sizes register reads: 8-byte request, 5 + 2n response', () => {
    expect(readAduSizes('holding', 125)).toEqual({ request: 8, response: 255 });
    expect(readAduSizes('input', 1)).toEqual({ request: 8, response: 7 });
  });

  it('packs bits eight to a byte', () => {
    expect(readAduSizes('coil', 1)).toEqual({ request: 8, response: 6 });
    expect(readAduSizes('discrete', 9)).toEqual({ request: 8, response: 7 });
    expect(readAduSizes('coil', 2000)).toEqual({ request: 8, response: 255 });
  });

  it('sizes FC15/FC16 writes and their 8-byte echo', () => {
    expect(writeAduSizes('coil', 1)).toEqual({ request: 10, response: 8 });
    expect(writeAduSizes('holding', 2)).toEqual({ request: 13, response: 8 });
  });
});

describe('transaction time', () => {
  it('adds request, t3.5, turnaround, response and t3.5', () => {
    // 125 registers at 9600 8E1 with a 5 ms turnaround: (8 + 255) chars × 1.1458 ms + 2 × 4.0104 + 5
    const ms = transactionMs({ ...line9600, turnaroundMs: 5 }, 8, 255);
    expect(ms).toBeCloseTo(263 * (11_000 / 9600) + 2 * 3.5 * (11_000 / 9600) + 5, 9);
    expect(ms).toBeCloseTo(314.37, 1);
    expect(frameMs(line9600, 255)).toBeCloseTo(292.19, 1);
  });

  it('is dominated by the fixed gaps on a fast line', () => {
    // 8 + 7 chars at 115200 = 1.43 ms; gaps 3.5 ms
    expect(transactionMs({ ...line115200, turnaroundMs: 0 }, 8, 7)).toBeCloseTo(15 * (11_000 / 115200) + 3.5, 9);
  });
});

describe('checkWireSpec', () => {
  it('accepts a compliant spec', () => {
    expect(checkWireSpec('buses[0]', { parity: 'even', turnaroundMs: 5 }, 9600)).toEqual([]);
    expect(checkWireSpec('buses[0]', { parity: 'none', stopBits: 1, turnaroundMs: 0 }, 115200)).toEqual([]);
  });

  it('names every bad field', () => {
    const problems = checkWireSpec('buses[2]', { parity: 'mark', stopBits: 3, turnaroundMs: -1, baud: 9600 }, 9601);
    expect(problems).toEqual([
      expect.stringMatching(/^buses\[2\]\.wire\.baud: unknown field .*baudRate/),
      'buses[2].baudRate: 9601 is not one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
      `buses[2].wire.parity: "mark" is not 'none', 'even' or 'odd'`,
      'buses[2].wire.stopBits: 3 is not 1 or 2',
      expect.stringMatching(/^buses\[2\]\.wire\.turnaroundMs: -1 is not a number of ms in 0\.\.1000/),
    ]);
  });

  it('requires the baud rate and the turnaround, and an object', () => {
    expect(checkWireSpec('buses[0]', { parity: 'even' }, undefined)).toEqual([
      expect.stringMatching(/^buses\[0\]\.baudRate: required when wire emulation is on/),
      expect.stringMatching(/^buses\[0\]\.wire\.turnaroundMs: undefined is not/),
    ]);
    expect(checkWireSpec('buses[0]', true, 9600)).toEqual([expect.stringMatching(/^buses\[0\]\.wire: true is not an object/)]);
  });
});
