import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ReadRequest } from '../../drivers/modbus/planner.js';
import { createCatalog } from '../../drivers/profiles/loader.js';
import { computeBusBudgets, rtuBusBudget, type PlannedDevice } from './bus-budget.js';
import { busBudgetFindings, nameList } from './bus-budget-problems.js';
import { RtuBusSchema, type RtuBusConfig } from './schema.js';
import { loadSiteConfig } from './load.js';
import { formatProblem } from './problems.js';
import { profile } from './testcases/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));

const rtu = (over: Partial<RtuBusConfig> = {}): RtuBusConfig =>
  RtuBusSchema.parse({ name: 'rs485-1', type: 'rtu', port: '/dev/ttyUSB0', baudRate: 9600, parity: 'even', stopBits: 1, ...over });

const holding = (count: number): ReadRequest => ({ table: 'holding', address: 0, count, items: [] });

const device = (name: string, pollMs: number, counts: number[], index = 0): PlannedDevice => ({ name, index, unitId: index + 1, pollMs, plan: counts.map(holding) });

describe('bus budget arithmetic (Modbus over Serial Line V1.02 §2.5.1.1)', () => {
  // standards.md §7 "Throughput calculation": FC03 of N registers, turnaround 0:
  // (8 + 5 + 2N) characters × 11 bits / baud + 2 × t3.5.
  it.each([
    [9600, 1, 25.2],
    [9600, 10, 45.8],
    [9600, 125, 309.4],
    [19200, 1, 12.6],
    [115200, 1, 4.93],
    [115200, 125, 28.6],
  ])('%i baud, one read of %i registers, no turnaround: %f ms (the standards.md table)', (baudRate, n, expected) => {
    const b = rtuBusBudget(rtu({ baudRate: baudRate as RtuBusConfig['baudRate'] }), 0, [device('d', 1000, [n])], 0);
    expect(b.devices[0]!.cycleMs).toBeCloseTo(expected, 1);
  });

  it('a 5-register read at 9600 8E1 with 5 ms turnaround costs 39.375 ms: (8 + 15 + 2 × 3.5) chars × 11/9.6 ms + 5 ms', () => {
    const b = rtuBusBudget(rtu(), 0, [device('gas-1', 1000, [5])]);
    expect(b.devices[0]!.cycleMs).toBeCloseTo(39.375, 9);
    expect(b.busyMsPerSec).toBeCloseTo(39.375, 9);
    expect(b.utilisation).toBeCloseTo(0.039375, 9);
    expect(b.transactionsPerSec).toBe(1);
  });

  it('interRequestDelayMs replaces the closing t3.5 when it is longer (the bus queue waits the longer of the two)', () => {
    const b = rtuBusBudget(rtu({ interRequestDelayMs: 20 }), 0, [device('gas-1', 1000, [5])]);
    expect(b.devices[0]!.cycleMs).toBeCloseTo(39.375 - (3.5 * 11) / 9.6 + 20, 9);
    // shorter than t3.5 (4.01 ms): no effect
    expect(rtuBusBudget(rtu({ interRequestDelayMs: 2 }), 0, [device('gas-1', 1000, [5])]).devices[0]!.cycleMs).toBeCloseTo(39.375, 9);
  });

  it('sums every request of every device per second of its pollMs', () => {
    const b = rtuBusBudget(rtu(), 0, [device('a', 500, [5, 5]), device('b', 2000, [5], 1)]);
    // a: 2 × 39.375 ms twice a second; b: 39.375 ms every 2 s
    expect(b.busyMsPerSec).toBeCloseTo(4 * 39.375 + 39.375 / 2, 9);
    expect(b.transactionsPerSec).toBeCloseTo(4.5, 9);
  });

  it('a dead slave costs timeoutMs × (1 + retries) per request, plus the silence after each attempt', () => {
    const bus = rtu({ timeoutMs: 500, retries: 1 });
    const b = rtuBusBudget(bus, 0, [device('a', 1000, [5]), device('b', 1000, [5, 5], 1)]);
    const t35 = (3.5 * 11) / 9.6;
    expect(b.devices[1]!.deadCycleMs).toBeCloseTo(2 * 2 * (500 + t35), 9);
    expect(b.deadSlave?.device).toBe('b');
    expect(b.deadSlave?.utilisation).toBeCloseTo((39.375 + 2 * 2 * (500 + t35)) / 1000, 9);
    // a's worst cycle: its own read after b's dead one; b's: after a's healthy one
    expect(b.devices[0]!.worstCycleMs).toBeCloseTo(39.375 + 2 * 2 * (500 + t35), 9);
    expect(b.devices[1]!.worstCycleMs).toBeCloseTo(3 * 39.375 + (500 + t35) * 1 * 2 - 39.375, 9);
  });
});

describe('computeBusBudgets', () => {
  const catalog = createCatalog([profile('x/gas', ['gas', 'status', 'flags']), profile('x/meter', ['v', 'i'])]);

  it('plans each device as the gateway does (adjacent registers in one read) and leaves TCP without a utilisation', () => {
    const budgets = computeBusBudgets(
      {
        buses: [rtu(), { name: 'lan', type: 'tcp', host: '10.0.0.5', port: 502, timeoutMs: 1000, retries: 1, interRequestDelayMs: 0, backoff: { afterFailures: 3, initialMs: 5000, maxMs: 300000 } }],
        devices: [
          { name: 'gas-1', bus: 'rs485-1', unitId: 1, profile: 'x/gas', pollMs: 1000 },
          undefined,
          { name: 'm-1', bus: 'lan', unitId: 1, profile: 'x/meter', pollMs: 500 },
          { name: 'ghost', bus: 'rs485-1', unitId: 2, profile: 'x/none', pollMs: 1000 },
        ],
      },
      catalog,
    );
    expect(budgets.map((b) => [b.type, b.devices.map((d) => [d.name, d.plan.map((r) => r.count)]), b.transactionsPerSec])).toEqual([
      ['rtu', [['gas-1', [3]]], 1],
      ['tcp', [['m-1', [2]]], 2],
    ]);
    expect('utilisation' in budgets[1]!).toBe(false);
  });
});

describe('bus budget problems', () => {
  const gas = (n: number, pollMs: number) => Array.from({ length: n }, (_, i) => device(`gas-${i + 1}`, pollMs, [5], i));

  it('a comfortable bus gives nothing', () => {
    expect(busBudgetFindings([rtuBusBudget(rtu(), 0, gas(8, 1000))])).toEqual([]);
  });

  it('an overbooked bus is an error at the bus, with what to change', () => {
    // 2400 baud: 30 chars × 4.583 ms + 5 ms = 142.5 ms per detector per second, × 8 = 114 %
    const f = busBudgetFindings([rtuBusBudget(rtu({ baudRate: 2400 }), 3, gas(8, 1000))]);
    expect(f).toEqual([
      {
        severity: 'error',
        at: ['buses', 3],
        message:
          'bus "rs485-1" cannot keep up: needs 1.14 s of line time per second at 2400 baud (114 %, 8.0 transactions/s); ' +
          'raise baudRate to 4800 on the bus and every device on it (59 %), lengthen pollMs of gas-1..gas-8 to 2000 (57 %), or split its devices over 2 buses (serial ports)',
      },
    ]);
  });

  it('a starting gateway gets the same message as a warning and runs: it skips the polls the line cannot fit', () => {
    const f = busBudgetFindings([rtuBusBudget(rtu({ baudRate: 2400 }), 3, gas(8, 1000))], 'warning');
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0]!.message).toMatch(/^bus "rs485-1" cannot keep up: needs 1\.14 s .* — running anyway: polls the line cannot fit are skipped \(vigil validate rejects this file\)$/);
  });

  it('loadSiteConfig (what `vigil run` uses) loads an overbooked site with that warning', () => {
    const file = join(here, 'testcases/overbooked-bus/site.yaml');
    const r = loadSiteConfig(file, { env: {} });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => formatProblem(w).replace(`${here}/`, ''))).toEqual([
      expect.stringMatching(/^testcases\/overbooked-bus\/site\.yaml:8:5 buses\[0\]: bus "rs485-1" cannot keep up: needs 1\.18 s .* running anyway/),
    ]);
    expect(loadSiteConfig(file, { env: {}, overbookedBus: 'error' }).ok).toBe(false);
  });

  it('above 70 % is a warning naming the dead-slave worst case', () => {
    const f = busBudgetFindings([rtuBusBudget(rtu({ baudRate: 2400, timeoutMs: 300, retries: 0 }), 0, gas(8, 1500))]);
    expect(f).toHaveLength(1);
    expect(f[0]!.severity).toBe('warning');
    expect(f[0]!.message).toMatch(/^bus "rs485-1" has no headroom: 0\.76 s of line time per second at 2400 baud \(76 %, 5\.3 transactions\/s\) is above 70 %/);
    expect(f[0]!.message).toMatch(/one dead slave \(gas-1\) would take it to 88 % until it is backed off/);
    expect(f[0]!.message).toMatch(/lengthen pollMs of gas-1\.\.gas-8 to 2000 \(57 %\)/);
  });

  it('suggests dropping a long interRequestDelayMs when that alone is enough', () => {
    const f = busBudgetFindings([rtuBusBudget(rtu({ interRequestDelayMs: 100 }), 0, gas(8, 1000))]);
    expect(f[0]!.message).toMatch(/lower interRequestDelayMs from 100 to 0 if the devices allow it \(31 %\)/);
  });
});

describe('nameList', () => {
  it.each([
    [['gas-1', 'gas-2', 'gas-3', 'gas-4'], 'gas-1..gas-4'],
    [['gas-1', 'gas-2', 'valve-1'], 'gas-1, gas-2, valve-1'],
    [['a1', 'a2', 'a3', 'b', 'a5'], 'a1..a3, b, a5'],
    [['p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y'], 'p, q, r, s, t, u, v and 3 more'],
  ])('%j → %s', (names, shown) => {
    expect(nameList(names)).toBe(shown);
  });
});
