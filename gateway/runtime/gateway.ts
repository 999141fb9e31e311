import { isAbsolute, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import { resolvePoints } from '../../drivers/modbus/codecs.js';
import { busQueueForBus } from '../../drivers/modbus/bus-queue-for-bus.js';
import { BusQueue } from '../../drivers/modbus/bus-queue.js';
import { DevicePoller } from '../../drivers/modbus/device-poller.js';
import { ModbusSerialTransport } from '../../drivers/modbus/modbus-serial-transport.js';
import type { ModbusTransport } from '../../drivers/transport/modbus-transport.js';
import type { BusConfig, SiteConfig } from '../config/schema.js';
import type { ResolvedSecrets } from '../config/secrets.js';
import type { Clock } from '../clock/clock.js';
import { SystemClock } from '../clock/system-clock.js';
import { createMetrics, type Metrics } from '../health/metrics.js';
import { createApiServer } from '../api/server.js';
import type { MqttForwarder } from '../forward/mqtt-forwarder.js';
import type { Reading } from '../readings.js';
import type { GatewayEvent, Store } from '../store/store.js';
import { WorkerStore } from '../store/worker-store.js';
import { Backoff } from '../forward/backoff.js';
import { IngestBatcher } from './ingest.js';
import { PointTable } from './point-table.js';
import { GatewayHealth } from './health-source.js';
import { busBudgetPercents } from '../health/bus-budget-figure.js';
import { deviceStateEvent, type DeviceState } from './device-events.js';
import { VERSION } from './version.js';
import type { Gpio } from '../../drivers/gpio/gpio.js';
import type { TripTiming } from '../../rules/interlocks/types.js';
import type { ModbusDeviceIo } from '../../rules/interlocks/modbus-point-io.js';
import { AlarmPersister } from './alarm-persister.js';
import { publishSafetyMetrics, startSafety, type SafetySystem } from './safety.js';
import { startBookkeeping } from './bookkeeping.js';
import { startElectricity, type ElectricityRuntime } from './electricity.js';
import { createCloudForwarder } from './cloud.js';
import { firePanelAlarms } from '../../drivers/fire-panel/alarms.js';
import { fireCentreAlarms } from './fire-centre.js';
import { createFireMonitoring } from './fire.js';
import type { AlarmActionsSource } from '../api/types.js';

export interface GatewayOptions {
  config: SiteConfig;
  /** Directory of the site file: relative paths in it resolve against this. */
  configDir: string;
  secrets: ResolvedSecrets;
  profiles: ProfileCatalog;
  logger: Logger;
  clock?: Clock;
  /** Tests and benchmarks may supply their own transports or store. */
  transportFactory?: (bus: BusConfig) => ModbusTransport;
  storeFactory?: (path: string, budgetBytes: number) => Store;
  /** The store worker's entry module (tests inject a failing one); default: the compiled worker-entry.js. */
  storeWorkerUrl?: URL;
  /** Readings held in memory while the store cannot commit (default in ingest.ts); tests make it small. */
  ingestMaxPending?: number;
  /** Output and input lines (tests, the demo); default: the site file's outputs.driver. */
  gpio?: Gpio;
  /** Interlock trip timings (bench/alarm-latency). */
  onTripTiming?: (timing: TripTiming) => void;
}

/** A listener on the alarm path: called synchronously with each response's readings. Must not block. */
export type ReadingsListener = (readings: readonly Reading[]) => void;

export interface RunningGateway {
  readonly clock: Clock;
  readonly metrics: Metrics;
  readonly store: Store;
  readonly points: PointTable;
  /** The local API's URL, e.g. http://127.0.0.1:8080 */
  readonly apiUrl: string;
  /** The alarm engine, outputs, interlocks and schedules. */
  readonly safety: SafetySystem;
  /** Attach another listener to the alarm path (after the alarm engine). */
  onReadings(listener: ReadingsListener): void;
  /** Queue a gateway event for the cloud (never evicted). */
  emitEvent(event: GatewayEvent): void;
  /** Commit what is pending (tests, shutdown). */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

const STATS_INTERVAL_MS = 2_000;


/**
 * Wires a validated site configuration into a running gateway. The order of work for a poll
 * response is the alarm path first — point table, alarm listeners — and only then the hand-off
 * to the store, which commits on a later turn in a worker thread (DESIGN.md principle 1).
 */
export async function startGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = opts;
  const clock = opts.clock ?? new SystemClock({ trust: config.clock.trust, ...(config.clock.syncMarkers ? { syncMarkers: config.clock.syncMarkers } : {}) });
  const metrics = createMetrics({ now: () => clock.now() });
  metrics.setInfo({ version: VERSION, site: config.site.id, gateway: config.gateway.id });
  const points = new PointTable();
  const listeners: ReadingsListener[] = [];
  const dbPath = isAbsolute(config.storage.path) ? config.storage.path : resolve(opts.configDir, config.storage.path);
  let storeError: string | undefined;
  let stopped = false;
  // The store's worker thread died: the failure is visible in health (storeError) while a fresh
  // worker is started (1 s, doubling to 30 s); readings held by the ingest batcher follow.
  const reopenBackoff = new Backoff({ initialMs: 1_000, maxMs: 30_000, jitter: 0 });
  const reopenStore = (): void => {
    setTimeout(() => {
      if (stopped) return;
      store.open().then(
        () => {
          reopenBackoff.reset();
          storeError = undefined;
          logger.warn({ component: 'store' }, 'store worker restarted');
        },
        (e: unknown) => {
          logger.error({ component: 'store', err: e }, 'store could not be reopened; retrying');
          reopenStore();
        },
      );
    }, reopenBackoff.next()).unref();
  };
  const store =
    opts.storeFactory?.(dbPath, config.storage.budgetBytes) ??
    new WorkerStore({
      path: dbPath,
      budgetBytes: config.storage.budgetBytes,
      durability: 'full',
      ...(opts.storeWorkerUrl ? { workerUrl: opts.storeWorkerUrl } : {}),
      onFailure: (e) => {
        storeError = e.message;
        metrics.setStoreFailed();
        logger.error({ component: 'store', err: e }, 'store worker died; restarting it');
        reopenStore();
      },
    });
  await store.open();

  let forwarder: MqttForwarder | null = null;
  const ingest = new IngestBatcher({
    store,
    ...(opts.ingestMaxPending !== undefined ? { maxPending: opts.ingestMaxPending } : {}),
    onCommitted: (stored) => {
      storeError = undefined;
      metrics.readingsCommitted(stored);
      forwarder?.notify('telemetry');
    },
    onError: (e) => {
      storeError = e instanceof Error ? e.message : String(e);
      logger.error({ component: 'store', err: e }, 'store could not commit readings; holding them in memory and retrying');
    },
  });

  // The alarm engine's durable record (journal, alarm states) goes to the store off the alarm path.
  const persister = new AlarmPersister({
    store,
    onCommitted: () => forwarder?.notify('event'),
    onError: (e) => {
      storeError = e instanceof Error ? e.message : String(e);
      logger.error({ component: 'store', err: e }, 'store could not commit the alarm journal; holding it in memory and retrying (alarms and outputs keep working)');
    },
  });

  const pendingEvents: GatewayEvent[] = [];
  // One flush at a time, and every caller (stop() included) waits for the one under way.
  let eventsFlush: Promise<void> | null = null;
  const flushEventsOnce = async (): Promise<void> => {
    while (pendingEvents.length > 0) {
      const batch = pendingEvents.splice(0, pendingEvents.length);
      try {
        await store.appendEvents(batch);
        forwarder?.notify('event');
      } catch (e) {
        pendingEvents.unshift(...batch);
        storeError = e instanceof Error ? e.message : String(e);
        if (stopped) {
          // Shutting down with a store that cannot commit: say what is lost instead of retrying forever.
          logger.error({ component: 'store', err: e, events: pendingEvents.map((x) => x.type) }, `${pendingEvents.length} events could not be committed before stopping`);
          return;
        }
        logger.error({ component: 'store', err: e }, 'store could not commit events; retrying');
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  };
  const flushEvents = (): Promise<void> => {
    eventsFlush ??= flushEventsOnce().finally(() => {
      eventsFlush = null;
    });
    return eventsFlush;
  };
  const emitEvent = (event: GatewayEvent): void => {
    logger.info({ component: 'events', event: event.type, device: event.device }, event.message);
    pendingEvents.push(event);
    void flushEvents();
  };

  // ── buses and devices ──────────────────────────────────────────────────────────────
  const queues = new Map<string, BusQueue>();
  const busViews: { name: string; type: 'rtu' | 'tcp'; description: string }[] = [];
  const transports: ModbusTransport[] = [];
  for (const bus of config.buses) {
    const transport = opts.transportFactory?.(bus) ?? new ModbusSerialTransport(bus);
    transports.push(transport);
    busViews.push({ name: bus.name, type: bus.type, description: transport.description });
    const queue = busQueueForBus(bus, transport, clock);
    queue.on('transaction', (t) => metrics.busTransaction({ ...t, bus: bus.name }));
    queues.set(bus.name, queue);
  }

  const deviceIo = new Map<string, ModbusDeviceIo>();
  const pollers: { name: string; bus: string; unitId: number; profile: string; poller: DevicePoller; state: DeviceState; overrunsReported: number }[] = [];
  const onReadings = (readings: Reading[]): void => {
    // Alarm path: synchronous, no awaits, no disk or network. The engine drives the sounders
    // and issues interlock writes inside this call (DESIGN.md principle 1).
    points.update(readings);
    safety.onReadings(readings);
    for (const l of listeners) {
      try {
        l(readings);
      } catch (e) {
        logger.error({ component: 'runtime', err: e }, 'a readings listener threw; the others still run');
      }
    }
    ingest.push(readings);
    electricity?.onReadings(readings);
  };
  for (const device of config.devices) {
    const profile = opts.profiles.get(device.profile);
    const queue = queues.get(device.bus);
    if (!profile || !queue) throw new Error(`device ${device.name}: profile or bus missing — the site file was not validated`);
    const resolved = resolvePoints(profile, device.points);
    deviceIo.set(device.name, { queue, unitId: device.unitId, points: resolved });
    points.declare(device.name, resolved, { ts: clock.now(), clockTrusted: clock.isTrusted() });
    const entry = { name: device.name, bus: device.bus, unitId: device.unitId, profile: device.profile, state: 'starting' as DeviceState, overrunsReported: 0, poller: undefined as unknown as DevicePoller };
    entry.poller = new DevicePoller({
      device: { name: device.name, unitId: device.unitId, pollMs: device.pollMs },
      points: resolved,
      limits: { maxRegisters: profile.modbus.maxRegistersPerRequest, maxBits: profile.modbus.maxBitsPerRequest, maxGap: profile.modbus.maxGap },
      queue,
      clock,
      onReadings,
      onStatus: (s) => {
        const event = deviceStateEvent(device.name, entry.state, s.state, { ts: clock.now(), clockTrusted: clock.isTrusted(), ...(s.lastError ? { lastError: s.lastError } : {}) });
        entry.state = s.state;
        metrics.setDeviceState(device.name, s.state);
        if (event) emitEvent(event);
      },
      logger: logger.child({ component: 'poller', device: device.name }),
    });
    pollers.push(entry);
  }

  // ── safety: alarm engine, outputs, interlocks, schedules — restored before the first poll ──
  let started: SafetySystem | undefined;
  let electricity: ElectricityRuntime | null;
  try {
    started = await startSafety({
      config,
      profiles: opts.profiles,
      clock,
      store,
      persister,
      logger,
      devices: deviceIo,
      extraAlarms: [...(config.firePanels ?? []).flatMap((p) => firePanelAlarms(p.name)), ...(config.fireCentre ? fireCentreAlarms() : [])],
      fastestPollMs: Math.min(...config.devices.map((d) => d.pollMs)),
      ...(opts.gpio ? { gpio: opts.gpio } : {}),
      ...(opts.onTripTiming ? { onTripTiming: opts.onTripTiming } : {}),
    });
    electricity = await startElectricity({
      config,
      clock,
      store,
      emitEvent,
      deliver: (readings) => {
        points.update(readings);
        ingest.push(readings);
      },
    });
  } catch (e) {
    // Nothing half-started stays behind: lines released, ports and the store closed.
    await started?.stop().catch(() => undefined);
    await Promise.allSettled(transports.map((t) => t.close()));
    await store.close().catch(() => undefined);
    throw e;
  }
  const safety: SafetySystem = started;

  const fire = createFireMonitoring({ config, clock, store, safety, onReadings: (readings) => onReadings(readings), emitEvent, journal: (entry) => persister.persist([entry], []), logger });
  safety.engine.onTransition((t) => metrics.alarmTransition(t.event));
  publishSafetyMetrics(metrics, safety);

  // ── cloud ─────────────────────────────────────────────────────────────────────────
  // What the API and cloud commands act through: the alarms, and the shutdown windows when electricity runs.
  const actions: AlarmActionsSource = electricity ? { ...safety.actions, setShutdownWindows: (w, actor, note) => electricity.setShutdownWindows(w, actor, note) } : safety.actions;
  forwarder = createCloudForwarder({ config, configDir: opts.configDir, secrets: opts.secrets, store, clock, metrics, alarms: actions, logger });

  // ── health, API ───────────────────────────────────────────────────────────────────
  const budgets = busBudgetPercents(config, opts.profiles);
  const budgetOf = (bus: string): { budget?: number } => (budgets.has(bus) ? { budget: budgets.get(bus)! } : {});
  const health = new GatewayHealth({
    config,
    clock,
    store,
    buses: () => busViews.map((b) => ({ ...b, ...metrics.busCounts(b.name), ...budgetOf(b.name) })),
    devices: () => pollers.map((p) => ({ name: p.name, bus: p.bus, unitId: p.unitId, profile: p.profile, status: p.poller.status(), state: p.state })),
    broker: () => {
      if (!forwarder) return { configured: false };
      const f = forwarder.status();
      return { configured: true, url: config.cloud?.mqtt.url, connected: f.connected, lastConnectedTs: f.lastConnectedTs, lastError: f.lastError?.message };
    },
    storeError: () => storeError,
    safety: () => {
      const f = fire.health();
      return { faults: [...safety.faults(), ...f.faults], warnings: [...safety.warnings(), ...f.warnings] };
    },
  });
  const api = createApiServer({
    source: { health: () => health.report(), points: () => points.snapshot(), alarms: actions },
    metrics,
    logger: logger.child({ component: 'api' }),
    bind: config.api.bind,
    port: config.api.port,
    ...(opts.secrets.apiUsers ? { users: opts.secrets.apiUsers } : {}),
  });
  const initialStats = await store.stats();
  metrics.setStoreStats(initialStats);
  const { url: apiUrl } = await api.listen();

  const stopBookkeeping = startBookkeeping({
    store,
    metrics,
    clock,
    emitEvent,
    initialStats,
    dropped: () => ingest.dropped(),
    storeError: () => storeError,
    onStoreFailed: (e) => (storeError = e),
    onTick: () => {
      for (const p of pollers) {
        const overruns = p.poller.status().overruns;
        for (; p.overrunsReported < overruns; p.overrunsReported++) metrics.pollOverrun(p.name);
      }
      publishSafetyMetrics(metrics, safety);
    },
    intervalMs: STATS_INTERVAL_MS,
  });

  // ── go ────────────────────────────────────────────────────────────────────────────
  emitEvent({ type: 'gateway.started', severity: 'info', ts: clock.now(), clockTrusted: clock.isTrusted(), message: `vigil ${VERSION} started: ${config.buses.length} buses, ${config.devices.length} devices`, data: { version: VERSION } });
  for (const p of pollers) p.poller.start();
  fire.start();
  forwarder?.start();
  logger.info({ component: 'runtime', api: apiUrl, devices: pollers.length }, 'gateway running');

  return {
    clock,
    metrics,
    store,
    points,
    apiUrl,
    safety,
    onReadings: (l) => listeners.push(l),
    emitEvent,
    drain: async () => {
      await ingest.drain();
      await flushEvents();
      await persister.drain();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      stopBookkeeping();
      for (const p of pollers) p.poller.stop();
      await fire.stop();
      await safety.stop();
      await electricity?.stop();
      for (const q of queues.values()) q.close();
      await Promise.allSettled(transports.map((t) => t.close()));
      await ingest.drain().catch(() => undefined);
      ingest.close();
      await flushEvents().catch(() => undefined);
      await persister.drain().catch(() => undefined);
      persister.close();
      await forwarder?.stop();
      await api.close();
      await store.close();
    },
  };
}
