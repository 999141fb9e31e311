/**
 * Every kind of bad frame → the typed error a link needs to deny it and count it.
 * GB/T 26875.3-2011 §6.5 (transcription): checksum, unknown command, ADU length over the limit,
 * bad start or end are check errors; the ADU faults below are ours, split the same way.
 */
import { describe, expect, it } from 'vitest';
import { Command } from './codes.js';
import { toVigilError, type Gb26875DecodeErrorCode } from './errors.js';
import { Gb26875Message, denyFrame } from './message.js';
import { FIRE_ALARM, patched, SENT, upstreamHeader, withChecksum } from './testing/fixtures.js';
import { hex } from './testing/hex.js';

/** A frame around `adu`, sent with command 2 from the usual header. */
function frameWith(adu: Buffer, command: number = Command.Send): Buffer {
  const b = Buffer.alloc(30 + adu.length);
  Gb26875Message.serialize(upstreamHeader(command)).copy(b, 0, 0, 27);
  b.writeUInt16LE(adu.length, 24);
  adu.copy(b, 27);
  b[b.length - 2] = 0x23;
  b[b.length - 1] = 0x23;
  return withChecksum(b);
}

function decodeError(bytes: Buffer) {
  const r = Gb26875Message.from(bytes);
  if (r.ok) throw new Error('decoded a bad frame');
  return r.error;
}

/** The fire alarm with byte 46 (in "层", 0xE3) changed to 0xE2: the sum drops by one. */
const flipped = Buffer.concat([FIRE_ALARM.subarray(0, 45), Buffer.from([0xe2]), FIRE_ALARM.subarray(46)]);
const twoFrames = Buffer.concat([FIRE_ALARM, FIRE_ALARM]);
const overLimit = Buffer.alloc(30 + 1025);
FIRE_ALARM.copy(overLimit, 0, 0, 27);
overLimit.writeUInt16LE(1025, 24);
overLimit.set([0x23, 0x23], overLimit.length - 2);

const cases: [string, Gb26875DecodeErrorCode, Buffer, RegExp][] = [
  ['29 bytes', 'too-short', FIRE_ALARM.subarray(0, 29), /29 bytes is shorter than the 30/],
  ['nothing at all', 'too-short', Buffer.alloc(0), /0 bytes/],
  ["start '@#'", 'bad-start', patched(FIRE_ALARM, 1, [0x23]), /start is 0x40 0x23/],
  ["end '#@'", 'bad-end', Buffer.concat([FIRE_ALARM.subarray(0, 77), Buffer.from([0x40])]), /end is 0x23 0x40/],
  ['frame cut short (the end is not where it should be)', 'bad-end', FIRE_ALARM.subarray(0, 60), /end is/],
  ['ADU length 1025', 'adu-over-limit', overLimit, /ADU length 1025 is over the limit of 1024/],
  ['ADU length field one short', 'length-mismatch', patched(FIRE_ALARM, 24, [47]), /frame is 78 bytes but its ADU length 47 makes it 77/],
  ['two frames in one buffer', 'length-mismatch', twoFrames, /156 bytes/],
  ['one description byte flipped', 'bad-checksum', flipped, /checksum is 0x48 but bytes 3–75 sum to 0x47/],
  ['checksum 0x00', 'bad-checksum', Buffer.concat([FIRE_ALARM.subarray(0, 75), hex('00 23 23')]), /checksum is 0x00/],
  ['command 0 (reserved)', 'unknown-command', patched(FIRE_ALARM, 26, [0]), /command byte 0 is reserved/],
  ['command 7 (reserved)', 'unknown-command', patched(FIRE_ALARM, 26, [7]), /command byte 7/],
  ['command 127 (reserved)', 'unknown-command', patched(FIRE_ALARM, 26, [127]), /command byte 127/],
  ['type flag 9 (reserved)', 'unknown-type', frameWith(hex('09 01 00')), /type flag 9 is reserved/],
  ['type flag 0', 'unknown-type', frameWith(hex('00 01 00')), /type flag 0/],
  ['type flag 255 (not in 128–254)', 'unknown-type', frameWith(hex('FF 01 00')), /type flag 255/],
  ['type 2 with 0 objects', 'no-objects', frameWith(hex('02 00')), /announces 0 objects/],
  ['type 2 with 23 objects', 'count-over-limit', frameWith(Buffer.concat([hex('02 17'), FIRE_ALARM.subarray(29, 75)])), /23 objects; at most 22/],
  ['type 5 with 2 objects', 'count-over-limit', frameWith(hex('05 02  01 01 01 00  01 02 01 00')), /at most 1/],
  ['type 24 with 128 objects', 'count-over-limit', frameWith(hex('18 80  20 01 02 3A 09 1A 09 0C')), /128 objects; at most 127/],
  ['ADU of one byte', 'body-too-short', frameWith(hex('02')), /no room for a type flag and an object count/],
  ['type 2 announcing 2 objects, carrying 1', 'body-too-short', frameWith(Buffer.concat([hex('02 02'), FIRE_ALARM.subarray(29, 75)])), /object 2 of 2 needs 46 bytes at offset 48, but the ADU is 48 bytes/],
  ['type 90 with the 1 reserved byte of §8.3.2.15 instead of a time', 'body-too-short', frameWith(hex('5A 01 00'), Command.Control), /needs 6 bytes/],
  ['type 6 whose text runs past the ADU', 'body-too-short', frameWith(hex('06 01  01 01  05  41 42'), Command.Answer), /needs 8 bytes at offset 2/],
  ['type 26 without its length byte', 'body-too-short', frameWith(hex('1A 01'), Command.Answer), /needs its length byte/],
  ['type 1 with a byte left over', 'body-too-long', frameWith(hex('01 01  01 01 01 00  02 3A 09 1A 09 0C  FF')), /1 objects end at byte 12, but the ADU is 13 bytes/],
];

describe('bad frames decode to typed errors, never exceptions', () => {
  it.each(cases)('%s → %s', (_name, code, bytes, message) => {
    const error = decodeError(bytes);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it('keeps the control unit whenever bytes 3–27 were there, so the frame can be denied', () => {
    for (const [name, code, bytes] of cases) {
      const error = decodeError(bytes);
      if (code === 'too-short' || code === 'bad-start') expect(error.header, name).toBeUndefined();
      else expect(error.header?.serial, name).toBe(23);
    }
  });

  it('builds the deny for a bad checksum: serial echoed, addresses swapped, empty ADU', () => {
    const error = decodeError(flipped);
    expect(denyFrame(error.header!, SENT)).toEqual(
      hex(`40 40  17 00  01 01  05 1E 0E 12 05 18
           D1 07 00 00 00 00  E9 03 00 00 00 00  // from 2001 back to 1001
           00 00  06                             // no ADU, command 6 (deny)
           43                                    // 23+2+96 + 209+7 + 233+3 + 6 = 579 = 2×256 + 67 → 0x43
           23 23`),
    );
  });

  it('maps onto the gateway’s error class: a bad checksum is COMM_CRC, the rest COMM_BAD_FRAME', () => {
    const crc = Buffer.from(FIRE_ALARM);
    crc[75] = 0;
    expect(toVigilError(decodeError(crc))).toMatchObject({ code: 'COMM_CRC', details: { gb26875: 'bad-checksum', serial: 23, command: 2 } });
    expect(toVigilError(decodeError(FIRE_ALARM.subarray(0, 10)))).toMatchObject({ code: 'COMM_BAD_FRAME', details: { gb26875: 'too-short' } });
  });

  it('survives random corruption of good frames without throwing', () => {
    // A small deterministic fuzz (the stream framer has its own million-frame one): flip, drop
    // and insert bytes, with and without repairing the checksum, and decode every result.
    let seed = 26875;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const seeds = [FIRE_ALARM, ...cases.map((c) => c[2])];
    let decoded = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = Buffer.from(seeds[rand(seeds.length)]!);
      const pos = rand(Math.max(b.length, 1));
      let m: Buffer = b;
      switch (rand(3)) {
        case 0: if (b.length > 0) b[pos] = rand(256); break;
        case 1: m = Buffer.concat([b.subarray(0, pos), b.subarray(pos + 1)]); break;
        default: m = Buffer.concat([b.subarray(0, pos), Buffer.from([rand(256)]), b.subarray(pos)]);
      }
      if (rand(2) === 0 && m.length >= 30 && 30 + m.readUInt16LE(24) === m.length) m = withChecksum(m);
      const r = Gb26875Message.from(m);
      if (r.ok) decoded++;
    }
    // Some mutations land in fields any value is good for (time, addresses, text): those decode.
    expect(decoded).toBeGreaterThan(0);
  });
});
