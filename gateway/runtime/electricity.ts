import { ElectricityMonitor } from '../../rules/electricity/electricity-monitor.js';
import { isEstimated, type EnergyRecord } from '../../rules/electricity/energy-record.js';
import type { Clock } from '../clock/clock.js';
import type { SiteConfig } from '../config/schema.js';
import type { Reading } from '../readings.js';
import type { GatewayEvent, Store } from '../store/store.js';
import type { Actor } from '../../rules/model.js';

/** The point each meter (and "site") gets for its quarter-hour energy. */
export const ENERGY_INTERVAL_POINT = 'energy_15min';

/** The store's runtime-state key under which the baseline history (a BaselineExport as JSON) is kept. */
export const BASELINE_STATE_KEY = 'electricity.baseline';

/**
 * The runtime-state key under which the last cloud push of ordered shutdown windows is kept. An
 * ordered shutdown is a legal order with a start and an end; a gateway that restarts during one
 * must keep watching for production without waiting for the platform to push it again.
 */
export const CLOUD_WINDOWS_STATE_KEY = 'electricity.cloud-windows';

/** How often the baseline history is saved while running; a kill -9 loses at most this much of it. */
export const BASELINE_SAVE_INTERVAL_MS = 60 * 60 * 1000;

export interface ElectricityRuntime {
  /** Called with every poll response (after the alarm path); synchronous and cheap. */
  onReadings(readings: readonly Reading[]): void;
  /** Stops the monitor and saves the baseline history one last time (a failed save is an event, not a rejection). */
  stop(): Promise<void>;
  /**
   * Ordered shutdown windows pushed by the cloud (the `set-shutdown-windows` command): replaces the
   * last push and journals who set them; refused when the site file does not accept them.
   */
  setShutdownWindows(windows: readonly { id: string; start: string; end: string; reason?: string }[], actor: Actor, note?: string): { ok: true; message: string } | { ok: false; refusal: 'not-applicable'; message: string };
}

/**
 * Electricity monitoring in the running gateway (standards.md §5): the quarter-hour energy of
 * each meter and of the site becomes a reading (`<meter>/energy_15min`, `site/energy_15min`, kWh,
 * time-stamped at the interval's end) that is stored and forwarded like any other; shutdown and
 * baseline findings are events. A record that is incomplete or estimated has quality `bad` and an
 * `electricity.interval-flagged` event says why — never a silent zero.
 *
 * The baseline history (weeks of quarter hours) is kept in the store under BASELINE_STATE_KEY:
 * loaded before the monitor starts, saved every hour and on stop, so a restart does not relearn
 * it for weeks. A stored value that cannot be read or used is reported as an `electricity.fault`
 * event and the baseline starts empty — the gateway runs on either way.
 */
export async function startElectricity(opts: {
  config: SiteConfig;
  clock: Clock;
  emitEvent(event: GatewayEvent): void;
  /** Where the interval readings go: the point table and the store. */
  deliver(readings: Reading[]): void;
  /** Where the baseline history is kept across restarts. */
  store: Pick<Store, 'getRuntimeState' | 'putRuntimeState'>;
}): Promise<ElectricityRuntime | null> {
  const cfg = opts.config.electricity;
  if (!cfg) return null;
  const { clock, store } = opts;
  const faultFor =
    (key: string) =>
    (message: string, error: unknown): void =>
      opts.emitEvent({
        type: 'electricity.fault',
        severity: 'warning',
        ts: clock.now(),
        clockTrusted: clock.isTrusted(),
        message: `${message}: ${error instanceof Error ? error.message : String(error)}`,
        data: { key },
      });
  const fault = faultFor(BASELINE_STATE_KEY);
  const windowsFault = faultFor(CLOUD_WINDOWS_STATE_KEY);
  const monitor = new ElectricityMonitor(cfg, {
    clock,
    emit: opts.emitEvent,
    onRecord: (r) => {
      opts.deliver([intervalReading(r)]);
      if (!r.complete || r.flags.length > 0) opts.emitEvent(flaggedEvent(r, clock));
    },
  });
  // Null when the site file has no baseline section: nothing to load or save.
  const hasBaseline = monitor.exportBaseline() !== null;
  if (hasBaseline) {
    await restoreState(store, BASELINE_STATE_KEY, fault, {
      unreadable: 'the stored electricity baseline could not be read; it is relearned from now on',
      ignored: `the stored electricity baseline (${BASELINE_STATE_KEY}) was ignored; it is relearned from now on`,
    }, (doc) => monitor.importBaseline(doc));
  }
  if (cfg.shutdown?.cloudWindows) {
    await restoreState(store, CLOUD_WINDOWS_STATE_KEY, windowsFault, {
      unreadable: 'the stored ordered shutdown windows could not be read; they apply again when the platform pushes them',
      ignored: `the stored ordered shutdown windows (${CLOUD_WINDOWS_STATE_KEY}) were ignored; they apply again when the platform pushes them`,
    }, (doc) => {
      const windows = (doc as { windows?: unknown }).windows;
      if (!Array.isArray(windows)) throw new TypeError('no "windows" list');
      monitor.setCloudWindows({ windows: windows as { id: string; start: string; end: string }[] });
    });
  }
  monitor.start();

  const save = async (): Promise<void> => {
    const doc = monitor.exportBaseline();
    if (!doc) return;
    try {
      await store.putRuntimeState(BASELINE_STATE_KEY, JSON.stringify(doc));
    } catch (e) {
      fault('the electricity baseline could not be saved (kept in memory; the next save tries again)', e);
    }
  };
  // unref: a pending save never keeps the process alive; stop() saves anyway.
  const timer = hasBaseline ? setInterval(() => void save(), BASELINE_SAVE_INTERVAL_MS).unref() : null;
  let stopped = false;
  return {
    onReadings: (readings) => monitor.onReadings(readings),
    setShutdownWindows(windows, actor, note) {
      try {
        monitor.setCloudWindows({ windows: windows.map((w) => ({ ...w })) });
      } catch (e) {
        return { ok: false, refusal: 'not-applicable', message: e instanceof Error ? e.message : String(e) };
      }
      const who = actor.name ?? actor.kind;
      // Saved off the command path; the windows are in force from now whether or not the save works.
      store.putRuntimeState(CLOUD_WINDOWS_STATE_KEY, JSON.stringify({ windows })).catch((e: unknown) =>
        windowsFault('the ordered shutdown windows could not be saved (in force now; a restart would lose them until the platform pushes again)', e),
      );
      opts.emitEvent({
        type: 'electricity.shutdown-windows-set',
        severity: 'info',
        ts: clock.now(),
        clockTrusted: clock.isTrusted(),
        message: `${windows.length} ordered shutdown window(s) set by ${actor.kind} user ${who}`,
        data: { windows: windows.map((w) => ({ ...w })), actor, ...(note !== undefined ? { note } : {}) },
      });
      return { ok: true, message: `${windows.length} shutdown window(s) set by ${actor.kind} user ${who}` };
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      monitor.stop();
      await save();
    },
  };
}

/**
 * Restores one runtime-state document: absent is a first start; one that cannot be read, parsed
 * or applied is an `electricity.fault` event naming the key, and the gateway runs on without it.
 */
async function restoreState(
  store: Pick<Store, 'getRuntimeState'>,
  key: string,
  fault: (message: string, error: unknown) => void,
  what: { unreadable: string; ignored: string },
  apply: (doc: unknown) => void,
): Promise<void> {
  let text: string | null;
  try {
    text = await store.getRuntimeState(key);
  } catch (e) {
    fault(what.unreadable, e);
    return;
  }
  if (text === null) return;
  try {
    apply(JSON.parse(text));
  } catch (e) {
    fault(what.ignored, e);
  }
}

export function intervalReading(r: EnergyRecord): Reading {
  const good = r.complete && r.kWh !== null && !isEstimated(r);
  return { device: r.meter, point: ENERGY_INTERVAL_POINT, value: r.kWh, unit: 'kWh', quality: good ? 'good' : 'bad', ts: r.end, clockTrusted: r.clockTrusted };
}

function flaggedEvent(r: EnergyRecord, clock: Clock): GatewayEvent {
  const what = [...r.flags, ...(r.missing?.length ? [`missing: ${r.missing.join(', ')}`] : [])].join('; ') || 'incomplete';
  return {
    type: 'electricity.interval-flagged',
    severity: 'info',
    ts: clock.now(),
    clockTrusted: clock.isTrusted(),
    message: `${r.meter}: energy ${new Date(r.start).toISOString()}–${new Date(r.end).toISOString()} is ${r.complete ? 'estimated' : 'incomplete'} (${what})`,
    device: r.meter,
    point: ENERGY_INTERVAL_POINT,
    data: { start: r.start, end: r.end, kWh: r.kWh, complete: r.complete, flags: r.flags, ...(r.missing ? { missing: r.missing } : {}) },
  };
}
