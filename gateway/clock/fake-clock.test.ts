import { describe, expect, it } from 'vitest';
import { FAKE_CLOCK_START, FakeClock } from './fake-clock.js';

describe('FakeClock', () => {
  it('starts at a fixed, trusted time', () => {
    const c = new FakeClock();
    expect(c.now()).toBe(FAKE_CLOCK_START);
    expect(c.monotonic()).toBe(0);
    expect(c.isTrusted()).toBe(true);
    const d = new FakeClock({ wall: 5, monotonic: 7, trusted: false });
    expect([d.now(), d.monotonic(), d.isTrusted()]).toEqual([5, 7, false]);
  });

  it('advance() moves wall and monotonic time together', () => {
    const c = new FakeClock({ wall: 1_000, monotonic: 0 });
    c.advance(250);
    expect([c.now(), c.monotonic()]).toEqual([1_250, 250]);
  });

  it('jumpWall() and setWall() move only the wall clock, either way (an NTP step)', () => {
    const c = new FakeClock({ wall: 10_000, monotonic: 100 });
    c.jumpWall(-9_000);
    expect([c.now(), c.monotonic()]).toEqual([1_000, 100]);
    c.setWall(0); // booted at 1970
    expect([c.now(), c.monotonic()]).toEqual([0, 100]);
  });

  it('advanceMonotonic() moves only monotonic time', () => {
    const c = new FakeClock({ wall: 10_000, monotonic: 100 });
    c.advanceMonotonic(50);
    expect([c.now(), c.monotonic()]).toEqual([10_000, 150]);
  });

  it('never lets monotonic time go backwards', () => {
    const c = new FakeClock();
    expect(() => c.advance(-1)).toThrow(RangeError);
    expect(() => c.advanceMonotonic(-1)).toThrow(/time only moves forward/);
    expect(() => c.advance(Number.NaN)).toThrow(RangeError);
    expect(c.monotonic()).toBe(0);
  });

  it('setTrusted() changes isTrusted()', () => {
    const c = new FakeClock();
    c.setTrusted(false);
    expect(c.isTrusted()).toBe(false);
    c.setTrusted(true);
    expect(c.isTrusted()).toBe(true);
  });
});
