import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RtuBusSchema, TcpBusSchema } from '../../gateway/config/schema.js';
import { busQueueForBus } from './bus-queue-for-bus.js';
import { FakeTransport, fakeTimersClock } from './fake-transport.js';

const LATENCY = 10;
// 19,200 baud 8E1: 11 bits a character, t3.5 = 3.5 × 11 / 19,200 s ≈ 2.005 ms (Modbus over Serial Line §2.5.1.1).
const rtu = RtuBusSchema.parse({ name: 'rs485-1', type: 'rtu', port: '/dev/ttyUSB0', baudRate: 19_200, parity: 'even', stopBits: 1, timeoutMs: 300, retries: 0 });
const tcp = TcpBusSchema.parse({ name: 'tcp-1', type: 'tcp', host: '127.0.0.1', port: 502, timeoutMs: 300, retries: 0 });

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Two polls of unit 1 (the first times out) and one of unit 2, through the queue the gateway builds for `bus`. */
async function startTimes(bus: typeof rtu | typeof tcp): Promise<number[]> {
  let first = true;
  const transport = new FakeTransport((c) => (c.unitId === 1 && first ? ((first = false), { error: 'COMM_TIMEOUT' }) : undefined), LATENCY);
  const queue = busQueueForBus(bus, transport, fakeTimersClock());
  void queue.read(1, 'holding', 0, 1).catch(() => undefined);
  void queue.read(2, 'holding', 0, 1);
  void queue.read(1, 'holding', 0, 1);
  await vi.advanceTimersByTimeAsync(2_000);
  return transport.calls.map((c) => c.startedAt);
}

describe('busQueueForBus: the queue the gateway, the benches and the campaign poll with', () => {
  it('on an RTU line: keeps t3.5 before each request, and the next poll of a unit that timed out waits one more timeout', async () => {
    const [a, b, c] = await startTimes(rtu);
    expect(a).toBe(0);
    // Unit 2 after the timeout (300 ms) and the line's t3.5 silence.
    expect(b).toBeGreaterThanOrEqual(300 + 2.005);
    expect(b).toBeLessThan(300 + 4);
    // Unit 1's next poll: its late answer could still arrive until 300 + 300 ms.
    expect(c).toBeGreaterThanOrEqual(600);
  });

  it('on TCP: no frame silence and no late-answer guard (MBAP carries a transaction id)', async () => {
    expect(await startTimes(tcp)).toEqual([0, 300, 300 + LATENCY]);
  });
});
