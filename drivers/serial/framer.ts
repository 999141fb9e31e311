/**
 * Turns the chunks a byte stream delivers (serial reads, TCP segments) into whole frames, by a
 * protocol's FrameSpec. A TCP read may carry several frames or half of one ("sticky packets",
 * GB/T 26875.3 transport clause), a serial line adds noise, and a sender may stop mid-frame;
 * the framer copes with all of it and never throws:
 *
 * - Resynchronisation: bytes that cannot start a frame are skipped ('garbage'). A candidate the
 *   spec rejects (bad length, check or end) loses only its first byte and the search starts
 *   again one byte later — a false start in noise, or a damaged frame, must not swallow the
 *   real frame that follows it.
 * - Memory: at most maxFrameBytes - 1 bytes are kept between two reads (a pending frame is
 *   always shorter than its length, and a spec that finds no length within maxFrameBytes is
 *   'oversize'), however much noise arrives; big reads are scanned in place, not copied.
 * - Broken-off frames: while the head is incomplete, a whole valid frame behind it wins at once
 *   (the head is 'truncated'), so a damaged frame cannot hold back a fire alarm sent after it.
 * - Time: an incomplete head is dropped after partialTimeoutMs on the monotonic clock, and what
 *   was behind it is searched again. One timer, re-armed lazily — no timer churn per read.
 * - Accounting: every byte ends up in a frame, in skippedBytes, or in the buffer, and every
 *   fault is counted by kind and reported as an event.
 *
 * Frames and faults are emitted after the bytes that produced them are fully processed, in
 * stream order; a listener may push() or end() re-entrantly.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import { SafeEmitter } from '../../gateway/safe-emitter.js';
import type { FrameSpec } from './frame-spec.js';
import { emptyFaultCounts, type FramerCounters, type FramingFault, type FramingFaultKind } from './framing-faults.js';

/** Timers for the partial-frame timeout; injectable so tests control time. */
export interface FramerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FramerOptions {
  spec: FrameSpec;
  /** Only monotonic time is used: an NTP step must not expire (or prolong) a partial frame. */
  clock: Pick<Clock, 'monotonic'>;
  /**
   * How long an incomplete frame may wait for the rest, from when it became the head of the
   * buffer. Default 5000 ms: a 1,054-byte GB/T 26875.3 frame takes 4.4 s at 2400 baud (10 bits a
   * character); over TCP a frame arrives within milliseconds. Set it from the line speed.
   */
  partialTimeoutMs?: number;
  timers?: FramerTimers;
  /** A frame or fault listener threw: the framer carries on; this is told (default: ignored). */
  onListenerError?: (event: 'frame' | 'fault', error: unknown) => void;
}

export interface FramerEvents {
  /** A whole frame that passed the spec's checks: a fresh copy, the listener may keep it. */
  frame: Buffer;
  fault: FramingFault;
}

export const DEFAULT_PARTIAL_TIMEOUT_MS = 5_000;
/** Bytes of skipped garbage copied into a fault's `head`, for a log line. */
const GARBAGE_HEAD_BYTES = 16;
/**
 * Bytes copied into the `head` of a candidate whose length is unknown or impossible: enough for
 * any header (a codec reads the serial number from it to deny the frame), small enough that a
 * flood of false starts costs little.
 */
const HEADER_HEAD_BYTES = 64;

const defaultTimers: FramerTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A framer waiting for the rest of a frame must not keep the process alive on shutdown.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Thrown inside scan() only, caught there: a spec answered something impossible. */
class SpecFault extends Error {}

export class Framer {
  readonly spec: FrameSpec;
  readonly partialTimeoutMs: number;
  private readonly clock: Pick<Clock, 'monotonic'>;
  private readonly timers: FramerTimers;
  private readonly max: number;
  private readonly events: SafeEmitter<FramerEvents>;

  /** Holds a pending frame plus one more window of input: 2 × maxFrameBytes, fixed. */
  private readonly buf: Uint8Array;
  private buffered = 0;
  /** The length the spec gave for the buffered head, if its header was in (for messages). */
  private headClaim: number | undefined;
  /** The buffered head and when it started to wait (monotonic ms); null when nothing is buffered. */
  private pending: { offset: number; since: number } | null = null;
  private timer: unknown = null;
  /** The last look past an incomplete head (stream offsets), so the next look starts where it ended. */
  private lookahead: { head: number; end: number } | null = null;

  private readonly outbox: Array<Buffer | FramingFault> = [];
  private draining = false;
  /** Outbox items already handed to listeners (during a drain). */
  private emitted = 0;

  private bytesIn = 0;
  private frames = 0;
  private frameBytes = 0;
  private skippedBytes = 0;
  private readonly faults = emptyFaultCounts();

  constructor(opts: FramerOptions) {
    const max = opts.spec.maxFrameBytes;
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`Framer(${opts.spec.name}): maxFrameBytes must be a positive integer, got ${max}`);
    const timeout = opts.partialTimeoutMs ?? DEFAULT_PARTIAL_TIMEOUT_MS;
    if (!Number.isFinite(timeout) || timeout <= 0) throw new RangeError(`Framer(${opts.spec.name}): partialTimeoutMs must be > 0, got ${timeout}`);
    this.spec = opts.spec;
    this.max = max;
    this.partialTimeoutMs = timeout;
    this.clock = opts.clock;
    this.timers = opts.timers ?? defaultTimers;
    const onListenerError = opts.onListenerError ?? (() => undefined);
    this.events = new SafeEmitter<FramerEvents>((event, error) => onListenerError(event as 'frame' | 'fault', error));
    this.buf = new Uint8Array(2 * max);
  }

  /** Returns a function that removes the listener. */
  on<K extends keyof FramerEvents>(event: K, listener: (payload: FramerEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Feed one read. Frames and faults it completes are emitted before push() returns. */
  push(chunk: Uint8Array): void {
    const total = chunk.length;
    let pos = 0;
    while (pos < total) {
      if (this.buffered === 0) {
        // Nothing pending: scan the read where it lies and keep only its incomplete tail.
        const base = this.bytesIn + pos;
        const view = pos === 0 ? chunk : chunk.subarray(pos);
        const consumed = this.scan(view, base);
        this.buf.set(view.subarray(consumed), 0);
        this.buffered = view.length - consumed;
        this.bytesIn += view.length;
        pos = total;
      } else {
        // Something pending: it needs contiguous bytes, so copy one window behind it.
        const n = Math.min(this.buf.length - this.buffered, total - pos);
        this.buf.set(chunk.subarray(pos, pos + n), this.buffered);
        const base = this.bytesIn - this.buffered;
        this.bytesIn += n;
        pos += n;
        this.rescanBuffer(this.buffered + n, base, 0);
      }
    }
    this.settlePending();
    this.drain();
  }

  /**
   * The stream ended (link closed, port reopened): frames hidden behind an incomplete head are
   * still delivered; what cannot be completed is dropped as 'truncated'. The framer can be used
   * again for the next connection; counters keep running.
   */
  end(): void {
    while (this.buffered > 0) this.dropHead('truncated');
    this.settlePending();
    this.drain();
  }

  counters(): FramerCounters {
    return {
      bytesIn: this.bytesIn,
      frames: this.frames,
      frameBytes: this.frameBytes,
      skippedBytes: this.skippedBytes,
      bufferedBytes: this.buffered,
      faults: { ...this.faults },
    };
  }

  // --- scanning -------------------------------------------------------------------------

  /**
   * Frames, skips and rejects from the front of `view` (stream offset `base`) until only an
   * incomplete candidate (or nothing) is left; returns how many bytes were used up. What is left
   * is shorter than maxFrameBytes.
   */
  private scan(view: Uint8Array, base: number): number {
    const spec = this.spec;
    const end = view.length;
    let pos = 0;
    this.headClaim = undefined;
    try {
      while (pos < end) {
        const start = spec.findStart(view, pos);
        if (start === -1) {
          this.skipGarbage(view, base, pos, end);
          return end;
        }
        if (!Number.isInteger(start) || start < pos || start >= end) throw new SpecFault(`findStart(from ${pos}) answered ${start}`);
        if (start > pos) this.skipGarbage(view, base, pos, start);
        pos = start;
        const avail = end - pos;
        const length = spec.frameLength(view, pos);
        if (length === 'need-more') {
          if (avail >= this.max) {
            this.reject('oversize', view, base, pos, avail, `no frame length within ${this.max} bytes`, HEADER_HEAD_BYTES);
            pos += 1;
            continue;
          }
          if (this.brokenOff(view, base, pos, undefined)) {
            pos += 1;
            continue;
          }
          return pos;
        }
        if (typeof length === 'object') {
          this.reject(length.error, view, base, pos, Math.min(avail, this.max), length.detail, HEADER_HEAD_BYTES);
          pos += 1;
          continue;
        }
        if (!Number.isInteger(length) || length < 1) throw new SpecFault(`frameLength at ${pos} answered ${String(length)}`);
        if (length > this.max) {
          this.reject('oversize', view, base, pos, length, `length ${length} bytes, more than the ${this.max} allowed`, HEADER_HEAD_BYTES);
          pos += 1;
          continue;
        }
        if (avail < length) {
          if (this.brokenOff(view, base, pos, length)) {
            pos += 1;
            continue;
          }
          this.headClaim = length;
          return pos;
        }
        const bad = spec.check(view, pos, length);
        if (bad === null) {
          this.deliver(view, pos, length);
          pos += length;
        } else {
          this.reject(bad.error, view, base, pos, length, bad.detail);
          pos += 1;
        }
      }
      return end;
    } catch (e) {
      // A spec bug must not take the link down: drop what was being looked at and say so.
      const detail = e instanceof Error ? e.message : String(e);
      this.headClaim = undefined;
      this.count('spec-fault', view, base, pos, end - pos, `${this.spec.name} spec fault at byte ${base + pos}: ${detail}; ${end - pos} bytes dropped`);
      this.skippedBytes += end - pos;
      return end;
    }
  }

  /**
   * The incomplete candidate at `pos` broke off if a whole, valid frame starts after it within
   * what is here: the sender gave up mid-frame (or its length field was damaged) and sent the
   * next one. Waiting for the candidate's claimed length — or its timeout — would hold back that
   * frame, perhaps a fire alarm, so the candidate is rejected as 'truncated' now. (A valid frame
   * inside a frame's data would need its own start, length, check and end by chance.)
   */
  private brokenOff(view: Uint8Array, base: number, pos: number, claim: number | undefined): boolean {
    const q = this.completeFrameAfter(view, base, pos);
    if (q === -1) return false;
    const have = view.length - pos;
    this.reject('truncated', view, base, pos, claim ?? have, `broken off: a whole frame starts at byte ${base + q} (${have}${claim === undefined ? '' : ` of ${claim}`} bytes in)`, q - pos);
    return true;
  }

  /**
   * Where the first whole, valid frame after the candidate at `head` starts, or -1. Called on
   * every read while a candidate waits, so candidates already checked against the same head are
   * not checked again (a slow serial line delivers a long frame in many small reads).
   */
  private completeFrameAfter(view: Uint8Array, base: number, head: number): number {
    const spec = this.spec;
    const end = view.length;
    const headOffset = base + head;
    const seenEnd = this.lookahead?.head === headOffset ? this.lookahead.end - base : -1;
    this.lookahead = { head: headOffset, end: base + end };
    let q = head + 1 < end ? spec.findStart(view, head + 1) : -1;
    while (q !== -1) {
      if (!Number.isInteger(q) || q <= head || q >= end) throw new SpecFault(`findStart(from ${head + 1}) answered ${q}`);
      const length = spec.frameLength(view, q);
      // Only a candidate that became whole since the last look can newly pass its check.
      if (typeof length === 'number' && Number.isInteger(length) && length >= 1 && length <= this.max && q + length <= end && q + length > seenEnd && spec.check(view, q, length) === null) return q;
      q = q + 1 < end ? spec.findStart(view, q + 1) : -1;
    }
    return -1;
  }

  /** Scans buf[from .. upto) (stream offset `base` at buf[0]) and moves what is left to the front. */
  private rescanBuffer(upto: number, base: number, from: number): void {
    const view = this.buf.subarray(from, upto);
    const consumed = from + this.scan(view, base + from);
    if (consumed > 0) this.buf.copyWithin(0, consumed, upto);
    this.buffered = upto - consumed;
  }

  /** Gives up on the buffered head: its first byte goes, the rest is searched again. */
  private dropHead(kind: 'partial-timeout' | 'truncated'): void {
    const base = this.bytesIn - this.buffered;
    const have = this.buffered;
    const claim = this.headClaim;
    const why =
      kind === 'partial-timeout'
        ? `incomplete after ${this.partialTimeoutMs} ms (${have}${claim === undefined ? '' : ` of ${claim}`} bytes)`
        : `stream ended inside a frame (${have}${claim === undefined ? '' : ` of ${claim}`} bytes)`;
    this.reject(kind, this.buf, base, 0, claim ?? have, why, have);
    this.rescanBuffer(have, base, 1);
  }

  // --- outcomes --------------------------------------------------------------------------

  private deliver(view: Uint8Array, pos: number, length: number): void {
    const frame = Buffer.allocUnsafe(length);
    frame.set(view.subarray(pos, pos + length));
    this.frames += 1;
    this.frameBytes += length;
    this.outbox.push(frame);
  }

  private skipGarbage(view: Uint8Array, base: number, from: number, to: number): void {
    const n = to - from;
    this.skippedBytes += n;
    this.count('garbage', view, base, from, n, `${this.spec.name}: ${n} byte${n === 1 ? '' : 's'} skipped at byte ${base + from} (no frame start)`, GARBAGE_HEAD_BYTES);
  }

  /** A rejected candidate: counted, reported with a copy of it, and only its first byte dropped. */
  private reject(kind: FramingFaultKind, view: Uint8Array, base: number, pos: number, bytes: number, detail: string, headBytes = bytes): void {
    this.skippedBytes += 1;
    const last = this.outbox.length > this.emitted ? this.outbox[this.outbox.length - 1] : undefined;
    if (last !== undefined && !(last instanceof Uint8Array) && last.kind === kind && last.offset + last.count === base + pos) {
      // Rejects of one kind at consecutive bytes ('@@@@…', a flood of start characters) are one
      // event: a log line per byte would cost more than the framing. Each is still counted.
      last.count += 1;
      this.faults[kind] += 1;
      return;
    }
    this.count(kind, view, base, pos, bytes, `${this.spec.name} frame at byte ${base + pos}: ${detail}`, headBytes);
  }

  private count(kind: FramingFaultKind, view: Uint8Array, base: number, pos: number, bytes: number, message: string, headBytes = bytes): void {
    this.faults[kind] += 1;
    const headEnd = Math.min(view.length, pos + Math.min(headBytes, this.max));
    // A copy: `view` may be the caller's read (Buffer.slice would share it) or the framer's own buffer.
    const head = Buffer.allocUnsafe(headEnd - pos);
    for (let i = pos; i < headEnd; i++) head[i - pos] = view[i]!;
    this.outbox.push({ kind, protocol: this.spec.name, offset: base + pos, bytes, count: 1, message, head });
  }

  /** Emits what the last step produced, in stream order; re-entrant pushes append and are emitted too. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.outbox.length; i++) {
        const item = this.outbox[i]!;
        // From here on a re-entrant push must not add to this item's run: it is being emitted.
        this.emitted = i + 1;
        if (item instanceof Uint8Array) {
          this.events.emit('frame', item);
        } else {
          if (item.count > 1) item.message += `; and ${item.count - 1} more at the following bytes (to byte ${item.offset + item.count - 1})`;
          this.events.emit('fault', item);
        }
      }
    } finally {
      this.outbox.length = 0;
      this.emitted = 0;
      this.draining = false;
    }
  }

  // --- the partial-frame timeout ------------------------------------------------------------

  /** After any step: a new head starts its wait; nothing buffered means nothing to wait for. */
  private settlePending(): void {
    if (this.buffered === 0) {
      this.pending = null;
      this.headClaim = undefined;
      if (this.timer !== null) {
        this.timers.clearTimeout(this.timer);
        this.timer = null;
      }
      return;
    }
    const offset = this.bytesIn - this.buffered;
    if (this.pending?.offset !== offset) this.pending = { offset, since: this.clock.monotonic() };
    // One timer at a time; if the head changed since it was armed it fires early and re-arms.
    if (this.timer === null) this.arm(this.pending.since + this.partialTimeoutMs - this.clock.monotonic());
  }

  private arm(ms: number): void {
    this.timer = this.timers.setTimeout(() => this.onTimer(), Math.max(1, Math.ceil(ms)));
  }

  private onTimer(): void {
    this.timer = null;
    if (this.pending === null || this.buffered === 0) return;
    const due = this.pending.since + this.partialTimeoutMs;
    const now = this.clock.monotonic();
    if (now < due) {
      this.arm(due - now);
      return;
    }
    this.dropHead('partial-timeout');
    this.settlePending();
    this.drain();
  }
}
