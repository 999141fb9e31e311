import { describe, expect, it } from 'vitest';
import { bitsPerChar, charMs, t15Ms, t35Ms } from './rtu-line-timing.js';

describe('RTU line timing (Modbus over Serial Line V1.02 §2.5.1.1)', () => {
  it('a compliant character is 11 bits: 8E1, 8O1, 8N2; 8N1 and 7E1 are 10', () => {
    expect(bitsPerChar({ baudRate: 9600, parity: 'even' })).toBe(11);
    expect(bitsPerChar({ baudRate: 9600, parity: 'odd', stopBits: 1 })).toBe(11);
    expect(bitsPerChar({ baudRate: 9600, parity: 'none' })).toBe(11);
    expect(bitsPerChar({ baudRate: 9600, parity: 'none', stopBits: 1 })).toBe(10);
    expect(bitsPerChar({ baudRate: 9600, parity: 'even', stopBits: 1, dataBits: 7 })).toBe(10);
  });

  it('t3.5 is 3.5 characters up to 19200 baud, then fixed at 1.75 ms (t1.5 at 0.75 ms)', () => {
    expect(charMs({ baudRate: 9600, parity: 'even' })).toBeCloseTo(1.1458, 4);
    expect(t35Ms({ baudRate: 9600, parity: 'even' })).toBeCloseTo(4.0104, 4);
    expect(t35Ms({ baudRate: 19200, parity: 'even' })).toBeCloseTo(2.0052, 4);
    expect(t35Ms({ baudRate: 38400, parity: 'even' })).toBe(1.75);
    expect(t15Ms({ baudRate: 115200, parity: 'even' })).toBe(0.75);
  });
});
