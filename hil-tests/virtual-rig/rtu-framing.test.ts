import { describe, expect, it } from 'vitest';
import { withCrc } from './crc16.js';
import { RtuRequestDecoder } from './rtu-framing.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** An RTU frame: address + PDU + CRC. */
const frame = (s: string): Buffer => withCrc(hex(s));
const shown = (frames: Array<{ unitId: number; pdu: Buffer }>): string[] => frames.map((f) => `${f.unitId}:${f.pdu.toString('hex')}`);

describe('RtuRequestDecoder', () => {
  it('decodes a read request delivered in one chunk', () => {
    // unit 1, FC03, start 2, quantity 1, CRC 25 CA
    expect(shown(new RtuRequestDecoder().push(hex('01 03 0002 0001 25CA')))).toEqual(['1:0300020001']);
  });

  it('waits for the rest of a frame split over several chunks', () => {
    const d = new RtuRequestDecoder();
    const f = frame('01 03 0002 0001');
    expect(d.push(f.subarray(0, 1))).toEqual([]);
    expect(d.push(f.subarray(1, 5))).toEqual([]);
    expect(shown(d.push(f.subarray(5)))).toEqual(['1:0300020001']);
    expect(d.buffered).toBe(0);
  });

  it('uses the byte count of FC16 to find the end of a frame split inside its data', () => {
    const d = new RtuRequestDecoder();
    // unit 7, FC16, start 0, quantity 3, byte count 6, data
    const f = frame('07 10 0000 0003 06 0001 0002 0003');
    expect(d.push(f.subarray(0, 9))).toEqual([]);
    expect(shown(d.push(f.subarray(9)))).toEqual(['7:100000000306000100020003']);
  });

  it('uses the byte count of FC15', () => {
    // unit 2, FC15, start 0x13, quantity 10, byte count 2, CD 01 (the spec's §6.11 example)
    expect(shown(new RtuRequestDecoder().push(frame('02 0F 0013 000A 02 CD01')))).toEqual(['2:0f0013000a02cd01']);
  });

  it('decodes several frames from one chunk, including a broadcast', () => {
    const chunk = Buffer.concat([frame('01 03 0000 0002'), frame('00 06 0001 0005'), frame('02 04 0000 0001')]);
    expect(shown(new RtuRequestDecoder().push(chunk))).toEqual(['1:0300000002', '0:0600010005', '2:0400000001']);
  });

  it('drops a frame with a bad CRC silently and still decodes the next one', () => {
    const d = new RtuRequestDecoder();
    const bad = hex('01 03 0002 0001 25CB'); // last CRC byte wrong
    expect(shown(d.push(Buffer.concat([bad, frame('01 03 0004 0001')])))).toEqual(['1:0300040001']);
    expect(d.discardedBytes).toBe(8);
  });

  it('resynchronises after garbage before a frame', () => {
    const d = new RtuRequestDecoder();
    expect(shown(d.push(Buffer.concat([hex('FF FE 00 13 37'), frame('05 03 0000 000A')])))).toEqual(['5:030000000a']);
  });

  it('does not wait forever on garbage that looks like the start of a long FC16 frame', () => {
    const d = new RtuRequestDecoder();
    // "unit 1, FC16, byte count 0xF6": 255 bytes that will never come
    expect(d.push(hex('01 10 0000 007B F6 00 00'))).toEqual([]);
    expect(shown(d.push(frame('01 03 0000 0001')))).toEqual(['1:0300000001']);
    expect(d.buffered).toBe(0);
  });

  it('finds the end of a request with an unsupported function code by its CRC', () => {
    // FC43/14 read device identification: 2B 0E 01 00, so the slave can answer exception 1
    expect(shown(new RtuRequestDecoder().push(Buffer.concat([frame('01 2B 0E 01 00'), frame('01 03 0000 0001')])))).toEqual([
      '1:2b0e0100',
      '1:0300000001',
    ]);
  });

  it('ignores reserved addresses and exception-response function codes', () => {
    expect(new RtuRequestDecoder().push(frame('F8 03 0000 0001'))).toEqual([]);
    expect(new RtuRequestDecoder().push(frame('01 83 02'))).toEqual([]);
  });

  it('keeps at most one ADU of bytes while fed noise', () => {
    const d = new RtuRequestDecoder();
    let seed = 1;
    const noise = Buffer.from(Array.from({ length: 5000 }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 16) & 0xff));
    for (let i = 0; i < noise.length; i += 37) d.push(noise.subarray(i, i + 37));
    expect(d.buffered).toBeLessThanOrEqual(256);
    expect(shown(d.push(Buffer.concat([Buffer.alloc(300, 0xff), frame('09 03 0000 0001')])))).toContain('9:0300000001');
  });
});
