import { describe, expect, it } from 'vitest';
import { Command } from './codes.js';
import { Gb26875EncodeError } from './errors.js';
import { Gb26875Frame } from './frame.js';
import { FIRE_ALARM, SENT, upstreamHeader } from './testing/fixtures.js';
import { hex } from './testing/hex.js';

const FIRE_ADU = FIRE_ALARM.subarray(27, 27 + 48);

describe('Gb26875Frame', () => {
  it('serializes a hand-built fire alarm byte for byte, checksum included', () => {
    expect(FIRE_ALARM.length).toBe(78); // 30 + 48
    expect(Gb26875Frame.serialize({ header: upstreamHeader(Command.Send), adu: FIRE_ADU })).toEqual(FIRE_ALARM);
  });

  it('reads the control unit and the ADU back', () => {
    const r = Gb26875Frame.from(FIRE_ALARM);
    expect(r).toEqual({ ok: true, value: { header: upstreamHeader(Command.Send), adu: FIRE_ADU } });
  });

  it('reads a frame that sits inside a larger buffer (a framer’s subarray)', () => {
    const stream = Buffer.concat([Buffer.from([0xaa, 0xbb]), FIRE_ALARM, Buffer.from([0xcc])]);
    const r = Gb26875Frame.from(stream.subarray(2, 2 + FIRE_ALARM.length));
    expect(r.ok && r.value.header.serial).toBe(23);
  });

  it('carries 6-byte addresses up to 2^48 − 1, low byte first', () => {
    const header = { ...upstreamHeader(Command.Confirm), source: 0x0605_0403_0201, destination: 2 ** 48 - 1 };
    const bytes = Gb26875Frame.serialize({ header, adu: Buffer.alloc(0) });
    expect(bytes.subarray(12, 24)).toEqual(hex('01 02 03 04 05 06  FF FF FF FF FF FF'));
    const r = Gb26875Frame.from(bytes);
    expect(r.ok && r.value.header).toEqual(header);
  });

  it('accepts a full 1024-byte ADU and user-defined commands', () => {
    const header = upstreamHeader(200);
    const bytes = Gb26875Frame.serialize({ header, adu: Buffer.alloc(1024, 7) });
    expect(bytes.length).toBe(1054);
    const r = Gb26875Frame.from(bytes);
    expect(r.ok && r.value.adu.length).toBe(1024);
  });

  it('accepts a main version other than 1 (DGIOT’s sample panel sends 0x10)', () => {
    const header = { ...upstreamHeader(Command.Send), version: { major: 0x10, user: 0 } };
    const r = Gb26875Frame.from(Gb26875Frame.serialize({ header, adu: Buffer.alloc(0) }));
    expect(r.ok && r.value.header.version).toEqual({ major: 0x10, user: 0 });
  });

  describe('refuses to encode what no frame can carry, naming the field', () => {
    const adu = Buffer.alloc(0);
    const cases: [string, () => unknown, RegExp][] = [
      ['ADU over 1024', () => Gb26875Frame.serialize({ header: upstreamHeader(2), adu: Buffer.alloc(1025) }), /^adu: 1025 bytes is over the limit of 1024/],
      ['reserved command 0', () => Gb26875Frame.serialize({ header: upstreamHeader(0), adu }), /^header\.command: 0 is reserved/],
      ['reserved command 7', () => Gb26875Frame.serialize({ header: upstreamHeader(7), adu }), /^header\.command: 7 is reserved/],
      ['serial over u16', () => Gb26875Frame.serialize({ header: { ...upstreamHeader(2), serial: 65536 }, adu }), /^header\.serial: 65536 is not an unsigned 16-bit/],
      ['address over 6 bytes', () => Gb26875Frame.serialize({ header: { ...upstreamHeader(2), source: 2 ** 48 }, adu }), /^header\.source:/],
      ['negative destination', () => Gb26875Frame.serialize({ header: { ...upstreamHeader(2), destination: -1 }, adu }), /^header\.destination:/],
      ['bad time', () => Gb26875Frame.serialize({ header: { ...upstreamHeader(2), time: { ...SENT, hour: 24 } }, adu }), /^header\.time: hour 24/],
    ];
    it.each(cases)('%s', (_name, encode, message) => {
      expect(encode).toThrow(Gb26875EncodeError);
      expect(encode).toThrow(message);
    });
  });
});
