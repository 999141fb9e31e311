import { spawn as nodeSpawn, type ChildProcess } from 'node:child_process';
import type { SiteConfig } from '../config/schema.js';
import { engineProblem } from '../../rules/annunciator/engine-watchdog.js';
import type { RunningGateway } from './gateway.js';
import { engineStaleMs } from './safety.js';

/**
 * sd_notify(3) for `Type=notify` + `WatchdogSec=` (deploy/vigil.service) without a native module:
 * Node cannot send on a unix datagram socket, so each message is one run of `systemd-notify`,
 * which is on every systemd system. That needs `NotifyAccess=all` in the unit (the sender is our
 * child, not the main process). systemd-notify ≥ 246 waits until PID 1 has processed the message
 * (sd_notify_barrier), so the message is attributed to the unit even though the sender exits at
 * once — the race of systemd issue #2737; Raspberry Pi OS bookworm ships 252.
 *
 * Without NOTIFY_SOCKET (not under systemd, or a plain `Type=simple` unit) everything is a no-op.
 *
 * The watchdog ping is not a timer that proves only that the event loop turns: it is sent only
 * while `health()` says the alarm path is alive. When the alarm engine fails or stops evaluating
 * readings, the pings stop and systemd restarts the service after WatchdogSec (a restart restores
 * latched alarms from the store and sounds unacknowledged ones again). A hung event loop stops
 * them too, since the ping timer cannot run.
 */
export interface SystemdNotifierOptions {
  env?: NodeJS.ProcessEnv;
  /** Null while the alarm path is alive; otherwise why it is not (sent as STATUS=). */
  health: () => string | null;
  logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  /** Tests inject a spawn; by default node:child_process. */
  spawn?: (command: string, args: string[], opts: { env: NodeJS.ProcessEnv; stdio: 'ignore' }) => ChildProcess;
}

export interface SystemdNotifier {
  /** Whether NOTIFY_SOCKET was set (we run under systemd with Type=notify). */
  readonly enabled: boolean;
  /** Ping period, or null without a watchdog (no WATCHDOG_USEC for this process). */
  readonly pingIntervalMs: number | null;
  /** READY=1 and start the watchdog pings. */
  ready(status: string): void;
  /** STOPPING=1 and stop pinging (a clean stop must not be mistaken for a hang). */
  stopping(): void;
}

/**
 * sd_watchdog_enabled(3): WATCHDOG_USEC is for us only if WATCHDOG_PID is unset or our pid. Ping at
 * half the period, as the man page advises, so one late tick does not trip it.
 */
export function watchdogPingMs(env: NodeJS.ProcessEnv, pid = process.pid): number | null {
  const usec = env.WATCHDOG_USEC;
  if (usec === undefined || !/^\d+$/.test(usec) || Number(usec) === 0) return null;
  if (env.WATCHDOG_PID !== undefined && env.WATCHDOG_PID !== String(pid)) return null;
  return Math.max(1, Math.floor(Number(usec) / 2_000));
}

export function startSystemdNotifier(opts: SystemdNotifierOptions): SystemdNotifier {
  const env = opts.env ?? process.env;
  const enabled = env.NOTIFY_SOCKET !== undefined && env.NOTIFY_SOCKET !== '';
  const pingIntervalMs = enabled ? watchdogPingMs(env) : null;
  const spawn = opts.spawn ?? nodeSpawn;
  let timer: ReturnType<typeof setInterval> | undefined;
  let pending: ChildProcess | null = null;
  let withheld: string | null = null;
  let spawnFailed = false;

  const send = (fields: string[]): void => {
    const child = spawn('systemd-notify', fields, { env, stdio: 'ignore' });
    pending = child;
    child.on('error', (e) => {
      if (spawnFailed) return;
      spawnFailed = true;
      opts.logger.error({ component: 'systemd', err: e }, 'NOTIFY_SOCKET is set but systemd-notify could not be run: systemd will time the start out or restart the service on its watchdog (install systemd, or use Type=simple without WatchdogSec)');
    });
    child.on('exit', (code) => {
      if (pending === child) pending = null;
      if (code !== 0 && code !== null) opts.logger.warn({ component: 'systemd', code, fields: fields.map((f) => f.split('=')[0]) }, 'systemd-notify failed (is NotifyAccess=all set in the unit?)');
    });
  };

  const tick = (): void => {
    const problem = opts.health();
    if (problem !== null) {
      // Said once per episode: the problem's text changes every tick (it counts seconds).
      if (withheld === null) {
        opts.logger.error({ component: 'systemd', problem }, 'alarm path not alive: withholding the systemd watchdog ping, systemd will restart the service');
        send([`STATUS=watchdog ping withheld: ${problem}`]);
      }
      withheld = problem;
      return;
    }
    if (withheld !== null) {
      opts.logger.info({ component: 'systemd' }, 'alarm path alive again: watchdog pings resumed');
      withheld = null;
      send(['WATCHDOG=1', 'STATUS=running']);
      return;
    }
    // One systemd-notify at a time: a slow one (a busy PID 1) must not pile up children.
    if (pending === null) send(['WATCHDOG=1']);
  };

  return {
    enabled,
    pingIntervalMs,
    ready(status: string) {
      if (!enabled) return;
      send(['READY=1', `STATUS=${status}`]);
      if (pingIntervalMs !== null) {
        timer = setInterval(tick, pingIntervalMs);
        timer.unref();
      }
    },
    stopping() {
      clearInterval(timer);
      timer = undefined;
      if (enabled) send(['STOPPING=1']);
    },
  };
}

/**
 * The alarm path's health for the watchdog: the engine has not failed and has evaluated a reading
 * recently while devices poll — the same judgement as the annunciator's heartbeat check
 * (engine-watchdog.ts), so sites without outputs get it too. Readings are seen through
 * gateway.onReadings, which runs right after the engine on every poll response.
 */
export function alarmPathHealth(gateway: Pick<RunningGateway, 'clock' | 'safety' | 'onReadings'>, config: Pick<SiteConfig, 'devices'>): () => string | null {
  const since = gateway.clock.monotonic();
  let lastEvaluationMs: number | null = null;
  gateway.onReadings(() => {
    lastEvaluationMs = gateway.clock.monotonic();
  });
  const staleMs = engineStaleMs(Math.min(...config.devices.map((d) => d.pollMs)));
  return () =>
    engineProblem(
      { failed: gateway.safety.engine.failed() ? 'an alarm evaluation threw (see the log)' : null, lastEvaluationMs, expectEvaluations: config.devices.length > 0 },
      gateway.clock.monotonic(),
      since,
      staleMs,
    );
}
