import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeviceState } from '../api/types.js';
import { QUALITIES, type Quality } from '../readings.js';
import type { StoreStats, Stream } from '../store/store.js';
import { busOutcome, reachedWire } from './bus-outcome.js';
import type { TransactionEvent } from '../../drivers/modbus/bus-queue.js';

/**
 * Prometheus metrics of one gateway. Each gateway owns its Registry (never prom-client's global
 * one): tests and `vigil demo` run several gateways in one process, and a shared registry would
 * mix their numbers or throw "metric already registered".
 *
 * The runtime feeds events in through the methods below; nothing here polls or keeps timers,
 * so metrics can never delay the alarm path (DESIGN principle 1). docs/api.md lists every metric.
 */

/** What the bus queue reports after each transaction (or refusal): its own event type. */
export type BusTransactionEvent = TransactionEvent;

export interface BusCounts {
  /** Transactions that went on the wire. */
  transactions: number;
  /** Of those, the ones that failed (timeouts included). */
  errors: number;
  timeouts: number;
}

/**
 * - acked: the broker acknowledged the publish (QoS 1 PUBACK).
 * - rejected: the broker answered with a failure reason code (MQTT 5 PUBACK ≥ 0x80).
 * - failed: no acknowledgement (connection lost, timeout); the records stay in the outbox.
 */
export type MqttOutcome = 'acked' | 'rejected' | 'failed';

export interface GatewayInfo {
  version: string;
  site: string;
  gateway: string;
}

// 1 ms … 5 s: a Modbus TCP answer on a LAN takes ~1 ms, an RTU answer at 9600 baud 10–50 ms,
// and the longest configured timeouts are a few seconds.
const TRANSACTION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const STREAMS: readonly Stream[] = ['telemetry', 'event'];

export interface MetricsOptions {
  /** Wall clock for the age of the oldest outbox record; defaults to Date.now. */
  now?: () => number;
}

/** How often the event-loop delay histogram (nodejs_eventloop_lag_*) samples, ms. */
const EVENT_LOOP_SAMPLE_MS = 100;

export class Metrics {
  readonly registry = new Registry();
  private readonly busTally = new Map<string, BusCounts>();
  private evictedSeen = 0;
  private oldestTs: number | null = null;
  private readonly now: () => number;

  private readonly info = this.gauge('vigil_info', 'Gateway identity; the value is always 1.', ['version', 'site', 'gateway']);

  private readonly busTransactions = this.counter(
    'vigil_bus_transactions_total',
    'Modbus transactions by outcome (ok, timeout, crc, bad_frame, port_closed, exception, backed_off, bus_closed, error). backed_off and bus_closed never reached the wire.',
    ['bus', 'unit', 'fc', 'outcome'],
  );
  private readonly busSeconds = new Histogram({
    name: 'vigil_bus_transaction_seconds',
    help: 'Time from sending a request to its answer, error or timeout; only transactions that reached the wire.',
    labelNames: ['bus'],
    buckets: TRANSACTION_BUCKETS,
    registers: [this.registry],
  });
  private readonly busTimeouts = this.counter(
    'vigil_bus_timeouts_total',
    'Requests a device did not answer within the timeout.',
    ['bus', 'unit'],
  );
  private readonly deviceUp = this.gauge('vigil_device_up', '1 when the device answers normally, else 0.', ['device']);
  private readonly deviceBackedOff = this.gauge(
    'vigil_device_backed_off',
    '1 while the bus queue has stopped polling the device after repeated failures.',
    ['device'],
  );
  private readonly pollOverruns = this.counter(
    'vigil_poll_overruns_total',
    'Poll cycles that started late because the previous cycle of the device had not finished.',
    ['device'],
  );
  private readonly readings = this.counter('vigil_readings_total', 'Readings taken, by quality.', ['quality']);
  private readonly readingsDroppedTotal = this.counter(
    'vigil_readings_dropped_total',
    'Readings polled but never committed: dropped from memory while the store could not commit (disk full, worker down) for too long.',
  );

  private readonly storeUp = this.gauge(
    'vigil_store_up',
    '1 when the store reported its state at the last check, 0 before the first report or after a failure.',
  );
  private readonly outboxDepth = this.gauge(
    'vigil_outbox_depth',
    'Records waiting for a broker acknowledgement.',
    ['stream'],
  );
  private readonly outboxBytes = this.gauge('vigil_outbox_bytes', 'Bytes the waiting records occupy.');
  private readonly outboxBudget = this.gauge(
    'vigil_outbox_budget_bytes',
    'Byte budget of the outbox; above it the oldest telemetry is evicted.',
  );
  private readonly outboxEvicted = this.counter(
    'vigil_outbox_evicted_total',
    'Telemetry records evicted to stay within the byte budget, since the store was created (persisted across restarts).',
  );
  private readonly outboxOldestAge: Gauge = new Gauge({
    name: 'vigil_outbox_oldest_age_seconds',
    help: 'Age of the oldest waiting record at scrape time; 0 when the outbox is empty.',
    registers: [this.registry],
    // Computed at scrape time, not when the stats arrived, so the age keeps growing while the
    // broker is away even between store-stats refreshes.
    collect: () => this.updateOldestAge(),
  });

  private readonly mqttConnected = this.gauge('vigil_mqtt_connected', '1 while connected to the MQTT broker.');
  private readonly mqttMessages = this.counter(
    'vigil_mqtt_messages_total',
    'MQTT publishes by outcome (acked, rejected, failed).',
    ['stream', 'outcome'],
  );
  private readonly mqttAckedRecords = this.counter(
    'vigil_mqtt_records_acked_total',
    'Outbox records the broker acknowledged (then deleted from the outbox).',
    ['stream'],
  );
  private readonly mqttReconnects = this.counter('vigil_mqtt_reconnects_total', 'Reconnect attempts to the MQTT broker.');

  private readonly clockTrusted = this.gauge(
    'vigil_clock_trusted',
    '1 when the wall clock is synchronised (or vouched for); readings taken while 0 are marked untrusted.',
  );

  constructor(opts: MetricsOptions = {}) {
    this.now = opts.now ?? Date.now;
    // Process RSS, heap, event-loop lag, GC … under their standard names (process_*, nodejs_*)
    // so stock Node.js dashboards work unchanged. The event-loop delay monitor samples every
    // 100 ms, not prom-client's default 10 ms: its libuv timer woke the main loop 100 times a
    // second, about a quarter of an idle gateway's CPU (bench/peer). A stall still shows at its
    // full length; only stalls shorter than 100 ms that fall between two samples go unseen.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    // Series that exist from the start read 0 instead of being absent, so rate() and alert
    // rules see the first increment.
    for (const q of QUALITIES) this.readings.inc({ quality: q }, 0);
    for (const s of STREAMS) this.mqttAckedRecords.inc({ stream: s }, 0);
  }

  /** Prometheus text exposition format 0.0.4. */
  get contentType(): string {
    return this.registry.contentType;
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  setInfo(info: GatewayInfo): void {
    this.info.reset();
    this.info.set({ version: info.version, site: info.site, gateway: info.gateway }, 1);
  }

  busTransaction(e: BusTransactionEvent): void {
    const outcome = busOutcome(e.ok, e.error);
    const unit = String(e.unitId);
    this.busTransactions.inc({ bus: e.bus, unit, fc: String(e.fc), outcome });
    if (!reachedWire(outcome)) return;

    this.busSeconds.observe({ bus: e.bus }, e.latencyMs / 1000);
    const tally = this.tally(e.bus);
    tally.transactions += 1;
    if (!e.ok) tally.errors += 1;
    if (outcome === 'timeout') {
      tally.timeouts += 1;
      this.busTimeouts.inc({ bus: e.bus, unit });
    }
  }

  private readonly alarms = this.gauge('vigil_alarms', 'Alarms by ISA-18.2 state and priority (normal ones included), at the last check.', ['state', 'priority']);
  private readonly alarmTransitions = this.counter('vigil_alarm_transitions_total', 'Alarm state transitions, by event (activate, clear, acknowledge, reset, shelve …).', ['event']);
  private readonly interlockState = this.gauge('vigil_interlock_state', '1 for the state each interlock is in (ready, tripping, tripped, failed, bypassed), 0 for the others.', ['interlock', 'state']);
  private readonly outputsFailsafe = this.gauge('vigil_outputs_failsafe', '1 while the local outputs are held in their declared safe state (the alarm engine cannot be vouched for).');

  /** Running totals for one bus, for the health report (zeros for a bus with no traffic yet). */
  busCounts(bus: string): BusCounts {
    return { ...this.tally(bus) };
  }

  setDeviceState(device: string, state: DeviceState): void {
    this.deviceUp.set({ device }, state === 'ok' ? 1 : 0);
    this.deviceBackedOff.set({ device }, state === 'backed-off' ? 1 : 0);
    this.pollOverruns.inc({ device }, 0); // make the series exist (see constructor)
  }

  alarmTransition(event: string): void {
    this.alarmTransitions.inc({ event });
  }

  /** Replaces the alarm counts: every (state, priority) seen, and zeros for those that emptied. */
  setAlarmCounts(counts: readonly { state: string; priority: string; count: number }[]): void {
    this.alarms.reset();
    for (const c of counts) this.alarms.set({ state: c.state, priority: c.priority }, c.count);
  }

  setInterlockState(interlock: string, state: string, states: readonly string[]): void {
    for (const s of states) this.interlockState.set({ interlock, state: s }, s === state ? 1 : 0);
  }

  setOutputsFailsafe(on: boolean): void {
    this.outputsFailsafe.set(on ? 1 : 0);
  }

  pollOverrun(device: string): void {
    this.pollOverruns.inc({ device });
  }

  /** Count readings once committed to the store (a failed commit is retried, not counted twice). */
  readingsCommitted(readings: readonly { quality: Quality }[]): void {
    // One inc per quality, not per reading: prom-client hashes the label set on every call.
    let good = 0;
    for (const r of readings) if (r.quality === 'good') good++;
    if (good > 0) this.readings.inc({ quality: 'good' }, good);
    if (good === readings.length) return;
    for (const q of QUALITIES) {
      if (q === 'good') continue;
      let n = 0;
      for (const r of readings) if (r.quality === q) n++;
      if (n > 0) this.readings.inc({ quality: q }, n);
    }
  }

  readingsDropped(count: number): void {
    this.readingsDroppedTotal.inc(count);
  }

  /**
   * Mirror the store's stats. Until the first call vigil_store_up reads 0, so the outbox
   * gauges' zeros are not mistaken for an empty outbox.
   */
  setStoreStats(stats: StoreStats): void {
    this.storeUp.set(1);
    for (const s of STREAMS) this.outboxDepth.set({ stream: s }, stats.depth[s]);
    this.outboxBytes.set(stats.bytes);
    this.outboxBudget.set(stats.budgetBytes);
    this.oldestTs = stats.oldestTs;

    // StoreStats.evicted is a running total persisted in the store, so it is already a counter
    // that survives restarts: expose it as a counter whose value equals that total. Prometheus
    // then sees no reset when the process restarts, and increase()/rate() stay right. Only a
    // new store (total went down) resets it — exactly what a counter reset means.
    if (stats.evicted < this.evictedSeen) {
      this.outboxEvicted.reset();
      this.evictedSeen = 0;
    }
    if (stats.evicted > this.evictedSeen) {
      this.outboxEvicted.inc(stats.evicted - this.evictedSeen);
      this.evictedSeen = stats.evicted;
    }
  }

  /** The store could not report its stats: say so instead of showing stale numbers as current. */
  setStoreFailed(): void {
    this.storeUp.set(0);
  }

  setMqttConnected(connected: boolean): void {
    this.mqttConnected.set(connected ? 1 : 0);
  }

  mqttMessage(stream: Stream, outcome: MqttOutcome): void {
    this.mqttMessages.inc({ stream, outcome });
  }

  mqttAcked(stream: Stream, records: number): void {
    this.mqttAckedRecords.inc({ stream }, records);
  }

  mqttReconnect(): void {
    this.mqttReconnects.inc();
  }

  setClockTrusted(trusted: boolean): void {
    this.clockTrusted.set(trusted ? 1 : 0);
  }

  private updateOldestAge(): void {
    const age = this.oldestTs === null ? 0 : (this.now() - this.oldestTs) / 1000;
    // Negative only after the wall clock stepped backwards; 0 says "nothing old waiting"
    // rather than exporting a negative age.
    this.outboxOldestAge.set(Math.max(0, age));
  }

  private tally(bus: string): BusCounts {
    let t = this.busTally.get(bus);
    if (!t) {
      t = { transactions: 0, errors: 0, timeouts: 0 };
      this.busTally.set(bus, t);
    }
    return t;
  }

  private counter<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string = never>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
    return new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
  }
}

export function createMetrics(opts: MetricsOptions = {}): Metrics {
  return new Metrics(opts);
}
