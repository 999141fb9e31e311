import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';
import type { StoreStats } from '../store/store.js';

/** The value of one sample line in the exposition text, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const stats = (over: Partial<StoreStats> = {}): StoreStats => ({
  depth: { telemetry: 120, event: 3 },
  bytes: 48_000,
  budgetBytes: 1_000_000,
  evicted: 0,
  oldestTs: null,
  lastSeq: 900,
  ...over,
});

describe('createMetrics', () => {
  it('counts bus transactions by outcome, and timeouts per unit', async () => {
    const m = createMetrics();
    m.busTransaction({ bus: 'rs485-1', unitId: 3, fc: 3, ok: true, latencyMs: 12, attempt: 1 });
    m.busTransaction({ bus: 'rs485-1', unitId: 3, fc: 3, ok: true, latencyMs: 14, attempt: 1 });
    m.busTransaction({ bus: 'rs485-1', unitId: 7, fc: 3, ok: false, latencyMs: 500, error: 'COMM_TIMEOUT', attempt: 1 });
    m.busTransaction({ bus: 'rs485-1', unitId: 7, fc: 4, ok: false, latencyMs: 20, error: 'COMM_CRC', attempt: 2 });
    m.busTransaction({ bus: 'rs485-1', unitId: 9, fc: 3, ok: false, latencyMs: 15, error: 'DEVICE_ILLEGAL_ADDRESS', attempt: 1 });
    const text = await m.exposition();

    expect(text).toContain('# TYPE vigil_bus_transactions_total counter');
    expect(sample(text, 'vigil_bus_transactions_total{bus="rs485-1",unit="3",fc="3",outcome="ok"}')).toBe(2);
    expect(sample(text, 'vigil_bus_transactions_total{bus="rs485-1",unit="7",fc="3",outcome="timeout"}')).toBe(1);
    expect(sample(text, 'vigil_bus_transactions_total{bus="rs485-1",unit="7",fc="4",outcome="crc"}')).toBe(1);
    expect(sample(text, 'vigil_bus_transactions_total{bus="rs485-1",unit="9",fc="3",outcome="exception"}')).toBe(1);
    expect(sample(text, 'vigil_bus_timeouts_total{bus="rs485-1",unit="7"}')).toBe(1);
    expect(sample(text, 'vigil_bus_timeouts_total{bus="rs485-1",unit="3"}')).toBeUndefined();
  });

  it('puts transaction latency in seconds into 1 ms – 5 s buckets', async () => {
    const m = createMetrics();
    m.busTransaction({ bus: 'tcp-1', unitId: 1, fc: 3, ok: true, latencyMs: 0.8, attempt: 1 });
    m.busTransaction({ bus: 'tcp-1', unitId: 1, fc: 3, ok: true, latencyMs: 40, attempt: 1 });
    m.busTransaction({ bus: 'tcp-1', unitId: 1, fc: 3, ok: false, latencyMs: 3000, error: 'COMM_TIMEOUT', attempt: 1 });
    const text = await m.exposition();

    expect(text).toContain('# TYPE vigil_bus_transaction_seconds histogram');
    expect(sample(text, 'vigil_bus_transaction_seconds_bucket{le="0.001",bus="tcp-1"}')).toBe(1);
    expect(sample(text, 'vigil_bus_transaction_seconds_bucket{le="0.05",bus="tcp-1"}')).toBe(2);
    expect(sample(text, 'vigil_bus_transaction_seconds_bucket{le="2.5",bus="tcp-1"}')).toBe(2);
    expect(sample(text, 'vigil_bus_transaction_seconds_bucket{le="5",bus="tcp-1"}')).toBe(3);
    expect(sample(text, 'vigil_bus_transaction_seconds_count{bus="tcp-1"}')).toBe(3);
    expect(sample(text, 'vigil_bus_transaction_seconds_sum{bus="tcp-1"}')).toBeCloseTo(3.0408, 6);
  });

  it('counts a refused (backed-off) request by outcome but not as wire traffic or latency', async () => {
    const m = createMetrics();
    m.busTransaction({ bus: 'rs485-1', unitId: 7, fc: 3, ok: false, latencyMs: 0, error: 'BUS_BACKED_OFF', attempt: 1 });
    const text = await m.exposition();

    expect(sample(text, 'vigil_bus_transactions_total{bus="rs485-1",unit="7",fc="3",outcome="backed_off"}')).toBe(1);
    expect(sample(text, 'vigil_bus_transaction_seconds_count{bus="rs485-1"}')).toBeUndefined();
    expect(m.busCounts('rs485-1')).toEqual({ transactions: 0, errors: 0, timeouts: 0 });
  });

  it('shows alarms by state and priority, alarm transitions, interlock states and the outputs failsafe', async () => {
    const m = createMetrics();
    m.setAlarmCounts([
      { state: 'latched', priority: 'critical', count: 1 },
      { state: 'normal', priority: 'high', count: 4 },
    ]);
    m.alarmTransition('activate');
    m.alarmTransition('activate');
    m.setInterlockState('close-gas-valve', 'tripped', ['ready', 'tripped', 'failed']);
    m.setOutputsFailsafe(true);
    let text = await m.exposition();
    expect(text).toContain('vigil_alarms{state="latched",priority="critical"} 1');
    expect(text).toContain('vigil_alarms{state="normal",priority="high"} 4');
    expect(text).toContain('vigil_alarm_transitions_total{event="activate"} 2');
    expect(text).toContain('vigil_interlock_state{interlock="close-gas-valve",state="tripped"} 1');
    expect(text).toContain('vigil_interlock_state{interlock="close-gas-valve",state="ready"} 0');
    expect(text).toContain('vigil_outputs_failsafe 1');
    // a reset alarm leaves the latched series rather than lingering at its old count
    m.setAlarmCounts([{ state: 'normal', priority: 'critical', count: 1 }]);
    text = await m.exposition();
    expect(text).not.toContain('state="latched"');
  });

  it('keeps per-bus totals for the health report', () => {
    const m = createMetrics();
    m.busTransaction({ bus: 'a', unitId: 1, fc: 3, ok: true, latencyMs: 5, attempt: 1 });
    m.busTransaction({ bus: 'a', unitId: 1, fc: 3, ok: false, latencyMs: 500, error: 'COMM_TIMEOUT', attempt: 1 });
    m.busTransaction({ bus: 'a', unitId: 1, fc: 3, ok: false, latencyMs: 10, error: 'COMM_CRC', attempt: 2 });
    m.busTransaction({ bus: 'b', unitId: 1, fc: 3, ok: true, latencyMs: 5, attempt: 1 });

    expect(m.busCounts('a')).toEqual({ transactions: 3, errors: 2, timeouts: 1 });
    expect(m.busCounts('b')).toEqual({ transactions: 1, errors: 0, timeouts: 0 });
    expect(m.busCounts('never-used')).toEqual({ transactions: 0, errors: 0, timeouts: 0 });
  });

  it('shows device state as up / backed-off gauges and counts poll overruns', async () => {
    const m = createMetrics();
    m.setDeviceState('gas-1', 'ok');
    m.setDeviceState('gas-2', 'backed-off');
    m.setDeviceState('gas-3', 'comm-fault');
    m.pollOverrun('gas-1');
    m.pollOverrun('gas-1');
    const text = await m.exposition();

    expect(sample(text, 'vigil_device_up{device="gas-1"}')).toBe(1);
    expect(sample(text, 'vigil_device_up{device="gas-2"}')).toBe(0);
    expect(sample(text, 'vigil_device_up{device="gas-3"}')).toBe(0);
    expect(sample(text, 'vigil_device_backed_off{device="gas-2"}')).toBe(1);
    expect(sample(text, 'vigil_device_backed_off{device="gas-3"}')).toBe(0);
    expect(sample(text, 'vigil_poll_overruns_total{device="gas-1"}')).toBe(2);
    expect(sample(text, 'vigil_poll_overruns_total{device="gas-3"}')).toBe(0);
  });

  it('counts committed readings by quality, every quality present from the start', async () => {
    const m = createMetrics();
    expect(sample(await m.exposition(), 'vigil_readings_total{quality="comm-fault"}')).toBe(0);
    m.readingsCommitted([{ quality: 'good' }, { quality: 'good' }, { quality: 'stale' }]);
    const text = await m.exposition();

    expect(sample(text, 'vigil_readings_total{quality="good"}')).toBe(2);
    expect(sample(text, 'vigil_readings_total{quality="stale"}')).toBe(1);
    expect(sample(text, 'vigil_readings_total{quality="bad"}')).toBe(0);
  });

  it('mirrors store stats, with the oldest record age computed at scrape time', async () => {
    let now = Date.UTC(2026, 10, 23, 12, 0, 0);
    const m = createMetrics({ now: () => now });
    expect(sample(await m.exposition(), 'vigil_store_up')).toBe(0);

    m.setStoreStats(stats({ oldestTs: now - 90_000 }));
    let text = await m.exposition();
    expect(sample(text, 'vigil_store_up')).toBe(1);
    expect(sample(text, 'vigil_outbox_depth{stream="telemetry"}')).toBe(120);
    expect(sample(text, 'vigil_outbox_depth{stream="event"}')).toBe(3);
    expect(sample(text, 'vigil_outbox_bytes')).toBe(48_000);
    expect(sample(text, 'vigil_outbox_budget_bytes')).toBe(1_000_000);
    expect(sample(text, 'vigil_outbox_oldest_age_seconds')).toBe(90);

    now += 30_000; // no new stats, but the backlog has grown older
    text = await m.exposition();
    expect(sample(text, 'vigil_outbox_oldest_age_seconds')).toBe(120);

    m.setStoreStats(stats({ oldestTs: null, depth: { telemetry: 0, event: 0 } }));
    expect(sample(await m.exposition(), 'vigil_outbox_oldest_age_seconds')).toBe(0);

    m.setStoreFailed();
    expect(sample(await m.exposition(), 'vigil_store_up')).toBe(0);
  });

  it('exposes the persisted eviction total as a counter that continues across restarts', async () => {
    // A fresh process (a restart) sees the store's persisted total 500 and must show 500, not 0.
    const m = createMetrics();
    m.setStoreStats(stats({ evicted: 500 }));
    let text = await m.exposition();
    expect(text).toContain('# TYPE vigil_outbox_evicted_total counter');
    expect(sample(text, 'vigil_outbox_evicted_total')).toBe(500);

    m.setStoreStats(stats({ evicted: 500 }));
    m.setStoreStats(stats({ evicted: 730 }));
    expect(sample(await m.exposition(), 'vigil_outbox_evicted_total')).toBe(730);

    // A recreated store starts from 0 again: a counter reset, which Prometheus understands.
    m.setStoreStats(stats({ evicted: 4 }));
    text = await m.exposition();
    expect(sample(text, 'vigil_outbox_evicted_total')).toBe(4);
  });

  it('shows the MQTT link, publishes by outcome, acked records and reconnects', async () => {
    const m = createMetrics();
    m.setMqttConnected(true);
    m.mqttMessage('telemetry', 'acked');
    m.mqttMessage('telemetry', 'acked');
    m.mqttMessage('event', 'failed');
    m.mqttAcked('telemetry', 250);
    m.mqttReconnect();
    let text = await m.exposition();

    expect(sample(text, 'vigil_mqtt_connected')).toBe(1);
    expect(sample(text, 'vigil_mqtt_messages_total{stream="telemetry",outcome="acked"}')).toBe(2);
    expect(sample(text, 'vigil_mqtt_messages_total{stream="event",outcome="failed"}')).toBe(1);
    expect(sample(text, 'vigil_mqtt_records_acked_total{stream="telemetry"}')).toBe(250);
    expect(sample(text, 'vigil_mqtt_records_acked_total{stream="event"}')).toBe(0);
    expect(sample(text, 'vigil_mqtt_reconnects_total')).toBe(1);

    m.setMqttConnected(false);
    text = await m.exposition();
    expect(sample(text, 'vigil_mqtt_connected')).toBe(0);
  });

  it('shows clock trust and gateway identity', async () => {
    const m = createMetrics();
    expect(sample(await m.exposition(), 'vigil_clock_trusted')).toBe(0);
    m.setClockTrusted(true);
    m.setInfo({ version: '0.1.0', site: 'plant-a', gateway: 'gw-1' });
    const text = await m.exposition();

    expect(sample(text, 'vigil_clock_trusted')).toBe(1);
    expect(sample(text, 'vigil_info{version="0.1.0",site="plant-a",gateway="gw-1"}')).toBe(1);
  });

  it('includes process metrics (RSS, event-loop lag) under their standard names', async () => {
    const text = await createMetrics().exposition();
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
  });

  it('gives every gateway its own registry, so two in one process do not mix or clash', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.mqttReconnect();
    a.mqttReconnect();
    b.mqttReconnect();

    expect(sample(await a.exposition(), 'vigil_mqtt_reconnects_total')).toBe(2);
    expect(sample(await b.exposition(), 'vigil_mqtt_reconnects_total')).toBe(1);
    expect(a.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('exposes exactly the documented vigil_ metrics, each with a HELP text', async () => {
    const text = await createMetrics().exposition();
    const typed = [...text.matchAll(/^# TYPE (vigil_\w+) (\w+)$/gm)].map((x) => `${x[1]} ${x[2]}`);
    const helped = new Set([...text.matchAll(/^# HELP (vigil_\w+) \S/gm)].map((x) => x[1]));
    // docs/api.md lists these; renaming one breaks users' dashboards and alert rules.
    expect(typed.sort()).toEqual([
      'vigil_alarm_transitions_total counter',
      'vigil_alarms gauge',
      'vigil_bus_timeouts_total counter',
      'vigil_bus_transaction_seconds histogram',
      'vigil_bus_transactions_total counter',
      'vigil_clock_trusted gauge',
      'vigil_device_backed_off gauge',
      'vigil_device_up gauge',
      'vigil_info gauge',
      'vigil_interlock_state gauge',
      'vigil_mqtt_connected gauge',
      'vigil_mqtt_messages_total counter',
      'vigil_mqtt_reconnects_total counter',
      'vigil_mqtt_records_acked_total counter',
      'vigil_outbox_budget_bytes gauge',
      'vigil_outbox_bytes gauge',
      'vigil_outbox_depth gauge',
      'vigil_outbox_evicted_total counter',
      'vigil_outbox_oldest_age_seconds gauge',
      'vigil_outputs_failsafe gauge',
      'vigil_poll_overruns_total counter',
      'vigil_readings_dropped_total counter',
      'vigil_readings_total counter',
      'vigil_store_up gauge',
    ]);
    for (const t of typed) expect(helped.has(t.split(' ')[0]!), t).toBe(true);
  });
});
