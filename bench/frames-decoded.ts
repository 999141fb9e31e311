/**
 * bench/frames-decoded — how fast the serial-line framework finds GB/T 26875.3 frames in a byte
 * stream (issue 4: "frames decoded per second"; this is the framing step, before the codec).
 *
 * A stream of envelope-valid frames with random content (drivers/serial/specs/gb26875-synthetic.ts)
 * in a size mix like a panel link's: 40 % heartbeats/acknowledgements (empty ADU, 30 B),
 * 40 % one component status (48 B ADU, 78 B), 15 % one system status (12 B ADU, 42 B) and 5 % a
 * full component-status upload (22 objects, 1,014 B ADU). Pushed through a Framer with a frame
 * listener that counts, in TCP-sized reads (64 KiB) and in serial-sized ones (64 B), clean and
 * with 10 % of the bytes random garbage between frames. Every frame must come out (else the
 * bench fails). Also the worst case: a stream of nothing but '@', where every byte is a false
 * start the spec must reject (counted one by one, reported as one event per run).
 *
 * Target: ≥ 100,000 frames/s on this VM — framing must never be what limits a link; a busy
 * panel sends tens of frames a second, and a Pi is several times slower than this machine.
 */
import { FakeClock } from '../gateway/clock/fake-clock.js';
import { Framer } from '../drivers/serial/framer.js';
import { gb26875FrameSpec } from '../drivers/serial/specs/gb26875.js';
import { randomInt, seededRandom, writeRandomGb26875Frame } from '../drivers/serial/specs/gb26875-synthetic.js';
import { installCleanupHooks, isMain } from './support/proc.js';
import { fmtInt, median, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const TARGET_FRAMES_PER_S = 100_000;
/** Frames in one generated stream; a run pushes it as often as needed. */
const STREAM_FRAMES = 50_000;

interface Stream {
  bytes: Buffer;
  frames: number;
  garbageBytes: number;
}

function aduLength(random: () => number): number {
  const r = random();
  if (r < 0.4) return 0;
  if (r < 0.8) return 48;
  if (r < 0.95) return 12;
  return 1014;
}

/** `garbageShare` of the bytes are random noise, in runs of 1–64 bytes between frames. */
function makeStream(garbageShare: number): Stream {
  const random = seededRandom(0xbe9c4);
  const out = Buffer.alloc(STREAM_FRAMES * 1_200);
  let at = 0;
  let frameBytes = 0;
  let noise = 0;
  for (let i = 0; i < STREAM_FRAMES; i++) {
    // Keep the noise at its share of everything written so far.
    while (noise < (garbageShare / (1 - garbageShare)) * frameBytes) {
      const n = 1 + randomInt(random, 64);
      for (let k = 0; k < n; k++) out[at++] = randomInt(random, 256);
      noise += n;
    }
    const n = writeRandomGb26875Frame(random, aduLength(random), out, at);
    at += n;
    frameBytes += n;
  }
  return { bytes: out.subarray(0, at), frames: STREAM_FRAMES, garbageBytes: noise };
}

interface RunResult {
  framesPerS: number;
  mbPerS: number;
}

function runOnce(stream: Stream, readBytes: number, passes: number): RunResult {
  const framer = new Framer({ spec: gb26875FrameSpec, clock: new FakeClock() });
  let frames = 0;
  framer.on('frame', () => {
    frames += 1;
  });
  const { bytes } = stream;
  const t0 = performance.now();
  for (let p = 0; p < passes; p++) {
    for (let at = 0; at < bytes.length; at += readBytes) framer.push(bytes.subarray(at, at + readBytes));
  }
  const secs = (performance.now() - t0) / 1000;
  framer.end();
  if (frames !== stream.frames * passes) throw new Error(`frames-decoded: ${frames} frames came out of ${stream.frames * passes}`);
  return { framesPerS: frames / secs, mbPerS: (bytes.length * passes) / secs / 1e6 };
}

function floodOnce(totalBytes: number): number {
  const framer = new Framer({ spec: gb26875FrameSpec, clock: new FakeClock() });
  let faults = 0;
  framer.on('fault', (f) => {
    faults += f.count;
  });
  const chunk = Buffer.alloc(64 * 1024, 0x40);
  const t0 = performance.now();
  for (let done = 0; done < totalBytes; done += chunk.length) framer.push(chunk);
  const secs = (performance.now() - t0) / 1000;
  if (faults < totalBytes * 0.9) throw new Error(`frames-decoded: only ${faults} faults for ${totalBytes} false starts`);
  return totalBytes / secs / 1e6;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const totalFrames = ctx.short ? 200_000 : 1_000_000;
  const passes = totalFrames / STREAM_FRAMES;
  const runs = ctx.short ? 1 : 5;
  const rows: BenchRow[] = [];
  for (const garbage of [0, 0.1]) {
    const stream = makeStream(garbage);
    runOnce(stream, 65_536, 1); // warm-up: let V8 optimise the scan before timing
    for (const readBytes of [65_536, 64]) {
      const results: RunResult[] = [];
      for (let i = 0; i < runs; i++) results.push(runOnce(stream, readBytes, passes));
      const fps = results.map((r) => r.framesPerS);
      const m = median(fps);
      rows.push({
        metric: `${garbage === 0 ? 'clean stream' : '10 % garbage'}, ${readBytes === 64 ? '64 B reads (serial)' : '64 KiB reads (TCP)'}`,
        value: `${fmtInt(m)} frames/s · ${median(results.map((r) => r.mbPerS)).toFixed(1)} MB/s`,
        target: `≥ ${fmtInt(TARGET_FRAMES_PER_S)} frames/s`,
        verdict: verdict(m >= TARGET_FRAMES_PER_S),
        notes: `${fmtInt(totalFrames)} frames × ${runs} run(s), ${((stream.bytes.length - stream.garbageBytes) / stream.frames).toFixed(1)} B a frame${garbage ? `, ${((100 * stream.garbageBytes) / stream.bytes.length).toFixed(1)} % of bytes garbage` : ''}${runs > 1 ? `; min ${fmtInt(Math.min(...fps))}, max ${fmtInt(Math.max(...fps))}` : ''}`,
      });
    }
  }
  const floodBytes = ctx.short ? 2 ** 20 : 16 * 2 ** 20;
  const flood: number[] = [];
  for (let i = 0; i < runs; i++) flood.push(floodOnce(floodBytes));
  rows.push({
    metric: "worst case: every byte a false start ('@' flood)",
    value: `${median(flood).toFixed(2)} MB/s`,
    verdict: 'n/a',
    notes: `${fmtInt(floodBytes)} bytes × ${runs} run(s), 64 KiB reads; every byte a bad-length reject (one event per run)`,
  });
  return rows;
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`frames-decoded: GB/T 26875.3 framing, frames/s and MB/s${ctx.short ? ' — short' : ''}`, await run(ctx));
}
