import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';

/**
 * The real clock. Wall time stamps readings; monotonic time (performance.now) drives
 * scheduling, so an NTP step never stretches or shrinks a poll period or a backoff.
 *
 * Trust: a Raspberry Pi has no RTC. It boots at 1970, or at the time fake-hwclock saved at the
 * last shutdown (days or months old), and only NTP puts it right. Readings taken before that
 * must say clockTrusted=false instead of carrying a plausible-looking wrong time.
 */

/**
 * Files whose existence means "the system clock is NTP-synchronised since this boot". All live
 * under /run (tmpfs), so a reboot clears them and trust has to be earned again.
 * - systemd-timesyncd creates /run/systemd/timesync/synchronized on its first sync (systemd ≥ 239).
 * - chrony and ntpd leave no such file. Install a one-shot unit that runs `chronyc waitsync`
 *   (or `ntp-wait`) and then `touch /run/vigil/clock-synchronized`; checking a file is cheap,
 *   spawning chronyc on a schedule is not.
 */
export const DEFAULT_SYNC_MARKERS: readonly string[] = [
  '/run/systemd/timesync/synchronized',
  '/run/vigil/clock-synchronized',
];

/**
 * No honest wall time can be earlier than the release being run. Catches a Pi that booted at
 * 1970 even when a marker is somehow present. Raise it with each release.
 */
export const CLOCK_FLOOR_MS = Date.UTC(2026, 10, 1); // 2026-11-01

/** The marker check touches the filesystem; do it at most this often (isTrusted is hot). */
export const SYNC_RECHECK_MS = 10_000;

export interface SystemClockOptions {
  /** 'ntp': trusted once the system reports synchronisation. 'always': the operator vouches (RTC, test rig). */
  trust: 'ntp' | 'always';
  /** Paths checked for existence; any one present means synchronised. */
  syncMarkers?: readonly string[];
  /** Wall time before this is never trusted in 'ntp' mode. */
  floorMs?: number;
  /** Injectable for tests. */
  exists?: (path: string) => boolean;
  now?: () => number;
  monotonic?: () => number;
}

export class SystemClock implements Clock {
  private readonly trust: 'ntp' | 'always';
  private readonly markers: readonly string[];
  private readonly floorMs: number;
  private readonly exists: (path: string) => boolean;
  private readonly wall: () => number;
  private readonly mono: () => number;
  private synced = false;
  private checkedAt: number | null = null;

  constructor(opts: SystemClockOptions) {
    this.trust = opts.trust;
    this.markers = opts.syncMarkers ?? DEFAULT_SYNC_MARKERS;
    this.floorMs = opts.floorMs ?? CLOCK_FLOOR_MS;
    this.exists = opts.exists ?? existsSync;
    this.wall = opts.now ?? Date.now;
    this.mono = opts.monotonic ?? (() => performance.now());
  }

  now(): number {
    return this.wall();
  }

  monotonic(): number {
    return this.mono();
  }

  isTrusted(): boolean {
    if (this.trust === 'always') return true;
    // The floor is checked on every call (it is one comparison); only the marker is cached.
    return this.markerPresent() && this.wall() >= this.floorMs;
  }

  private markerPresent(): boolean {
    // Cached on monotonic time, so a clock step cannot postpone or repeat the recheck.
    const t = this.mono();
    if (this.checkedAt === null || t - this.checkedAt >= SYNC_RECHECK_MS) {
      this.checkedAt = t;
      this.synced = this.markers.some((p) => {
        try {
          return this.exists(p);
        } catch {
          return false; // an unreadable /run is "not known to be synchronised", never a crash
        }
      });
    }
    return this.synced;
  }
}
