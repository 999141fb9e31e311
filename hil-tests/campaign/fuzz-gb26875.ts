/**
 * Case d, part 1 — GB/T 26875.3 fuzzing: N envelope-valid frames with random content (the
 * generator of the framer's fuzz test, drivers/serial/specs/gb26875-synthetic.ts), half of them
 * re-stamped with a command that carries typed data (so the application-data decoders, not only
 * the envelope, see random bytes), a fifth damaged the ways a line damages frames — noise
 * between frames, truncation, bit flips, a wrong length field — pushed through the gateway's
 * Framer in reads of random size, and every frame it delivers decoded by Gb26875Message.from.
 * A crash is any throw out of the framer or the codec (Gb26875Message.from promises never to
 * throw: errors are values).
 */
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import { Command, Gb26875Message } from '../../drivers/gb26875/index.js';
import { Framer } from '../../drivers/serial/framer.js';
import { GB26875_ADU_LENGTH_OFFSET, GB26875_ADU_OFFSET, gb26875Checksum, gb26875FrameSpec } from '../../drivers/serial/specs/gb26875.js';
import { randomInt, writeRandomGb26875Frame } from '../../drivers/serial/specs/gb26875-synthetic.js';

/** The command byte sits just before the ADU (§6 表2: byte 27, 1-based). */
const COMMAND_OFFSET = GB26875_ADU_OFFSET - 1;
const TYPED = [Command.Control, Command.Send, Command.Request, Command.Answer];
const CHUNK_FRAMES = 10_000;

export interface Gb26875FuzzResult {
  framesIn: number;
  bytesIn: number;
  delivered: number;
  decoded: number;
  rejectedByCodec: number;
  /** Bytes the framer skipped to find the next frame (its resynchronisation). */
  skippedBytes: number;
  framingFaults: number;
  crashes: number;
  firstCrash?: string;
  seconds: number;
}

export function fuzzGb26875(frames: number, random: () => number): Gb26875FuzzResult {
  const framer = new Framer({ spec: gb26875FrameSpec, clock: new FakeClock(), partialTimeoutMs: 1_000 });
  const r: Gb26875FuzzResult = { framesIn: 0, bytesIn: 0, delivered: 0, decoded: 0, rejectedByCodec: 0, skippedBytes: 0, framingFaults: 0, crashes: 0, seconds: 0 };
  const crash = (e: unknown): void => {
    r.crashes++;
    r.firstCrash ??= e instanceof Error ? (e.stack ?? e.message) : String(e);
  };
  framer.on('frame', (f) => {
    r.delivered++;
    // Caught here: the framer would swallow a listener's throw, and it would go uncounted.
    try {
      if (Gb26875Message.from(f).ok) r.decoded++;
      else r.rejectedByCodec++;
    } catch (e) {
      crash(e);
    }
  });
  framer.on('fault', (f) => {
    r.framingFaults += f.count;
  });
  const stream = Buffer.alloc(CHUNK_FRAMES * (64 + gb26875FrameSpec.maxFrameBytes));
  const t0 = performance.now();
  for (let made = 0; made < frames; made += CHUNK_FRAMES) {
    let at = 0;
    for (let i = 0; i < Math.min(CHUNK_FRAMES, frames - made); i++) {
      if (random() < 0.1) for (let n = 1 + randomInt(random, 64); n > 0; n--) stream[at++] = randomInt(random, 256);
      const aduLength = random() < 0.9 ? randomInt(random, 65) : randomInt(random, 1_025);
      const start = at;
      let length = writeRandomGb26875Frame(random, aduLength, stream, at);
      if (random() < 0.5) {
        stream[start + COMMAND_OFFSET] = TYPED[randomInt(random, TYPED.length)]!;
        if (aduLength > 0) stream[start + GB26875_ADU_OFFSET] = 1 + randomInt(random, 30); // a data type flag, known or not
        const checksumAt = start + GB26875_ADU_OFFSET + aduLength;
        stream[checksumAt] = gb26875Checksum(stream, start + 2, checksumAt);
      }
      const damage = random();
      if (damage < 0.07) length = 1 + randomInt(random, length - 1);
      else if (damage < 0.15) stream[start + randomInt(random, length)]! ^= 1 << randomInt(random, 8);
      else if (damage < 0.2) stream.writeUInt16LE(randomInt(random, 0x10000), start + GB26875_ADU_LENGTH_OFFSET);
      at += length;
      r.framesIn++;
    }
    for (let pos = 0; pos < at; ) {
      const n = random() < 0.3 ? 1 + randomInt(random, 32) : 33 + randomInt(random, 8_160);
      try {
        framer.push(stream.subarray(pos, Math.min(at, pos + n)));
      } catch (e) {
        crash(e);
      }
      pos += n;
    }
    r.bytesIn += at;
  }
  try {
    framer.end();
  } catch (e) {
    crash(e);
  }
  const c = framer.counters();
  r.skippedBytes = c.skippedBytes;
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}
