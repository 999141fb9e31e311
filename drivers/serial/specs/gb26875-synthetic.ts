/**
 * Envelope-valid GB/T 26875.3 frames with random content, for the framer's tests, its fuzz test
 * and bench/frames-decoded.ts. Only the envelope is right (start, ADU length, checksum, end);
 * the control unit and ADU are random bytes — these are not messages a codec would accept.
 * Seeded, so every run sees the same bytes.
 */
import { GB26875_ADU_LENGTH_OFFSET, GB26875_ADU_OFFSET, GB26875_END_BYTE, GB26875_FIXED_BYTES, GB26875_START_BYTE, gb26875Checksum } from './gb26875.js';

/** mulberry32: small, fast, and the same sequence on every platform. Uniform [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomInt(random: () => number, n: number): number {
  return Math.floor(random() * n);
}

/**
 * Writes a frame with an ADU of `aduLength` random bytes into `out` at `at` and returns its
 * length (30 + aduLength). The command byte and control unit are random too.
 */
export function writeRandomGb26875Frame(random: () => number, aduLength: number, out: Uint8Array, at: number): number {
  const length = GB26875_FIXED_BYTES + aduLength;
  out[at] = GB26875_START_BYTE;
  out[at + 1] = GB26875_START_BYTE;
  const checksumAt = at + GB26875_ADU_OFFSET + aduLength;
  for (let i = at + 2; i < checksumAt; i++) out[i] = randomInt(random, 256);
  out[at + GB26875_ADU_LENGTH_OFFSET] = aduLength & 0xff;
  out[at + GB26875_ADU_LENGTH_OFFSET + 1] = aduLength >> 8;
  out[checksumAt] = gb26875Checksum(out, at + 2, checksumAt);
  out[checksumAt + 1] = GB26875_END_BYTE;
  out[checksumAt + 2] = GB26875_END_BYTE;
  return length;
}

export function randomGb26875Frame(random: () => number, aduLength: number): Buffer {
  const frame = Buffer.alloc(GB26875_FIXED_BYTES + aduLength);
  writeRandomGb26875Frame(random, aduLength, frame, 0);
  return frame;
}
