import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { randomGb26875Frame, seededRandom } from './specs/gb26875-synthetic.js';
import { bytes, FramerHarness } from './testing/framer-harness.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const random = seededRandom(26875);
const FIRE = randomGb26875Frame(random, 48);
const SHORT = randomGb26875Frame(random, 0);
/** The header of a frame that claims the longest ADU (1,054 bytes in all) and then stops. */
function stalledHeader(): Buffer {
  const h = Buffer.from(randomGb26875Frame(random, 1024).subarray(0, 40));
  return h;
}

describe('Framer: an incomplete frame times out', () => {
  it('is dropped partialTimeoutMs after it started waiting, not before, and counted', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(FIRE.subarray(0, 40));
    h.advance(999);
    expect(h.faults).toEqual([]);
    expect(h.counters().bufferedBytes).toBe(40);
    h.advance(1);
    expect(h.kinds()[0]).toBe('partial-timeout');
    expect(h.faults[0]).toMatchObject({ offset: 0, bytes: 78, head: Buffer.from(FIRE.subarray(0, 40)) });
    expect(h.faults[0]?.message).toBe('GB/T 26875.3 frame at byte 0: incomplete after 1000 ms (40 of 78 bytes)');
    expect(h.counters()).toMatchObject({ bufferedBytes: 0, skippedBytes: 40, faults: { 'partial-timeout': 1 } });
    expect(h.balanced()).toBe(true);
  });

  it('the rest arriving late is garbage; the next frame is found', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(FIRE.subarray(0, 40));
    h.advance(1_000);
    h.push(FIRE.subarray(40), SHORT);
    expect(h.frames).toEqual([SHORT]);
    expect(h.kinds()).toEqual(['partial-timeout', 'garbage', 'garbage']);
  });

  it('more bytes of the same frame do not restart the wait', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(FIRE.subarray(0, 10));
    h.advance(600);
    h.push(FIRE.subarray(10, 60));
    h.advance(399);
    expect(h.faults).toEqual([]);
    h.advance(1);
    expect(h.kinds()).toEqual(['partial-timeout', 'garbage']);
  });

  it('a frame completed in time is delivered, and nothing fires afterwards', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(FIRE.subarray(0, 40));
    h.advance(900);
    h.push(FIRE.subarray(40));
    h.advance(5_000);
    expect(h.frames).toEqual([FIRE]);
    expect(h.faults).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a new partial after a delivered frame gets its own full wait', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(FIRE.subarray(0, 40));
    h.advance(900);
    h.push(FIRE.subarray(40), SHORT.subarray(0, 5));
    h.advance(999);
    expect(h.faults).toEqual([]);
    h.advance(1);
    expect(h.kinds()).toEqual(['partial-timeout', 'garbage']);
    expect(h.faults[0]?.offset).toBe(78);
  });

  it('a fire alarm stuck behind a stalled frame is delivered at the timeout', () => {
    // The stalled frame claims 1,054 bytes; the alarm behind it is not whole yet, so it cannot
    // be told from the stalled frame's data until the stalled frame gives up.
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(stalledHeader(), FIRE.subarray(0, 50));
    h.advance(500);
    h.push(FIRE.subarray(50, 77));
    h.advance(499);
    expect(h.frames).toEqual([]);
    h.advance(1);
    expect(h.kinds()).toEqual(['partial-timeout', 'garbage']);
    // The alarm is now the head and waits for its last byte, with a wait of its own.
    h.push(FIRE.subarray(77));
    expect(h.frames).toEqual([FIRE]);
  });

  it('a whole frame behind a stalled one is delivered at once, not at the timeout (the stalled one broke off)', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(stalledHeader(), FIRE);
    expect(h.frames).toEqual([FIRE]);
    expect(h.kinds()).toEqual(['truncated', 'garbage']);
    expect(h.faults[0]?.message).toBe('GB/T 26875.3 frame at byte 0: broken off: a whole frame starts at byte 40 (118 of 1054 bytes in)');
    expect(h.faults[0]?.head).toHaveLength(40);
    expect(h.balanced()).toBe(true);
  });

  it('also when the whole frame arrives in a later read', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(stalledHeader(), FIRE.subarray(0, 30));
    h.advance(100);
    h.push(FIRE.subarray(30));
    expect(h.frames).toEqual([FIRE]);
  });

  it('also when it arrives one byte at a time: delivered on its last byte', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(stalledHeader());
    for (let i = 0; i < FIRE.length - 1; i++) h.push(FIRE.subarray(i, i + 1));
    expect(h.frames).toEqual([]);
    h.push(FIRE.subarray(FIRE.length - 1));
    expect(h.frames).toEqual([FIRE]);
  });

  it('runs on the monotonic clock: a timer that fires early (or a wall-clock step) expires nothing', () => {
    const h = new FramerHarness({ partialTimeoutMs: 1_000 }).push(FIRE.subarray(0, 40));
    h.clock.jumpWall(3_600_000);
    vi.advanceTimersByTime(1_000); // the timer fires, but monotonic time has not moved
    expect(h.faults).toEqual([]);
    h.advance(999);
    expect(h.faults).toEqual([]);
    h.advance(1);
    expect(h.kinds()[0]).toBe('partial-timeout');
  });
});

describe('Framer: end() (the link closed)', () => {
  it('counts the incomplete head, and anything incomplete behind it, as truncated; nothing stays buffered', () => {
    const h = new FramerHarness().push(stalledHeader(), FIRE.subarray(0, 60));
    h.push(FIRE.subarray(60, 70));
    expect(h.frames).toEqual([]);
    h.framer.end();
    // FIRE is incomplete too: both are truncated; nothing is left.
    expect(h.kinds().filter((k) => k === 'truncated')).toHaveLength(2);
    expect(h.faults[0]?.message).toBe('GB/T 26875.3 frame at byte 0: stream ended inside a frame (110 of 1054 bytes)');
    expect(h.counters().bufferedBytes).toBe(0);
    expect(h.balanced()).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the framer can be used again for the next connection, counters running on', () => {
    const h = new FramerHarness().push(FIRE.subarray(0, 10));
    h.framer.end();
    h.push(FIRE);
    expect(h.frames).toEqual([FIRE]);
    expect(h.counters()).toMatchObject({ bytesIn: 88, frames: 1, skippedBytes: 10, faults: { truncated: 1 } });
  });
});
