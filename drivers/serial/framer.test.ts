import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { FrameSpec } from './frame-spec.js';
import { Framer } from './framer.js';
import { GB26875_MAX_FRAME_BYTES } from './specs/gb26875.js';
import { randomGb26875Frame, seededRandom } from './specs/gb26875-synthetic.js';
import { bytes, FramerHarness } from './testing/framer-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const random = seededRandom(2026);
/** Frames with ADUs of 0, 48 and 1024 bytes (the shortest, a typical one, the longest). */
const EMPTY = randomGb26875Frame(random, 0);
const TYPICAL = randomGb26875Frame(random, 48);
const LONGEST = randomGb26875Frame(random, 1024);
/** Noise without '@', so the only starts are the ones a test puts there. */
const NOISE = Buffer.from('the quick brown fox jumps over the lazy dog ', 'latin1');

describe('Framer: chunking', () => {
  it('finds a frame split at every possible point', () => {
    for (const frame of [EMPTY, TYPICAL]) {
      for (let k = 0; k <= frame.length; k++) {
        const h = new FramerHarness().push(frame.subarray(0, k), frame.subarray(k));
        expect(h.frames, `${frame.length}-byte frame split at ${k}`).toEqual([frame]);
        expect(h.faults).toEqual([]);
        expect(h.counters().bufferedBytes).toBe(0);
      }
    }
  });

  it('finds a frame split at every pair of points (three reads)', () => {
    for (let i = 0; i <= TYPICAL.length; i++) {
      for (let j = i; j <= TYPICAL.length; j++) {
        const h = new FramerHarness().push(TYPICAL.subarray(0, i), TYPICAL.subarray(i, j), TYPICAL.subarray(j));
        expect(h.frames.length === 1 && h.faults.length === 0, `split at ${i} and ${j}`).toBe(true);
      }
    }
  });

  it('finds a frame that arrives one byte at a time', () => {
    const h = new FramerHarness();
    for (const b of LONGEST) h.push(Uint8Array.of(b));
    expect(h.frames).toEqual([LONGEST]);
    expect(h.faults).toEqual([]);
  });

  it('finds several frames in one read, in order', () => {
    const h = new FramerHarness().push(bytes(EMPTY, TYPICAL, LONGEST, TYPICAL));
    expect(h.frames).toEqual([EMPTY, TYPICAL, LONGEST, TYPICAL]);
    expect(h.faults).toEqual([]);
    expect(h.counters()).toMatchObject({ frames: 4, frameBytes: 30 + 78 + 1054 + 78, skippedBytes: 0, bufferedBytes: 0 });
  });

  it('finds frames across reads that end and begin mid-frame', () => {
    const stream = bytes(TYPICAL, EMPTY, LONGEST, TYPICAL);
    const h = new FramerHarness();
    for (let at = 0; at < stream.length; at += 37) h.push(stream.subarray(at, at + 37));
    expect(h.frames).toEqual([TYPICAL, EMPTY, LONGEST, TYPICAL]);
  });

  it('delivers copies: the caller may reuse its read buffer', () => {
    const read = Buffer.from(TYPICAL);
    const h = new FramerHarness().push(read);
    read.fill(0);
    expect(h.frames[0]).toEqual(TYPICAL);
  });

  it('takes a read that is a view into a larger buffer', () => {
    const big = bytes(NOISE, TYPICAL, NOISE);
    const h = new FramerHarness().push(big.subarray(NOISE.length - 3, NOISE.length + TYPICAL.length + 2));
    expect(h.frames).toEqual([TYPICAL]);
  });
});

describe('Framer: garbage and resynchronisation', () => {
  it('skips garbage before, between and after frames, and counts the bytes', () => {
    const h = new FramerHarness().push(bytes(NOISE, TYPICAL, NOISE.subarray(0, 5), EMPTY, NOISE.subarray(0, 7)));
    expect(h.frames).toEqual([TYPICAL, EMPTY]);
    expect(h.faults.map((f) => [f.kind, f.offset, f.bytes])).toEqual([
      ['garbage', 0, NOISE.length],
      ['garbage', NOISE.length + 78, 5],
      ['garbage', NOISE.length + 78 + 5 + 30, 7],
    ]);
    expect(h.faults[0]?.message).toBe(`GB/T 26875.3: ${NOISE.length} bytes skipped at byte 0 (no frame start)`);
    expect(h.faults[0]?.head).toEqual(Buffer.from(NOISE.subarray(0, 16)));
    expect(h.counters()).toMatchObject({ skippedBytes: NOISE.length + 12, faults: { garbage: 3 } });
    expect(h.balanced()).toBe(true);
  });

  it('a false "@@" in garbage: the candidate is rejected and the real frame behind it is found', () => {
    // '@@' then 22 bytes, and an ADU length of 10: the false frame would end 40 bytes on,
    // inside the real frame, where there is no '##'.
    const fakeHeader = bytes('@@', Buffer.alloc(22, 0x61), [10, 0]);
    const h = new FramerHarness().push(bytes(fakeHeader, NOISE.subarray(0, 4), TYPICAL));
    expect(h.frames).toEqual([TYPICAL]);
    expect(h.kinds()).toEqual(['bad-end', 'garbage']);
    expect(h.faults[0]).toMatchObject({ offset: 0, bytes: 40 });
    expect(h.faults[0]?.message).toMatch(/^GB\/T 26875\.3 frame at byte 0: end characters 0x[0-9a-f]{2} 0x[0-9a-f]{2}, expected '##'/);
    // The rejected candidate lost one byte; the rest up to the real start was garbage.
    expect(h.faults[1]).toMatchObject({ kind: 'garbage', offset: 1, bytes: fakeHeader.length + 4 - 1 });
    expect(h.balanced()).toBe(true);
  });

  it('extra start characters before a frame ("@@@@…") are skipped', () => {
    const h = new FramerHarness().push(bytes('@@', TYPICAL), bytes('@', EMPTY));
    expect(h.frames).toEqual([TYPICAL, EMPTY]);
    expect(h.counters().skippedBytes).toBe(3);
  });

  it('a run of false starts at consecutive bytes is one event, and every one is counted', () => {
    const h = new FramerHarness().push(Buffer.alloc(1_000, 0x40));
    // Every '@' with 25 more behind it reads an ADU length of 0x4040; the last 25 wait for more.
    expect(h.faults).toHaveLength(1);
    expect(h.faults[0]).toMatchObject({ kind: 'bad-length', offset: 0, count: 975 });
    expect(h.faults[0]?.message).toBe('GB/T 26875.3 frame at byte 0: ADU length 16448 > 1024 (bytes 25–26); and 974 more at the following bytes (to byte 974)');
    expect(h.counters()).toMatchObject({ skippedBytes: 975, bufferedBytes: 25, faults: { 'bad-length': 975 } });
  });

  it('a lone "@" at the end of a read waits for the next read', () => {
    const h = new FramerHarness().push(bytes(NOISE, TYPICAL.subarray(0, 1)));
    expect(h.counters().bufferedBytes).toBe(1);
    h.push(TYPICAL.subarray(1));
    expect(h.frames).toEqual([TYPICAL]);
  });

  it('a length field over 1024 is counted as bad-length and the next frame is found', () => {
    const header = Buffer.from(TYPICAL.subarray(0, 27));
    header.writeUInt16LE(0xffff, 24);
    const h = new FramerHarness().push(bytes(header, TYPICAL));
    expect(h.frames).toEqual([TYPICAL]);
    expect(h.kinds()).toEqual(['bad-length', 'garbage']);
    expect(h.faults[0]?.message).toBe('GB/T 26875.3 frame at byte 0: ADU length 65535 > 1024 (bytes 25–26)');
    expect(h.counters().faults['bad-length']).toBe(1);
  });

  it('a bad checksum is counted, reported with the whole frame (to deny it), and the next frame is found', () => {
    const bad = Buffer.from(TYPICAL);
    bad[75] = (bad[75]! + 1) & 0xff;
    const h = new FramerHarness().push(bytes(bad, EMPTY));
    expect(h.frames).toEqual([EMPTY]);
    expect(h.kinds()).toEqual(['bad-check', 'garbage']);
    expect(h.faults[0]).toMatchObject({ kind: 'bad-check', offset: 0, bytes: 78, head: bad });
    expect(h.faults[0]?.message).toMatch(/checksum 0x[0-9a-f]{2}, computed 0x[0-9a-f]{2}$/);
    expect(h.counters()).toMatchObject({ frames: 1, skippedBytes: 78, faults: { 'bad-check': 1, garbage: 1 } });
  });

  it('a bad end is counted, and the next frame is found', () => {
    const bad = Buffer.from(EMPTY);
    bad[29] = 0x00;
    const h = new FramerHarness().push(bytes(bad, TYPICAL));
    expect(h.frames).toEqual([TYPICAL]);
    expect(h.kinds()).toEqual(['bad-end', 'garbage']);
  });

  it('a frame whose start is damaged is garbage; the frames around it are kept', () => {
    const damaged = Buffer.from(TYPICAL);
    damaged[1] = 0x41;
    const h = new FramerHarness().push(bytes(EMPTY, damaged, EMPTY));
    expect(h.frames).toEqual([EMPTY, EMPTY]);
    expect(h.kinds()).toEqual(['garbage']);
    expect(h.faults[0]?.bytes).toBe(78);
  });

  it('a truncated frame followed by a whole one: the truncated one fails its check, the next is found', () => {
    const h = new FramerHarness().push(bytes(TYPICAL.subarray(0, 50), TYPICAL, EMPTY));
    expect(h.frames).toEqual([TYPICAL, EMPTY]);
    expect(h.counters().faults['bad-end'] + h.counters().faults['bad-check']).toBe(1);
    expect(h.balanced()).toBe(true);
  });
});

describe('Framer: memory stays bounded whatever arrives', () => {
  const max = GB26875_MAX_FRAME_BYTES;
  const inputs: Array<[string, () => Buffer]> = [
    ['random bytes', () => Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919 + (i >> 5)) & 0xff))],
    ["'@' only", () => Buffer.alloc(300_000, 0x40)],
    ['false headers that each claim the longest frame', () => Buffer.concat(Array.from({ length: 300 }, () => bytes('@@', Buffer.alloc(22, 1), [0x00, 0x04], Buffer.alloc(1000, 2))))],
  ];
  it.each(inputs)('%s: never more than maxFrameBytes - 1 buffered, in one read or in small ones', (_name, make) => {
    const data = make();
    const whole = new FramerHarness().push(data);
    expect(whole.counters().bufferedBytes).toBeLessThan(max);
    expect(whole.balanced()).toBe(true);
    const pieces = new FramerHarness();
    for (let at = 0; at < data.length; at += 509) {
      pieces.push(data.subarray(at, at + 509));
      expect(pieces.counters().bufferedBytes).toBeLessThan(max);
    }
    expect(pieces.frames).toEqual([]);
    expect(pieces.balanced()).toBe(true);
  });

  it("a spec that never finds a length is cut off at maxFrameBytes ('oversize')", () => {
    // A delimiter protocol whose end never comes: '<' starts, nothing ends.
    const endless: FrameSpec = { name: 'endless', maxFrameBytes: 64, findStart: (b, from) => b.indexOf(0x3c, from), frameLength: () => 'need-more', check: () => null };
    const h = new FramerHarness({ spec: endless });
    for (let i = 0; i < 100; i++) {
      h.push(bytes('<', Buffer.alloc(20, 0x61)));
      expect(h.counters().bufferedBytes).toBeLessThan(64);
    }
    expect(h.counters().faults.oversize).toBeGreaterThan(0);
    expect(h.faults.find((f) => f.kind === 'oversize')?.message).toBe('endless frame at byte 0: no frame length within 64 bytes');
    expect(h.balanced()).toBe(true);
  });

  it("a spec that claims more than maxFrameBytes is turned down as 'oversize'", () => {
    const greedy: FrameSpec = { name: 'greedy', maxFrameBytes: 16, findStart: (b, from) => b.indexOf(0x3c, from), frameLength: () => 17, check: () => null };
    const h = new FramerHarness({ spec: greedy }).push(bytes('ab<', Buffer.alloc(30, 0x61)));
    expect(h.kinds()).toEqual(['garbage', 'oversize', 'garbage']);
    expect(h.faults[1]?.message).toBe('greedy frame at byte 2: length 17 bytes, more than the 16 allowed');
    expect(h.counters().bufferedBytes).toBe(0);
  });
});

describe('Framer: never throws', () => {
  it("a spec that throws is a 'spec-fault': the bytes are dropped, counted, and framing goes on", () => {
    let calls = 0;
    const flaky: FrameSpec = {
      name: 'flaky',
      maxFrameBytes: 8,
      findStart: (b, from) => b.indexOf(0x3c, from),
      frameLength: () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return 2;
      },
      check: () => null,
    };
    const h = new FramerHarness({ spec: flaky });
    expect(() => h.push(bytes('<a<b'))).not.toThrow();
    expect(h.kinds()).toEqual(['spec-fault']);
    expect(h.faults[0]?.message).toBe('flaky spec fault at byte 0: boom; 4 bytes dropped');
    h.push(bytes('<c'));
    expect(h.frames).toEqual([bytes('<c')]);
    expect(h.balanced()).toBe(true);
  });

  it("a spec that answers an impossible start is a 'spec-fault'", () => {
    const lost: FrameSpec = { name: 'lost', maxFrameBytes: 8, findStart: () => 99, frameLength: () => 2, check: () => null };
    const h = new FramerHarness({ spec: lost }).push(bytes('abc'));
    expect(h.faults[0]?.message).toBe('lost spec fault at byte 0: findStart(from 0) answered 99; 3 bytes dropped');
  });

  it('a listener that throws does not stop the others or the framer, and is reported', () => {
    const errors: unknown[] = [];
    const framer = new Framer({ spec: new FramerHarness().framer.spec, clock: new FakeClock(), onListenerError: (_e, err) => errors.push(err) });
    const got: Buffer[] = [];
    framer.on('frame', () => {
      throw new Error('listener bug');
    });
    framer.on('frame', (f) => got.push(f));
    framer.push(bytes(TYPICAL, EMPTY));
    expect(got).toEqual([TYPICAL, EMPTY]);
    expect(errors).toHaveLength(2);
  });

  it('a listener may push re-entrantly; frames keep stream order', () => {
    const h = new FramerHarness();
    let once = true;
    h.framer.on('frame', () => {
      if (once) {
        once = false;
        h.framer.push(LONGEST);
      }
    });
    h.push(bytes(TYPICAL, EMPTY));
    expect(h.frames).toEqual([TYPICAL, EMPTY, LONGEST]);
  });

  it('an empty read changes nothing', () => {
    const h = new FramerHarness().push(new Uint8Array(0), TYPICAL.subarray(0, 10), new Uint8Array(0));
    expect(h.counters()).toMatchObject({ bytesIn: 10, bufferedBytes: 10, frames: 0 });
  });
});
