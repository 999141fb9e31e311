/**
 * One million GB/T 26875.3 frames, most intact, the rest damaged the ways a line damages them —
 * random noise between frames, repeated start characters, truncation, bit flips, a wrong length
 * field — pushed through the framer in reads of random size (1 byte to 8 KiB). Seeded: the same
 * bytes on every run. What must hold:
 * - nothing throws;
 * - every frame that went in valid comes out, in order (resynchronisation), and nothing else
 *   except frames that are valid by the spec (a damaged frame whose checksum still adds up is a
 *   frame; noise that forms one by chance would be reported here);
 * - the buffer never holds maxFrameBytes or more;
 * - the byte accounting adds up, and the fault events match the counters.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import { Framer } from './framer.js';
import { FRAMING_FAULT_KINDS, type FramingFaultKind } from './framing-faults.js';
import { GB26875_ADU_LENGTH_OFFSET, gb26875FrameSpec as spec } from './specs/gb26875.js';
import { randomInt, seededRandom, writeRandomGb26875Frame } from './specs/gb26875-synthetic.js';
import { outgoingFault } from './stream-link.js';

const FRAMES = 1_000_000;
const BATCH = 10_000;
/** Worst case per frame: 64 noise + 3 extra starts + 1,054 frame bytes. */
const BATCH_BYTES = BATCH * (64 + 3 + spec.maxFrameBytes);

type Damage = 'none' | 'noise' | 'extra-start' | 'truncated' | 'bit-flips' | 'length-field';

function aduLength(random: () => number): number {
  const r = random();
  if (r < 0.85) return randomInt(random, 65);
  if (r < 0.97) return 64 + randomInt(random, 193);
  return 256 + randomInt(random, 769);
}

describe('Framer fuzz: GB/T 26875.3', () => {
  it(`${FRAMES.toLocaleString('en-US')} random and damaged frames: no throw, every valid frame recovered, counters add up`, () => {
    const random = seededRandom(0x26875);
    const framer = new Framer({ spec, clock: new FakeClock(), partialTimeoutMs: 1_000 });
    /** Frames that went in valid, not yet seen coming out (a FIFO with a moving head). */
    const expected: Buffer[] = [];
    let next = 0;
    let expectedBytes = 0;
    let expectedCount = 0;
    const extras: Buffer[] = [];
    let extraBytes = 0;
    const events = Object.fromEntries(FRAMING_FAULT_KINDS.map((k) => [k, 0])) as Record<FramingFaultKind, number>;
    /** Valid frames lost inside (or partly inside) a frame that formed by chance. */
    let swallowed = 0;
    let swallowedBytes = 0;
    /** Set by a frame formed by chance; only such a frame may swallow the valid ones after it. */
    let sinceExtra = false;
    const lostWithoutCause: string[] = [];
    framer.on('frame', (f) => {
      if (next < expected.length && f.equals(expected[next]!)) {
        next += 1;
        sinceExtra = false;
        return;
      }
      // A valid frame further on: the ones before it were lost. Only a chance frame may do that.
      for (let j = next + 1; j < Math.min(expected.length, next + 8); j++) {
        if (!f.equals(expected[j]!)) continue;
        // (A listener's throw would be caught by the framer: record it instead.)
        if (!sinceExtra) lostWithoutCause.push(...expected.slice(next, j).map((e) => e.toString('hex')));
        swallowed += j - next;
        for (let k = next; k < j; k++) swallowedBytes += expected[k]!.length;
        next = j + 1;
        sinceExtra = false;
        return;
      }
      // A frame formed by chance from damaged bytes (it must pass the spec, checked below).
      extras.push(f);
      extraBytes += f.length;
      sinceExtra = true;
    });
    framer.on('fault', (f) => {
      events[f.kind] += f.count;
    });

    const damage: Record<Damage, number> = { none: 0, noise: 0, 'extra-start': 0, truncated: 0, 'bit-flips': 0, 'length-field': 0 };
    const stream = Buffer.alloc(BATCH_BYTES);
    let totalBytes = 0;
    let maxBuffered = 0;
    const started = performance.now();

    for (let made = 0; made < FRAMES; made += BATCH) {
      let at = 0;
      for (let i = 0; i < BATCH; i++) {
        if (random() < 0.1) {
          const n = 1 + randomInt(random, 64);
          for (let k = 0; k < n; k++) stream[at++] = randomInt(random, 256);
          damage.noise += 1;
        }
        if (random() < 0.03) {
          const n = 1 + randomInt(random, 3);
          for (let k = 0; k < n; k++) stream[at++] = 0x40;
          damage['extra-start'] += 1;
        }
        const start = at;
        let length = writeRandomGb26875Frame(random, aduLength(random), stream, at);
        const r = random();
        if (r < 0.8) {
          damage.none += 1;
        } else if (r < 0.87) {
          length = 1 + randomInt(random, length - 1);
          damage.truncated += 1;
        } else if (r < 0.95) {
          const flips = 1 + randomInt(random, 3);
          for (let k = 0; k < flips; k++) stream[start + randomInt(random, length)]! ^= 1 << randomInt(random, 8);
          damage['bit-flips'] += 1;
        } else {
          stream.writeUInt16LE(randomInt(random, 0x10000), start + GB26875_ADU_LENGTH_OFFSET);
          damage['length-field'] += 1;
        }
        at += length;
        const written = stream.subarray(start, at);
        // Valid as written — intact, or damaged in a way the checksum cannot see — must come out.
        if (outgoingFault(spec, written) === null) {
          expected.push(Buffer.from(written));
          expectedBytes += length;
          expectedCount += 1;
        }
      }
      // Reads of random size: many small ones (a serial line), mostly large ones (TCP).
      for (let pos = 0; pos < at; ) {
        const n = random() < 0.3 ? 1 + randomInt(random, 32) : 33 + randomInt(random, 8160);
        framer.push(stream.subarray(pos, Math.min(at, pos + n)));
        pos += n;
        maxBuffered = Math.max(maxBuffered, framer.counters().bufferedBytes);
      }
      totalBytes += at;
      // Drop what has been matched, so the FIFO stays small.
      expected.splice(0, next);
      next = 0;
    }
    framer.end();
    const seconds = (performance.now() - started) / 1000;

    const c = framer.counters();
    // Every frame that went in valid came out, in order.
    expect(expected.length - next, 'valid frames never delivered').toBe(0);
    expect(lostWithoutCause, 'valid frames lost with no chance frame before them').toEqual([]);
    expect(extras.filter((f) => outgoingFault(spec, f) !== null)).toEqual([]);
    // A damaged length field that happens to land on another frame's '##' passes the 8-bit
    // checksum 1 time in 256: a few chance frames per million, each hiding a frame or two.
    expect(extras.length).toBeLessThanOrEqual(20);
    expect(swallowed).toBeLessThanOrEqual(2 * extras.length);
    expect(c.frames).toBe(expectedCount - swallowed + extras.length);
    // The intact ones, and the few damaged ones whose checksum still adds up (two flips that cancel).
    expect(expectedCount).toBeGreaterThanOrEqual(damage.none);
    expect(expectedCount - damage.none).toBeLessThan(damage['bit-flips'] / 20);
    expect(c.frameBytes).toBe(expectedBytes - swallowedBytes + extraBytes);
    // Every byte is accounted for: in a frame, or skipped.
    expect(c.bytesIn).toBe(totalBytes);
    expect(c.bufferedBytes).toBe(0);
    expect(c.skippedBytes).toBe(totalBytes - c.frameBytes);
    expect(maxBuffered).toBeLessThan(spec.maxFrameBytes);
    // One event per fault, and every kind of damage showed up as its fault.
    expect(events).toEqual(c.faults);
    for (const kind of ['garbage', 'bad-length', 'bad-check', 'bad-end', 'truncated'] as const) expect(c.faults[kind], kind).toBeGreaterThan(0);
    expect(c.faults['spec-fault']).toBe(0);
    // GB/T 26875.3's own limit (ADU ≤ 1024) comes first; no time passed, so no timeouts.
    expect(c.faults.oversize).toBe(0);
    expect(c.faults['partial-timeout']).toBe(0);

    console.log(
      `fuzz: ${FRAMES.toLocaleString('en-US')} frames, ${(totalBytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s; ` +
        `damage ${JSON.stringify(damage)}; delivered ${c.frames.toLocaleString('en-US')} (${(expectedCount - damage.none).toLocaleString('en-US')} damaged but valid, ${extras.length} formed by chance, hiding ${swallowed}); faults ${JSON.stringify(c.faults)}`,
    );
  }, 30_000);
});
