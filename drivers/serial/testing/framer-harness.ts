/**
 * A Framer on a FakeClock and vitest's fake timers, collecting what it emits. Tests assert on
 * the frames and faults a user of the framer would see, and on the byte accounting.
 */
import { vi } from 'vitest';
import { FakeClock } from '../../../gateway/clock/fake-clock.js';
import type { FrameSpec } from '../frame-spec.js';
import { Framer } from '../framer.js';
import type { FramerCounters, FramingFault, FramingFaultKind } from '../framing-faults.js';
import { gb26875FrameSpec } from '../specs/gb26875.js';

export class FramerHarness {
  readonly clock = new FakeClock();
  readonly framer: Framer;
  readonly frames: Buffer[] = [];
  readonly faults: FramingFault[] = [];

  constructor(opts: { spec?: FrameSpec; partialTimeoutMs?: number } = {}) {
    this.framer = new Framer({ spec: opts.spec ?? gb26875FrameSpec, clock: this.clock, partialTimeoutMs: opts.partialTimeoutMs ?? 1_000 });
    this.framer.on('frame', (f) => this.frames.push(f));
    this.framer.on('fault', (f) => this.faults.push(f));
  }

  push(...chunks: Uint8Array[]): this {
    for (const c of chunks) this.framer.push(c);
    return this;
  }

  /** Time passes: the monotonic clock and the fake timers move together. */
  advance(ms: number): void {
    this.clock.advance(ms);
    vi.advanceTimersByTime(ms);
  }

  kinds(): FramingFaultKind[] {
    return this.faults.map((f) => f.kind);
  }

  counters(): FramerCounters {
    return this.framer.counters();
  }

  /** The accounting every test can check: every byte is in a frame, skipped, or still buffered. */
  balanced(): boolean {
    const c = this.framer.counters();
    return c.bytesIn === c.frameBytes + c.skippedBytes + c.bufferedBytes;
  }
}

/** Concatenates byte arrays (frames, garbage) into one Buffer. */
export function bytes(...parts: Array<Uint8Array | number[] | string>): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
}
