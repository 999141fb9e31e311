import { describe, expect, it } from 'vitest';
import { MbapDecoder, encodeMbap } from './mbap.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const shown = (frames: Array<{ transactionId: number; unitId: number; pdu: Buffer }>): string[] =>
  frames.map((f) => `${f.transactionId}/${f.unitId}:${f.pdu.toString('hex')}`);

// MBAP: transaction id (2), protocol id 0000, length (unit id + PDU), unit id, PDU
const READ_T1 = '0001 0000 0006 01 03 0000 0002';
const READ_T2 = '0002 0000 0006 02 04 0010 0001';

describe('MbapDecoder', () => {
  it('decodes several requests from one chunk', () => {
    expect(shown(new MbapDecoder().push(hex(READ_T1 + READ_T2)))).toEqual(['1/1:0300000002', '2/2:0400100001']);
  });

  it('waits for the rest of a request split inside its header and its PDU', () => {
    const d = new MbapDecoder();
    const req = hex(READ_T1);
    expect(d.push(req.subarray(0, 3))).toEqual([]);
    expect(d.push(req.subarray(3, 9))).toEqual([]);
    expect(shown(d.push(Buffer.concat([req.subarray(9), hex(READ_T2).subarray(0, 4)])))).toEqual(['1/1:0300000002']);
    expect(shown(d.push(hex(READ_T2).subarray(4)))).toEqual(['2/2:0400100001']);
  });

  it('drops a frame whose protocol id is not 0 (not Modbus) and keeps going', () => {
    expect(shown(new MbapDecoder().push(hex('0009 0001 0006 01 03 0000 0002' + READ_T2)))).toEqual(['2/2:0400100001']);
  });

  it('throws on an impossible length, since a stream cannot be resynchronised', () => {
    expect(() => new MbapDecoder().push(hex('0001 0000 0000 01'))).toThrow(/length 0/);
    expect(() => new MbapDecoder().push(hex('0001 0000 0100 01'))).toThrow(/length 256/);
  });
});

describe('encodeMbap', () => {
  it('echoes the transaction id and counts unit id + PDU in the length', () => {
    expect(encodeMbap(0xbeef, 7, hex('03 02 0064')).toString('hex')).toBe('beef' + '0000' + '0005' + '07' + '03020064');
  });
});
