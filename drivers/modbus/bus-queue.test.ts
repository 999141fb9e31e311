import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BusQueue, type BusQueueOptions, type DeviceStateEvent, type TransactionEvent } from './bus-queue.js';
import { FakeTransport, fakeTimersClock, type FakeCall, type FakeOutcome } from './fake-transport.js';
import { VigilError, type VigilErrorCode } from '../../gateway/errors.js';

const TIMEOUT = 1_000;
const LATENCY = 10;

function setup(script: (c: FakeCall) => FakeOutcome = () => undefined, over: Partial<BusQueueOptions> = {}) {
  const transport = new FakeTransport(script, LATENCY);
  const queue = new BusQueue({
    name: 'rs485-1',
    transport,
    timeoutMs: TIMEOUT,
    retries: 1,
    interRequestDelayMs: 0,
    backoff: { afterFailures: 3, initialMs: 5_000, maxMs: 20_000 },
    clock: fakeTimersClock(),
    ...over,
  });
  const transactions: TransactionEvent[] = [];
  const devices: DeviceStateEvent[] = [];
  queue.on('transaction', (t) => transactions.push(t));
  queue.on('device', (d) => devices.push(d));
  return { transport, queue, transactions, devices };
}

/** The settled outcome of a request: its value, or the error code it was refused with. */
function outcome<T>(p: Promise<T>): { done: boolean; value?: T; code?: VigilErrorCode | string } {
  const o: { done: boolean; value?: T; code?: string } = { done: false };
  p.then(
    (v) => Object.assign(o, { done: true, value: v }),
    (e: unknown) => Object.assign(o, { done: true, code: e instanceof VigilError ? e.code : String(e) }),
  );
  return o;
}

const dead = (unit: number) => (c: FakeCall): FakeOutcome => (c.unitId === unit ? { error: 'COMM_TIMEOUT' } : undefined);

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('BusQueue: one transaction at a time', () => {
  it('never has two transactions in flight and serves polls in order', async () => {
    const { transport, queue } = setup();
    transport.setRegisters(1, 'holding', 0, [11, 12]);
    const a = outcome(queue.read(1, 'holding', 0, 2));
    const b = outcome(queue.read(2, 'input', 5, 1));
    const c = outcome(queue.read(1, 'coil', 0, 3));
    await vi.advanceTimersByTimeAsync(3 * LATENCY);
    expect(a).toEqual({ done: true, value: [11, 12] });
    expect(b.done && c.done).toBe(true);
    expect(c.value).toEqual([false, false, false]);
    expect(transport.maxInFlight).toBe(1);
    expect(transport.calls.map((x) => `${x.unitId} ${x.table} ${x.startedAt}`)).toEqual(['1 holding 0', '2 input 10', '1 coil 20']);
  });

  it('keeps the inter-request silence between transactions', async () => {
    const { transport, queue } = setup(undefined, { interRequestDelayMs: 5 });
    void queue.read(1, 'holding', 0, 1);
    void queue.read(1, 'holding', 1, 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(transport.calls.map((c) => c.startedAt)).toEqual([0, LATENCY + 5]);
  });

  it('keeps an RTU line’s t3.5 silence between frames, and the longer of it and the configured delay', async () => {
    const rtu = setup(undefined, { frameSilenceMs: 4 });
    void rtu.queue.read(1, 'holding', 0, 1);
    void rtu.queue.read(2, 'holding', 0, 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(rtu.transport.calls.map((c) => c.startedAt)).toEqual([0, LATENCY + 4]);
    const both = setup(undefined, { frameSilenceMs: 4, interRequestDelayMs: 7 });
    void both.queue.read(1, 'holding', 0, 1);
    void both.queue.read(2, 'holding', 0, 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(both.transport.calls.map((c) => c.startedAt)).toEqual([Date.now() - 100, Date.now() - 100 + LATENCY + 7]);
  });

  it('after a read times out, the next new read from that unit waits out the late-answer guard; its retry, other units and writes do not', async () => {
    let first = true;
    const { transport, queue } = setup((c) => (c.unitId === 1 && c.op === 'read' && first ? ((first = false), { error: 'COMM_TIMEOUT' }) : undefined), { lateAnswerGuardMs: 300 });
    void queue.read(1, 'holding', 0, 1); // times out at 1,000, retried
    void queue.read(2, 'holding', 0, 1);
    void queue.read(1, 'holding', 0, 1); // the next poll of unit 1
    void queue.write(1, 'coil', 0, [true], { priority: 'interlock' });
    await vi.advanceTimersByTimeAsync(5_000);
    // t=0 read 1 (times out at 1,000); the interlock write to unit 1 goes before the retry,
    // unguarded; the retry goes at once; unit 2 follows; unit 1's next poll waits until 1,300.
    expect(transport.calls.map((c) => `${c.unitId} ${c.op} ${c.startedAt}`)).toEqual([
      '1 read 0',
      '1 write 1000',
      `1 read ${1000 + LATENCY}`,
      `2 read ${1000 + 2 * LATENCY}`,
      '1 read 1300',
    ]);
  });

  it('lets an interlock write jump the queued polls, not the one in flight', async () => {
    const { transport, queue } = setup();
    const order: string[] = [];
    void queue.read(1, 'holding', 0, 1).then(() => order.push('poll-1'));
    void queue.read(2, 'holding', 0, 1).then(() => order.push('poll-2'));
    void queue.read(3, 'holding', 0, 1).then(() => order.push('poll-3'));
    await vi.advanceTimersByTimeAsync(1); // poll-1 is on the wire
    void queue.write(9, 'coil', 4, [true], { priority: 'interlock' }).then(() => order.push('valve-close'));
    await vi.advanceTimersByTimeAsync(4 * LATENCY);
    expect(order).toEqual(['poll-1', 'valve-close', 'poll-2', 'poll-3']);
    expect(transport.getBit(9, 4)).toBe(true);
    expect(transport.maxInFlight).toBe(1);
  });

  it('reports each transaction with function code, latency and attempt', async () => {
    const { queue, transactions } = setup();
    void queue.read(1, 'input', 0, 1);
    void queue.write(1, 'holding', 7, [42]);
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(transactions).toEqual([
      { bus: 'rs485-1', unitId: 1, fc: 4, ok: true, latencyMs: LATENCY, attempt: 1 },
      { bus: 'rs485-1', unitId: 1, fc: 16, ok: true, latencyMs: LATENCY, attempt: 1 },
    ]);
  });
});

describe('BusQueue: retries and error classes', () => {
  it('retries a timeout `retries` times, then fails with COMM_TIMEOUT', async () => {
    const { transport, queue, transactions } = setup(dead(1), { retries: 2 });
    const r = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(3 * TIMEOUT - 1);
    expect(r.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(r.code).toBe('COMM_TIMEOUT');
    expect(transport.calls).toHaveLength(3);
    expect(transactions.map((t) => `${t.attempt}:${t.error}`)).toEqual(['1:COMM_TIMEOUT', '2:COMM_TIMEOUT', '3:COMM_TIMEOUT']);
  });

  it('succeeds on a retry after a CRC error', async () => {
    let n = 0;
    const { queue } = setup(() => (n++ === 0 ? { error: 'COMM_CRC' } : undefined));
    const r = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(r).toEqual({ done: true, value: [0] });
  });

  it('does not retry DEVICE_BUSY and does not back the device off', async () => {
    const { transport, queue, devices } = setup(() => ({ error: 'DEVICE_BUSY' }), { backoff: { afterFailures: 1, initialMs: 5_000, maxMs: 20_000 } });
    const results = [outcome(queue.read(1, 'holding', 0, 1)), outcome(queue.read(1, 'holding', 0, 1))];
    await vi.advanceTimersByTimeAsync(2 * LATENCY);
    expect(results.map((r) => r.code)).toEqual(['DEVICE_BUSY', 'DEVICE_BUSY']);
    expect(transport.calls).toHaveLength(2); // one attempt each
    expect(devices).toEqual([]);
    expect(queue.deviceStates().get(1)).toMatchObject({ state: 'ok', busy: 2, consecutiveFailures: 0 });
  });

  it('treats DEVICE_ILLEGAL_ADDRESS as a configuration fault: no retry, no backoff', async () => {
    const { transport, queue, devices } = setup(() => ({ error: 'DEVICE_ILLEGAL_ADDRESS' }), { retries: 3, backoff: { afterFailures: 1, initialMs: 5_000, maxMs: 20_000 } });
    const r = [1, 2, 3].map(() => outcome(queue.read(1, 'holding', 900, 1)));
    await vi.advanceTimersByTimeAsync(3 * LATENCY);
    expect(r.map((x) => x.code)).toEqual(['DEVICE_ILLEGAL_ADDRESS', 'DEVICE_ILLEGAL_ADDRESS', 'DEVICE_ILLEGAL_ADDRESS']);
    expect(transport.calls).toHaveLength(3);
    expect(devices).toEqual([]);
  });

  it('reopens a lost port before the next transaction', async () => {
    const { transport, queue } = setup();
    transport.setRegisters(1, 'holding', 0, [7]);
    const first = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(LATENCY);
    transport.drop();
    const second = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect([first.value, second.value]).toEqual([[7], [7]]);
    expect(transport.opens).toBe(2);
  });

  it('a transport that never settles cannot stall the bus', async () => {
    const { queue, transport } = setup(undefined);
    transport.latencyMs = 1e9; // hangs
    const r = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(2 * (TIMEOUT + 250));
    expect(r.code).toBe('COMM_TIMEOUT');
  });
});

describe('BusQueue: backoff of a dead slave', () => {
  it('backs a device off after N failed transactions while the others keep flowing', async () => {
    const { transport, queue, devices } = setup(dead(1), { retries: 0 });
    // Three failed polls of unit 1 (1 s each), interleaved with unit 2
    for (let i = 0; i < 3; i++) {
      void queue.read(1, 'holding', 0, 1).catch(() => undefined);
      void queue.read(2, 'holding', 0, 1);
    }
    await vi.advanceTimersByTimeAsync(3 * (TIMEOUT + LATENCY));
    expect(devices).toEqual([{ bus: 'rs485-1', unitId: 1, state: 'backed-off', until: 3 * (TIMEOUT + LATENCY) - LATENCY + 5_000 }]);

    // Now unit 1's polls are refused at once, off the wire, and unit 2 runs at full speed.
    const callsBefore = transport.calls.length;
    const t0 = Date.now();
    const refused = outcome(queue.read(1, 'holding', 0, 1));
    await Promise.resolve();
    expect(refused.code).toBe('BUS_BACKED_OFF');
    const fast = [1, 2, 3, 4, 5].map(() => outcome(queue.read(2, 'holding', 0, 1)));
    void queue.read(1, 'holding', 0, 1).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(5 * LATENCY);
    expect(fast.every((f) => f.done && f.code === undefined)).toBe(true);
    expect(transport.calls.at(-1)!.endedAt! - t0).toBe(5 * LATENCY); // no 1 s timeout in between
    expect(transport.calls.slice(callsBefore).every((c) => c.unitId === 2)).toBe(true);
  });

  it('refuses the queued polls of a device the moment it is backed off', async () => {
    const { queue } = setup(dead(1), { retries: 0, backoff: { afterFailures: 1, initialMs: 5_000, maxMs: 20_000 } });
    const first = outcome(queue.read(1, 'holding', 0, 1));
    const queued = outcome(queue.read(1, 'holding', 10, 1));
    const other = outcome(queue.read(2, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    expect(first.code).toBe('COMM_TIMEOUT');
    expect(queued.code).toBe('BUS_BACKED_OFF');
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(other.done && other.code === undefined).toBe(true);
  });

  it('sends one probe when the backoff expires: failure doubles it, success clears it', async () => {
    let alive = false;
    const { transport, queue, devices } = setup((c) => (alive || c.unitId !== 1 ? undefined : { error: 'COMM_TIMEOUT' }), {
      retries: 2,
      backoff: { afterFailures: 1, initialMs: 5_000, maxMs: 8_000 },
    });
    void queue.read(1, 'holding', 0, 1).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(3 * TIMEOUT); // three attempts, then backed off for 5 s
    expect(devices.at(-1)).toMatchObject({ state: 'backed-off', until: 3 * TIMEOUT + 5_000 });

    await vi.advanceTimersByTimeAsync(5_000 - 1);
    const early = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(early.code).toBe('BUS_BACKED_OFF'); // 1 ms before expiry: still refused
    await vi.advanceTimersByTimeAsync(1); // expired
    const calls = transport.calls.length;
    const probe = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    expect(probe.code).toBe('COMM_TIMEOUT');
    expect(transport.calls.length - calls).toBe(1); // the probe has no retries
    // doubled, capped at maxMs
    expect(devices.at(-1)).toMatchObject({ state: 'backed-off', until: 3 * TIMEOUT + 5_000 + TIMEOUT + 8_000 });

    alive = true;
    await vi.advanceTimersByTimeAsync(8_000);
    const ok = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(ok.done && ok.code === undefined).toBe(true);
    expect(devices.at(-1)).toEqual({ bus: 'rs485-1', unitId: 1, state: 'ok' });
    expect(queue.deviceStates().get(1)).toMatchObject({ state: 'ok', consecutiveFailures: 0 });
  });

  it('never refuses an interlock write to a backed-off device; it gets one attempt', async () => {
    let failWrites = true;
    const { transport, queue } = setup((c) => (c.op === 'read' || failWrites ? { error: 'COMM_TIMEOUT' } : undefined), {
      retries: 2,
      backoff: { afterFailures: 1, initialMs: 60_000, maxMs: 60_000 },
    });
    void queue.read(1, 'holding', 0, 1).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(3 * TIMEOUT);
    expect(queue.deviceStates().get(1)?.state).toBe('backed-off');

    const calls = transport.calls.length;
    const w1 = outcome(queue.write(1, 'coil', 0, [true], { priority: 'interlock' }));
    await vi.advanceTimersByTimeAsync(TIMEOUT);
    expect(w1.code).toBe('COMM_TIMEOUT');
    expect(transport.calls.length - calls).toBe(1);

    failWrites = false;
    const w2 = outcome(queue.write(1, 'coil', 0, [true], { priority: 'interlock' }));
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(w2).toEqual({ done: true, value: undefined });
    expect(transport.getBit(1, 0)).toBe(true);
  });

  it('counts only consecutive failures: an answer in between resets the count', async () => {
    let n = 0;
    const { queue, devices } = setup(() => (n++ % 2 === 0 ? { error: 'COMM_TIMEOUT' } : undefined), { retries: 0, backoff: { afterFailures: 2, initialMs: 5_000, maxMs: 20_000 } });
    for (let i = 0; i < 6; i++) void queue.read(1, 'holding', 0, 1).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(3 * (TIMEOUT + LATENCY));
    expect(devices).toEqual([]);
  });
});

describe('BusQueue: close', () => {
  it('rejects queued and new requests with BUS_CLOSED; the one on the wire finishes', async () => {
    const { queue, transactions } = setup();
    const inFlight = outcome(queue.read(1, 'holding', 0, 1));
    const queued = outcome(queue.read(2, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(1);
    queue.close();
    const late = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(queued.code).toBe('BUS_CLOSED');
    expect(late.code).toBe('BUS_CLOSED');
    expect(inFlight).toEqual({ done: true, value: [0] });
    expect(transactions.filter((t) => t.error === 'BUS_CLOSED').map((t) => t.attempt)).toEqual([0, 0]);
  });
});

describe('BusQueue: listeners', () => {
  it('a throwing event listener does not break the bus', async () => {
    const { queue } = setup();
    queue.on('transaction', () => {
      throw new Error('metrics bug');
    });
    const r = outcome(queue.read(1, 'holding', 0, 1));
    await vi.advanceTimersByTimeAsync(LATENCY);
    expect(r).toEqual({ done: true, value: [0] });
  });
});

describe('BusQueue on real time: the frame silence is never cut short', () => {
  beforeEach(() => vi.useRealTimers());

  it('a fractional t3.5 (1.75 ms above 19200 baud) is kept in full although timers count whole milliseconds', async () => {
    const ends: number[] = [];
    const starts: number[] = [];
    const transport = new FakeTransport(() => undefined, 0);
    const read = transport.readRegisters.bind(transport);
    transport.readRegisters = async (...args: Parameters<FakeTransport['readRegisters']>) => {
      starts.push(performance.now());
      try {
        return await read(...args);
      } finally {
        ends.push(performance.now());
      }
    };
    const queue = new BusQueue({
      name: 'rs485-fast',
      transport,
      timeoutMs: TIMEOUT,
      retries: 0,
      interRequestDelayMs: 0,
      frameSilenceMs: 1.75,
      backoff: { afterFailures: 3, initialMs: 5_000, maxMs: 20_000 },
      clock: { now: () => Date.now(), monotonic: () => performance.now(), isTrusted: () => true },
    });
    await Promise.all(Array.from({ length: 40 }, (_, i) => queue.read(1, 'holding', i, 1)));
    const gaps = starts.slice(1).map((s, i) => s - ends[i]!);
    expect(gaps).toHaveLength(39);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1.75);
  });
});
