import { describe, expect, it } from 'vitest';
import { gb26875Checksum, gb26875FrameSpec as spec, GB26875_MAX_FRAME_BYTES } from './gb26875.js';
import { randomGb26875Frame, seededRandom } from './gb26875-synthetic.js';

/**
 * The fire alarm from a smoke detector, as transcribed in reference/standards.md §3.2 (78 bytes,
 * checksum 0x46). The description is 20 × '0' (0x30) padded with 11 zero bytes to 31.
 */
// prettier-ignore
const SMOKE_FIRE_ALARM = Buffer.from([
  0x40, 0x40,                               // start '@@'
  0x01, 0x00,                               // serial 1
  0x01, 0x01,                               // version 1.1
  0x20, 0x3a, 0x09, 0x1a, 0x09, 0x0c,       // 09:58:32 26/09/2012 (sec min hour day month year)
  0x79, 0x03, 0x00, 0x00, 0x00, 0x00,       // source 889
  0x38, 0x5b, 0x01, 0x00, 0x00, 0x00,       // destination 88888
  0x30, 0x00,                               // ADU length 48
  0x02,                                     // command 2: send data
  0x02, 0x01,                               // ADU: type 2 (component status), 1 object
  0x01, 0x01, 0x28,                         //   system 1, address 1, component type 40 (smoke)
  0x0a, 0x00, 0x02, 0x00,                   //   component address
  0x02, 0x00,                               //   status 0x0002: fire
  ...Array<number>(20).fill(0x30), ...Array<number>(11).fill(0x00), // description, 31 B
  0x02, 0x3a, 0x09, 0x1a, 0x09, 0x0c,       //   event time 09:58:02
  0x46,                                     // checksum
  0x23, 0x23,                               // end '##'
]);

describe('gb26875FrameSpec: the envelope of GB/T 26875.3-2011', () => {
  it('accepts the standard example frame: length 30 + 48, checksum 0x46', () => {
    expect(SMOKE_FIRE_ALARM).toHaveLength(78);
    expect(spec.findStart(SMOKE_FIRE_ALARM, 0)).toBe(0);
    expect(spec.frameLength(SMOKE_FIRE_ALARM, 0)).toBe(78);
    expect(spec.check(SMOKE_FIRE_ALARM, 0, 78)).toBeNull();
    // Bytes 3–27 and the ADU: offsets 2 .. 74, the checksum at 75.
    expect(gb26875Checksum(SMOKE_FIRE_ALARM, 2, 75)).toBe(0x46);
  });

  it('needs bytes 25–26 before it can give a length, and works at any offset', () => {
    const inBuffer = Buffer.concat([Buffer.from('xyz'), SMOKE_FIRE_ALARM]);
    expect(spec.frameLength(inBuffer.subarray(0, 3 + 25), 3)).toBe('need-more');
    expect(spec.frameLength(inBuffer.subarray(0, 3 + 26), 3)).toBe(78);
    expect(spec.check(inBuffer, 3, 78)).toBeNull();
  });

  it('rejects an ADU length over 1024 (bytes 25–26) as bad-length, and allows exactly 1024', () => {
    const header = Buffer.from(SMOKE_FIRE_ALARM.subarray(0, 27));
    header.writeUInt16LE(1025, 24);
    expect(spec.frameLength(header, 0)).toEqual({ error: 'bad-length', detail: 'ADU length 1025 > 1024 (bytes 25–26)' });
    header.writeUInt16LE(1024, 24);
    expect(spec.frameLength(header, 0)).toBe(GB26875_MAX_FRAME_BYTES);
    const longest = randomGb26875Frame(seededRandom(1), 1024);
    expect(longest).toHaveLength(1054);
    expect(spec.check(longest, 0, 1054)).toBeNull();
  });

  it('names the checksum it found and the one it computed', () => {
    const bad = Buffer.from(SMOKE_FIRE_ALARM);
    bad[75] = 0x47;
    expect(spec.check(bad, 0, 78)).toEqual({ error: 'bad-check', detail: 'checksum 0x47, computed 0x46' });
  });

  it('a changed byte anywhere in bytes 3–27 or the ADU fails the checksum', () => {
    for (let i = 2; i < 75; i++) {
      const bad = Buffer.from(SMOKE_FIRE_ALARM);
      bad[i] = bad[i]! ^ 0x10;
      const length = spec.frameLength(bad, 0);
      // A change in the length field moves the end: that is caught as a length or an end fault instead.
      if (length !== 78) continue;
      expect(spec.check(bad, 0, 78)?.error, `byte offset ${i}`).toBe('bad-check');
    }
  });

  it("rejects end characters other than '##' as bad-end", () => {
    const bad = Buffer.from(SMOKE_FIRE_ALARM);
    bad[77] = 0x24;
    expect(spec.check(bad, 0, 78)).toEqual({ error: 'bad-end', detail: "end characters 0x23 0x24, expected '##' (0x23 0x23)" });
  });

  describe('findStart', () => {
    const cases: Array<[string, string, number, number]> = [
      ['"@@" at the beginning', '@@abc', 0, 0],
      ['"@@" after noise', 'ab@c@@d', 0, 4],
      ['a lone "@" is not a start', 'a@b', 0, -1],
      ['a lone "@" at the very end may be half of "@@"', 'ab@', 0, 2],
      ['"@@@": the first pair', 'x@@@', 0, 1],
      ['searching from inside "@@@" finds the next pair', 'x@@@', 2, 2],
      ['from past the last start', '@@ab', 1, -1],
      ['nothing', '', 0, -1],
    ];
    it.each(cases)('%s', (_name, text, from, expected) => {
      expect(spec.findStart(Buffer.from(text, 'latin1'), from)).toBe(expected);
    });
  });
});
