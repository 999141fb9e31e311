import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import { JumpingClock } from './jumping-clock.js';

describe('JumpingClock', () => {
  it('steps wall time forward and back while monotonic time runs on untouched', () => {
    const inner = new FakeClock({ wall: 1_000_000, monotonic: 50 });
    const c = new JumpingClock(inner);
    c.jump(3_600_000); // an NTP step forward by an hour
    expect(c.now()).toBe(4_600_000);
    expect(c.monotonic()).toBe(50);
    inner.advance(1_000);
    expect(c.now()).toBe(4_601_000);
    expect(c.monotonic()).toBe(1_050);
    c.jump(-7_200_000); // and back by two
    expect(c.now()).toBe(1_000_000 + 1_000 - 3_600_000);
    expect(c.monotonic()).toBe(1_050);
    expect(c.offset).toBe(-3_600_000);
    expect(c.jumps).toEqual([3_600_000, -7_200_000]);
  });

  it('passes trust through and refuses a jump that is not a number of ms', () => {
    const c = new JumpingClock(new FakeClock({ trusted: false }));
    expect(c.isTrusted()).toBe(false);
    expect(() => c.jump(Number.NaN)).toThrow(/deltaMs must be a finite number of ms, got NaN/);
    expect(() => c.jump(Number.POSITIVE_INFINITY)).toThrow(/got Infinity/);
  });
});
