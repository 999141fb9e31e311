/**
 * Wire-time emulation end to end: a modbus-serial client (what the gateway uses) on the
 * gateway end of an emulated RS-485 line gets its answers no sooner than a real line could
 * carry them, and not absurdly later. Bounds are generous on the slow side — the machine runs
 * other tests at the same time; the bus-efficiency bench measures how close it really is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVirtualRig, type VirtualRig } from './rig.js';
import { withClient, type ModbusClient } from './test-clients.js';
import { frameMs, readAduSizes, t35Ms, writeAduSizes, type WireTiming } from './wire-time.js';

const TURNAROUND_MS = 5;
let rig: VirtualRig;

/** Request on the wire, t3.5, turnaround, the whole response: the least a client can wait. */
function leastWaitMs(wire: WireTiming, sizes: { request: number; response: number }): number {
  return frameMs(wire, sizes.request) + t35Ms(wire) + wire.turnaroundMs + frameMs(wire, sizes.response);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

beforeAll(async () => {
  rig = await startVirtualRig({
    tickMs: 0,
    buses: [
      { name: 'slow', type: 'rtu', baudRate: 9600, wire: { parity: 'even', turnaroundMs: TURNAROUND_MS } },
      { name: 'fast', type: 'rtu', baudRate: 115200, wire: { parity: 'even', turnaroundMs: 1 } },
      { name: 'instant', type: 'rtu' },
    ],
    devices: ['slow', 'fast', 'instant'].flatMap((bus) => [
      // 'zero' so one read may span all 125 registers the spec allows
      { name: `gas-${bus}`, bus, unitId: 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 12.5 }, unmapped: 'zero' as const },
      { name: `valve-${bus}`, bus, unitId: 5, profile: 'generic/gas-valve-actuator' },
    ]),
  });
});
afterAll(async () => {
  await rig?.stop();
});

const wireOf = (bus: string): WireTiming => {
  const b = rig.buses[bus];
  if (b?.type !== 'rtu' || !b.wire) throw new Error(`bus ${bus} has no wire emulation`);
  return b.wire.timing;
};
const on = <T>(bus: string, fn: (c: ModbusClient) => Promise<T>): Promise<T> => withClient(rig.buses[bus]!, fn, 2_000);

describe('wire-time emulation on an RTU bus', () => {
  it('a 125-register read at 9600 8E1 takes at least its wire time (≈ 310 ms), and not absurdly more', async () => {
    const least = leastWaitMs(wireOf('slow'), readAduSizes('holding', 125));
    expect(least).toBeCloseTo(310.4, 0);
    const r = await on('slow', (c) => {
      c.setID(1);
      return timed(() => c.readHoldingRegisters(0, 125));
    });
    expect(r.value.data[0]).toBe(125); // the right answer, just slower
    expect(r.ms).toBeGreaterThanOrEqual(least - 0.5); // 0.5 ms: performance.now() in two places
    expect(r.ms).toBeLessThan(least + 250);
  });

  it('a 125-register read at 115200 takes at least ≈ 28 ms, far less than at 9600', async () => {
    const least = leastWaitMs(wireOf('fast'), readAduSizes('holding', 125));
    expect(least).toBeCloseTo(27.86, 1);
    const r = await on('fast', (c) => {
      c.setID(1);
      return timed(() => c.readHoldingRegisters(0, 125));
    });
    expect(r.ms).toBeGreaterThanOrEqual(least - 0.5);
    expect(r.ms).toBeLessThan(least + 150);
  });

  it('back-to-back transactions each pay the line: ten reads take ten transactions, gaps included', async () => {
    const wire = wireOf('slow');
    const one = leastWaitMs(wire, readAduSizes('holding', 5));
    const before = (rig.buses.slow as { wire: { requests: number } }).wire.requests;
    const r = await on('slow', (c) => {
      c.setID(1);
      return timed(async () => {
        for (let i = 0; i < 10; i++) await c.readHoldingRegisters(0, 5);
      });
    });
    // Between two transactions the line stays silent for t3.5 before the next request may start.
    const least = 10 * one + 9 * t35Ms(wire);
    expect(r.ms).toBeGreaterThanOrEqual(least - 0.5);
    expect(r.ms).toBeLessThan(least + 500);
    expect((rig.buses.slow as { wire: { requests: number } }).wire.requests - before).toBe(10);
  });

  it('a write reaches the device only once its request could have crossed the line', async () => {
    const wire = wireOf('slow');
    const valve = rig.device('valve-slow');
    const crossedMs = frameMs(wire, writeAduSizes('coil', 1).request) + t35Ms(wire);
    const seen: number[] = [];
    await on('slow', async (c) => {
      c.setID(5);
      const answer = valve.answer.bind(valve);
      valve.answer = (pdu) => {
        seen.push(performance.now());
        return answer(pdu);
      };
      try {
        const t0 = performance.now();
        await c.writeCoils(0, [true]);
        expect(seen[0]! - t0).toBeGreaterThanOrEqual(crossedMs - 0.5);
        expect(performance.now() - t0).toBeGreaterThanOrEqual(leastWaitMs(wire, writeAduSizes('coil', 1)) - 0.5);
      } finally {
        valve.answer = answer;
      }
    });
    expect(valve.get('close_command')).toBe(true);
  });

  it('a bus without `wire` still answers at once', async () => {
    expect(rig.buses.instant).not.toHaveProperty('wire');
    const r = await on('instant', (c) => {
      c.setID(1);
      return timed(() => c.readHoldingRegisters(0, 125));
    });
    expect(r.ms).toBeLessThan(leastWaitMs({ baudRate: 9600, parity: 'even', turnaroundMs: 0 }, readAduSizes('holding', 125)));
  });
});

describe('wire spec checks', () => {
  it('reports a bad wire spec with its path, before starting anything', async () => {
    await expect(
      startVirtualRig({
        tickMs: 0,
        buses: [
          { name: 'a', type: 'rtu', wire: { parity: 'even', turnaroundMs: 5 } },
          { name: 'b', type: 'rtu', baudRate: 9600, wire: { parity: 'space' as 'even', turnaroundMs: 5 } },
          { name: 'c', type: 'tcp', wire: { parity: 'even', turnaroundMs: 1 } } as never,
        ],
        devices: [],
      }),
    ).rejects.toThrow(
      /buses\[0\]\.baudRate: required when wire emulation is on[\s\S]*buses\[1\]\.wire\.parity: "space"[\s\S]*buses\[2\]\.wire: wire-time emulation is for RTU buses/,
    );
  });
});
