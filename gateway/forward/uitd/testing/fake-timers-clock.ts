/**
 * A Clock that reads vitest's fake timers (Date.now moves with vi.advanceTimersByTime), so the time
 * an event reports and the timers that produced it can never disagree in a test.
 */
import type { Clock } from '../../../clock/clock.js';

export const fakeTimersClock: Clock = {
  now: () => Date.now(),
  monotonic: () => Date.now(),
  isTrusted: () => true,
};

/** 2026-11-23T08:00:00+08:00. */
export const TEST_START = Date.UTC(2026, 10, 23, 0, 0, 0);
