import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DevicePoller, type DevicePollerOptions, type DeviceStatus } from './device-poller.js';
import { BusQueue } from './bus-queue.js';
import { FakeTransport, fakeTimersClock, type FakeCall, type FakeOutcome } from './fake-transport.js';
import type { ResolvedPoint } from './codecs.js';
import type { Reading } from '../../gateway/readings.js';

const LATENCY = 10;
const TIMEOUT = 200;
const POLL = 1_000;

const p = (over: Partial<ResolvedPoint> & Pick<ResolvedPoint, 'name' | 'address' | 'type'>): ResolvedPoint => ({
  table: 'holding',
  byteOrder: 'ABCD',
  scale: 1,
  offset: 0,
  width: over.type === 'f32' || over.type === 'u32' || over.type === 'i32' ? 2 : 1,
  ...over,
});

// A gas detector: concentration and state in holding 0..1, alarm bits in holding 10, a relay coil.
const POINTS: ResolvedPoint[] = [
  p({ name: 'ch4', address: 0, type: 'u16', scale: 0.1, unit: '%LEL', range: { min: 0, max: 100 } }),
  p({ name: 'state', address: 1, type: 'u16', enum: { '0': 'normal', '1': 'alarm' } }),
  p({ name: 'alarm_low', address: 10, type: 'bool', bit: 0 }),
  p({ name: 'alarm_high', address: 10, type: 'bool', bit: 1 }),
  p({ name: 'relay', address: 0, type: 'bool', table: 'coil' }),
];

function setup(script: (c: FakeCall) => FakeOutcome = () => undefined, over: Partial<DevicePollerOptions> = {}) {
  const transport = new FakeTransport(script, LATENCY);
  transport.setRegisters(3, 'holding', 0, [0x00fa, 0x0001]); // 25.0 %LEL, state alarm
  transport.setRegisters(3, 'holding', 10, [0x0002]); // high alarm bit
  transport.setBits(3, 'coil', 0, [true]);
  const clock = fakeTimersClock(false);
  const queue = new BusQueue({
    name: 'rs485-1',
    transport,
    timeoutMs: TIMEOUT,
    retries: 0,
    interRequestDelayMs: 0,
    backoff: { afterFailures: 2, initialMs: 5_000, maxMs: 20_000 },
    clock,
  });
  const batches: Reading[][] = [];
  const statuses: DeviceStatus[] = [];
  const logs: string[] = [];
  const poller = new DevicePoller({
    device: { name: 'gd-01', unitId: 3, pollMs: POLL },
    points: POINTS,
    limits: { maxRegisters: 125, maxBits: 2000, maxGap: 0 },
    queue,
    clock,
    onReadings: (r) => batches.push(r),
    onStatus: (s) => statuses.push(s),
    logger: { info: (_o, m) => logs.push(`info ${m}`), warn: (_o, m) => logs.push(`warn ${m}`) },
    ...over,
  });
  return { transport, queue, poller, batches, statuses, logs };
}

const summary = (rs: Reading[]) => rs.map((r) => `${r.point}=${r.value}${r.unit ? ` ${r.unit}` : ''} ${r.quality}`);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('DevicePoller', () => {
  it('logs its plan and polls at once on start', async () => {
    const { poller, transport, logs } = setup();
    poller.start();
    expect(logs[0]).toBe(
      [
        'info gd-01: read 1/3 FC01 coil 0 (1 bit): relay',
        'gd-01: read 2/3 FC03 holding 0..1 (2 registers): ch4, state',
        'gd-01: read 3/3 FC03 holding 10 (1 register): alarm_low, alarm_high',
      ].join('\n'),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.calls).toHaveLength(1); // the first request is on the wire at t = 0
    poller.stop();
  });

  it('delivers each request’s readings as soon as that request answers', async () => {
    const { poller, batches } = setup();
    const t0 = Date.now();
    poller.start();
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(batches.map(summary)).toEqual([['relay=true good']]);
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(batches.map(summary)[1]).toEqual(['ch4=25 %LEL good', 'state=alarm good']);
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(batches.map(summary)[2]).toEqual(['alarm_low=false good', 'alarm_high=true good']);
    expect(batches[1]![0]).toEqual({ device: 'gd-01', point: 'ch4', value: 25, unit: '%LEL', quality: 'good', ts: t0 + 2 * LATENCY, clockTrusted: false });
    poller.stop();
  });

  it('runs the consumer in the same turn as the answer (nothing scheduled in between)', async () => {
    let timersRunBeforeReadings = -1;
    let fired = 0;
    const { poller } = setup(undefined, {
      onReadings: () => {
        if (timersRunBeforeReadings < 0) timersRunBeforeReadings = fired;
      },
    });
    poller.start();
    await vi.advanceTimersByTimeAsync(0); // the first request is now on the wire, its reply due at LATENCY
    // Due at the same moment as the reply, queued after it: it runs before the readings only if the
    // poller deferred delivery to a later timer.
    setTimeout(() => fired++, LATENCY);
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(timersRunBeforeReadings).toBe(0);
    poller.stop();
  });

  it('polls every pollMs', async () => {
    const { poller, transport } = setup();
    poller.start();
    await vi.advanceTimersByTimeAsync(2 * POLL + 3 * LATENCY);
    expect(transport.calls.filter((c) => c.table === 'coil').map((c) => c.startedAt - 1_700_000_000_000)).toEqual([0, POLL, 2 * POLL]);
    expect(poller.status()).toMatchObject({ state: 'ok', cycles: 3, overruns: 0, lastSuccessTs: 1_700_000_000_000 + 2 * POLL + 3 * LATENCY });
    poller.stop();
  });

  it('marks points out of range or of unknown state bad', async () => {
    const { poller, batches, transport } = setup();
    transport.setRegisters(3, 'holding', 0, [0x03e9, 0x0007]); // 100.1 %LEL > max; state 7 unknown
    poller.start();
    await vi.advanceTimersByTimeAsync(3 * LATENCY);
    expect(summary(batches[1]!)).toEqual(['ch4=100.1 %LEL bad', 'state=null bad']);
    expect(poller.status().state).toBe('ok'); // the device answered; the values are the problem
    poller.stop();
  });

  it('turns a silent device into comm-fault readings and status, never silence', async () => {
    const { poller, batches, statuses } = setup(() => ({ error: 'COMM_TIMEOUT' }), { onStatus: undefined });
    poller.start();
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    expect(summary(batches[0]!)).toEqual(['relay=null comm-fault']);
    await vi.advanceTimersByTimeAsync(2 * TIMEOUT);
    // After 2 failures the bus backed the unit off: the third request is refused, still a comm fault.
    expect(batches.flatMap(summary)).toEqual(['relay=null comm-fault', 'ch4=null %LEL comm-fault', 'state=null comm-fault', 'alarm_low=null comm-fault', 'alarm_high=null comm-fault']);
    expect(poller.status()).toMatchObject({ state: 'backed-off', lastSuccessTs: null, cycles: 1 });
    expect(poller.status().lastError).toMatch(/backed off/);
    expect(statuses).toEqual([]);
    poller.stop();
  });

  it('reports comm-fault for a timeout that does not (yet) back off', async () => {
    const { poller, statuses } = setup((c) => (c.table === 'coil' ? { error: 'COMM_TIMEOUT' } : undefined));
    poller.start();
    await vi.advanceTimersByTimeAsync(TIMEOUT + 2 * LATENCY);
    expect(statuses.map((s) => s.state)).toEqual(['comm-fault']);
    expect(statuses[0]!.lastError).toMatch(/COMM_TIMEOUT/);
    poller.stop();
  });

  it('reports exceptions as bad points and a config or device fault', async () => {
    const illegal = setup((c) => (c.address === 10 ? { error: 'DEVICE_ILLEGAL_ADDRESS' } : undefined));
    illegal.poller.start();
    await vi.advanceTimersByTimeAsync(3 * LATENCY);
    expect(summary(illegal.batches[2]!)).toEqual(['alarm_low=null bad', 'alarm_high=null bad']);
    expect(illegal.poller.status().state).toBe('config-fault');
    illegal.poller.stop();

    const failing = setup((c) => (c.table === 'coil' ? { error: 'DEVICE_FAILURE' } : undefined));
    failing.poller.start();
    await vi.advanceTimersByTimeAsync(3 * LATENCY);
    expect(failing.poller.status().state).toBe('device-fault');
    failing.poller.stop();
  });

  it('reports recovery once, and clears the error', async () => {
    let down = true;
    const { poller, statuses, logs } = setup((c) => (down && c.table === 'coil' ? { error: 'COMM_CRC' } : undefined));
    poller.start();
    await vi.advanceTimersByTimeAsync(POLL);
    down = false;
    await vi.advanceTimersByTimeAsync(2 * POLL);
    expect(statuses.map((s) => s.state)).toEqual(['comm-fault', 'ok']);
    expect(statuses[1]!.lastError).toBeUndefined();
    expect(logs.filter((l) => l.startsWith('warn'))).toEqual(['warn gd-01: comm-fault']);
    poller.stop();
  });

  it('skips a cycle that is due while the last one still runs, and counts it', async () => {
    // Each request takes 400 ms: a cycle of 3 takes 1.2 s against a 1 s period.
    const { poller, transport } = setup(() => ({ latencyMs: 400 }));
    poller.start();
    await vi.advanceTimersByTimeAsync(3_500); // cycles at 0 and 2000; the ticks at 1000 and 3000 overrun
    expect(poller.status()).toMatchObject({ cycles: 2, overruns: 2 });
    // Never piled up: exactly the two cycles' requests went out.
    expect(transport.calls).toHaveLength(6);
    poller.stop();
  });

  it('stops polling and delivers nothing after stop()', async () => {
    const { poller, batches, transport } = setup();
    poller.start();
    await vi.advanceTimersByTimeAsync(LATENCY / 2);
    poller.stop();
    await vi.advanceTimersByTimeAsync(5 * POLL);
    expect(batches).toEqual([]);
    expect(transport.calls.length).toBeLessThanOrEqual(3);
  });

  it('refuses a point the planner cannot fit, naming it', () => {
    expect(() => setup(undefined, { points: [p({ name: 'energy', address: 0, type: 'u32' })], limits: { maxRegisters: 1, maxBits: 2000, maxGap: 0 } })).toThrow(/energy is 2 wide/);
  });
});
