import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { alarmPathHealth, startSystemdNotifier, watchdogPingMs } from './systemd-notify.js';

/** What systemd-notify would have been run with, in order; each call "exits 0" on the next tick. */
function fakeSpawn(): { calls: string[][]; spawn: NonNullable<Parameters<typeof startSystemdNotifier>[0]['spawn']> } {
  const calls: string[][] = [];
  return {
    calls,
    spawn: (command, args) => {
      expect(command).toBe('systemd-notify');
      calls.push(args);
      const child = new EventEmitter() as ChildProcess;
      setTimeout(() => child.emit('exit', 0, null), 0);
      return child;
    },
  };
}

const logger = () => ({ info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const SYSTEMD = { NOTIFY_SOCKET: '/run/systemd/notify', WATCHDOG_USEC: '20000000' };

describe('watchdogPingMs', () => {
  it('pings at half of WatchdogSec, only when the watchdog is meant for this process', () => {
    expect(watchdogPingMs({ WATCHDOG_USEC: '20000000' })).toBe(10_000);
    expect(watchdogPingMs({ WATCHDOG_USEC: '20000000', WATCHDOG_PID: '42' }, 42)).toBe(10_000);
    expect(watchdogPingMs({ WATCHDOG_USEC: '20000000', WATCHDOG_PID: '41' }, 42)).toBeNull();
    expect(watchdogPingMs({})).toBeNull();
    expect(watchdogPingMs({ WATCHDOG_USEC: '0' })).toBeNull();
    expect(watchdogPingMs({ WATCHDOG_USEC: 'soon' })).toBeNull();
  });
});

describe('startSystemdNotifier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is a no-op without NOTIFY_SOCKET: nothing is run', async () => {
    const f = fakeSpawn();
    const n = startSystemdNotifier({ env: { WATCHDOG_USEC: '20000000' }, health: () => null, logger: logger(), spawn: f.spawn });
    n.ready('running');
    await vi.advanceTimersByTimeAsync(60_000);
    n.stopping();
    expect(n.enabled).toBe(false);
    expect(f.calls).toEqual([]);
  });

  it('READY=1, then WATCHDOG=1 every half period while healthy, STOPPING=1 on stop and no ping after it', async () => {
    const f = fakeSpawn();
    const n = startSystemdNotifier({ env: SYSTEMD, health: () => null, logger: logger(), spawn: f.spawn });
    n.ready('site s, gateway g: running');
    expect(f.calls).toEqual([['READY=1', 'STATUS=site s, gateway g: running']]);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(f.calls.slice(1)).toEqual([['WATCHDOG=1'], ['WATCHDOG=1'], ['WATCHDOG=1']]);
    n.stopping();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f.calls.at(-1)).toEqual(['STOPPING=1']);
    expect(f.calls).toHaveLength(5);
  });

  it('withholds the ping while the alarm path is not alive (systemd then restarts the service), says why once, and resumes when it recovers', async () => {
    const f = fakeSpawn();
    const log = logger();
    let problem: string | null = null;
    const n = startSystemdNotifier({ env: SYSTEMD, health: () => problem, logger: log, spawn: f.spawn });
    n.ready('running');
    await vi.advanceTimersByTimeAsync(10_000);
    problem = 'alarm engine has not evaluated a reading for 12.0 s';
    await vi.advanceTimersByTimeAsync(10_000);
    problem = 'alarm engine has not evaluated a reading for 22.0 s';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(f.calls.slice(1)).toEqual([['WATCHDOG=1'], ['STATUS=watchdog ping withheld: alarm engine has not evaluated a reading for 12.0 s']]);
    expect(log.error).toHaveBeenCalledTimes(1);
    problem = null;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(f.calls.slice(3)).toEqual([['WATCHDOG=1', 'STATUS=running'], ['WATCHDOG=1']]);
  });

  it('a missing systemd-notify is logged once as an error naming the consequence', async () => {
    const log = logger();
    const n = startSystemdNotifier({
      env: SYSTEMD,
      health: () => null,
      logger: log,
      spawn: () => {
        const child = new EventEmitter() as ChildProcess;
        setTimeout(() => child.emit('error', Object.assign(new Error('spawn systemd-notify ENOENT'), { code: 'ENOENT' })), 0);
        return child;
      },
    });
    n.ready('running');
    await vi.advanceTimersByTimeAsync(30_000);
    n.stopping();
    expect(log.error).toHaveBeenCalledTimes(1);
    expect(log.error.mock.calls[0]?.[1]).toMatch(/NOTIFY_SOCKET is set but systemd-notify could not be run/);
  });
});

describe('alarmPathHealth', () => {
  function gateway(opts: { failed?: boolean } = {}) {
    const clock = new FakeClock();
    const listeners: Array<() => void> = [];
    const gw = {
      clock,
      safety: { engine: { failed: () => opts.failed === true } },
      onReadings: (l: () => void) => listeners.push(l),
    } as unknown as Parameters<typeof alarmPathHealth>[0];
    return { gw, clock, reading: () => listeners.forEach((l) => l()) };
  }
  const devices = [{ pollMs: 1_000 }, { pollMs: 5_000 }] as Parameters<typeof alarmPathHealth>[1]['devices'];

  it('alive while readings reach the engine; stalled after max(10 s, 5 fastest polls) without one', () => {
    const { gw, clock, reading } = gateway();
    const health = alarmPathHealth(gw, { devices });
    expect(health()).toBeNull();
    clock.advance(9_000);
    reading();
    clock.advance(10_000);
    expect(health()).toBeNull();
    clock.advance(1);
    expect(health()).toBe('alarm engine has not evaluated a reading for 10.0 s while devices are polling (limit 10.0 s)');
    reading();
    expect(health()).toBeNull();
  });

  it('a failed engine is never alive (it is not trusted until restart)', () => {
    const { gw, reading } = gateway({ failed: true });
    const health = alarmPathHealth(gw, { devices });
    reading();
    expect(health()).toMatch(/^alarm engine failed: /);
  });
});
