import { describe, expect, it } from 'vitest';
import { CLOCK_FLOOR_MS, DEFAULT_SYNC_MARKERS, SYNC_RECHECK_MS, SystemClock } from './system-clock.js';

/** A SystemClock whose filesystem, wall and monotonic time the test controls. */
function rig(opts: { trust: 'ntp' | 'always'; present?: string[]; wall?: number }) {
  const present = new Set(opts.present ?? []);
  const checks: string[] = [];
  const t = { wall: opts.wall ?? Date.UTC(2026, 10, 23), mono: 1_000 };
  const clock = new SystemClock({
    trust: opts.trust,
    exists: (p) => (checks.push(p), present.has(p)),
    now: () => t.wall,
    monotonic: () => t.mono,
  });
  return { clock, present, checks, t };
}

const TIMESYNCD = '/run/systemd/timesync/synchronized';

describe('SystemClock', () => {
  it('reads the real wall and monotonic clocks by default', () => {
    const c = new SystemClock({ trust: 'always' });
    expect(Math.abs(c.now() - Date.now())).toBeLessThan(1000);
    const a = c.monotonic();
    expect(c.monotonic()).toBeGreaterThanOrEqual(a);
  });

  it("trusts the wall clock unconditionally with trust 'always' (an RTC the operator vouches for)", () => {
    const { clock, checks } = rig({ trust: 'always', wall: 0 });
    expect(clock.isTrusted()).toBe(true);
    expect(checks).toEqual([]);
  });

  it("with trust 'ntp', is untrusted until systemd-timesyncd reports synchronisation", () => {
    const { clock, present, t } = rig({ trust: 'ntp' });
    expect(clock.isTrusted()).toBe(false);
    present.add(TIMESYNCD);
    t.mono += SYNC_RECHECK_MS;
    expect(clock.isTrusted()).toBe(true);
  });

  it('accepts any one of the markers (chrony/ntpd via /run/vigil/clock-synchronized)', () => {
    expect(DEFAULT_SYNC_MARKERS).toEqual([TIMESYNCD, '/run/vigil/clock-synchronized']);
    const { clock } = rig({ trust: 'ntp', present: ['/run/vigil/clock-synchronized'] });
    expect(clock.isTrusted()).toBe(true);
  });

  it('never trusts a wall time before the release floor, marker or not (a Pi booted at 1970)', () => {
    const { clock, t } = rig({ trust: 'ntp', present: [TIMESYNCD], wall: 0 });
    expect(clock.isTrusted()).toBe(false);
    t.wall = CLOCK_FLOOR_MS - 1;
    expect(clock.isTrusted()).toBe(false);
    t.wall = CLOCK_FLOOR_MS; // takes effect at once: the floor is not cached
    expect(clock.isTrusted()).toBe(true);
  });

  it('checks the filesystem at most once per 10 s of monotonic time', () => {
    const { clock, present, checks, t } = rig({ trust: 'ntp' });
    for (let i = 0; i < 100; i++) clock.isTrusted();
    expect(checks).toEqual(DEFAULT_SYNC_MARKERS);

    present.add(TIMESYNCD);
    t.mono += SYNC_RECHECK_MS - 1;
    expect(clock.isTrusted()).toBe(false); // cached answer
    expect(checks).toHaveLength(2);
    t.mono += 1;
    expect(clock.isTrusted()).toBe(true);
    expect(checks).toHaveLength(3); // the first marker matched; the second is not consulted
  });

  it('is not fooled into re-checking (or not) by a wall-clock step', () => {
    const { clock, checks, t } = rig({ trust: 'ntp' });
    clock.isTrusted();
    t.wall += 3_600_000; // NTP steps the clock an hour; no monotonic time passed
    clock.isTrusted();
    expect(checks).toHaveLength(2);
  });

  it('uses the injected marker paths', () => {
    const seen: string[] = [];
    const clock = new SystemClock({
      trust: 'ntp',
      syncMarkers: ['/tmp/test-marker'],
      exists: (p) => (seen.push(p), true),
      now: () => Date.UTC(2026, 10, 23),
      monotonic: () => 0,
    });
    expect(clock.isTrusted()).toBe(true);
    expect(seen).toEqual(['/tmp/test-marker']);
  });

  it('treats a marker that cannot be checked as "not synchronised", never a crash', () => {
    const clock = new SystemClock({
      trust: 'ntp',
      exists: () => {
        throw new Error('EACCES');
      },
      now: () => Date.UTC(2026, 10, 23),
      monotonic: () => 0,
    });
    expect(clock.isTrusted()).toBe(false);
  });
});
