import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('Backoff', () => {
  it('doubles from initialMs up to maxMs and starts over after reset()', () => {
    const b = new Backoff({ initialMs: 1_000, maxMs: 60_000, random: () => 0 });
    const seq = Array.from({ length: 9 }, () => b.next());
    expect(seq).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(b.failures).toBe(9);
    b.reset();
    expect(b.failures).toBe(0);
    expect(b.next()).toBe(1_000);
  });

  it('shaves at most the jitter fraction off, never adds to it', () => {
    const hi = new Backoff({ initialMs: 1_000, maxMs: 8_000, jitter: 0.25, random: () => 0.999999 });
    expect(hi.next()).toBe(750);
    const lo = new Backoff({ initialMs: 1_000, maxMs: 8_000, jitter: 0.25, random: () => 0 });
    expect(lo.next()).toBe(1_000);
  });

  it('does not overflow after very many failures', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 5_000, random: () => 0 });
    for (let i = 0; i < 2_000; i++) b.next();
    expect(b.next()).toBe(5_000);
  });

  it('rejects settings that cannot work, naming them', () => {
    expect(() => new Backoff({ initialMs: 0, maxMs: 10 })).toThrow(/initialMs/);
    expect(() => new Backoff({ initialMs: 1_000, maxMs: 10 })).toThrow(/maxMs/);
    expect(() => new Backoff({ initialMs: 10, maxMs: 10, jitter: 2 })).toThrow(/jitter/);
  });
});
