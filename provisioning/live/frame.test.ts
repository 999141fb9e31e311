import { describe, expect, it } from 'vitest';
import type { AlarmsResponse, HealthResponse, PointSnapshot } from '../../gateway/api/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';
import { formatValue, padMiddle, renderFrame } from './frame.js';
import { sparkline, TrendHistory } from './sparkline.js';

const TS = Date.UTC(2026, 10, 23, 9, 30, 5);

const health: HealthResponse = {
  status: 'fault',
  reasons: ['device gas-3: comm-fault (no answer)'],
  ts: TS,
  uptimeSec: 3_725,
  version: '0.6.0',
  site: 'test-plant',
  gateway: 'gw-1',
  clock: { trusted: true, now: TS },
  buses: [
    { name: 'rs485-1', type: 'rtu', description: '/dev/ttyUSB0 9600 8E1', transactions: 1200, errors: 14, timeouts: 12 },
    { name: 'plant-net', type: 'tcp', description: '10.0.0.7:502', transactions: 300, errors: 0, timeouts: 0 },
  ],
  devices: [],
  broker: { configured: true, connected: false, lastConnectedTs: null },
  outbox: { depth: { telemetry: 120, event: 3 }, bytes: 1, budgetBytes: 2, evicted: 0, oldestTs: null, lastSeq: 1 },
};

const alarm = (over: Partial<AlarmSnapshot>): AlarmSnapshot => ({
  id: 'gas-1/gas_high',
  device: 'gas-1',
  point: 'gas_lel',
  name: 'gas_high',
  description: '',
  kind: 'high',
  priority: 'high',
  colour: 'orange',
  class: 'gas',
  latch: true,
  state: 'unacknowledged',
  conditionActive: true,
  latchPending: false,
  annunciating: true,
  setpoint: 25,
  value: 31.25,
  shelvedUntil: null,
  occurrence: null,
  ...over,
});

const alarms: AlarmsResponse = {
  summary: { total: 9, annunciating: 2 } as AlarmsResponse['summary'],
  alarms: [
    alarm({}),
    alarm({ id: 'gas-3/communication', device: 'gas-3', kind: 'communication', priority: 'medium', class: 'fault', state: 'acknowledged', setpoint: undefined, value: undefined }),
    alarm({ id: 'gas-2/gas_high', state: 'normal', annunciating: false }),
  ],
};

const point = (device: string, name: string, value: PointSnapshot['value'], unit: string | undefined, quality: PointSnapshot['quality']): PointSnapshot => ({
  device,
  point: name,
  value,
  ...(unit ? { unit } : {}),
  quality,
  ts: TS,
  clockTrusted: true,
});
const points = [point('gas-1', 'gas_lel', 31.25, '%LEL', 'good'), point('gas-1', 'fault', false, undefined, 'good'), point('gas-3', 'gas_lel', null, '%LEL', 'comm-fault')];

const trends: Record<string, (number | null)[]> = { 'gas-1/gas_lel': [0, 0, 10, 20, 31.25], 'gas-3/gas_lel': [0.4, null, null] };
const data = { health, alarms, points, trend: (k: string) => trends[k] ?? [] };
const opts = { width: 80, height: 24, color: false, api: 'http://127.0.0.1:8080', intervalSec: 1 };

describe('renderFrame', () => {
  it('shows header, alarms needing attention, points with trends and bus health (plain text)', () => {
    expect(renderFrame(data, opts)).toEqual([
      'VIGIL test-plant/gw-1  FAULT                             2026-11-23 09:30:05 UTC',
      'clock trusted · broker DISCONNECTED · outbox 120 readings, 3 events · up 1h02m',
      '! device gas-3: comm-fault (no answer)',
      '',
      'ALARMS  2 need attention of 9',
      '  HIGH gas-1/gas_high                 unacknowledged     31.25 (sp 25)',
      '  MED  gas-3/communication            acknowledged       ',
      '',
      'POINTS        point                  value unit   quality    trend',
      'gas-1         gas_lel                31.25 %LEL   good       ▁▁▃▅█',
      'gas-1         fault                    off        good       ',
      'gas-3         gas_lel                    — %LEL   comm-fault ▁  ',
      '',
      'BUSES            transactions  errors timeouts',
      'rs485-1                  1200      14       12',
      'plant-net                 300       0        0',
      'q quit · every 1 s · http://127.0.0.1:8080',
    ]);
  });

  it('never exceeds the terminal: 80×24 with many points says how many it left out', () => {
    const many = Array.from({ length: 40 }, (_, i) => point(`em-${i}`, 'residual_current', i * 10, 'mA', 'good'));
    const lines = renderFrame({ ...data, points: many }, opts);
    expect(lines).toHaveLength(24);
    expect(lines.filter((l) => l.startsWith('em-'))).toHaveLength(9);
    expect(lines.every((l) => [...l].length <= 80)).toBe(true);
    expect(lines).toContain('… 31 more points (a taller terminal shows them)');
    expect(lines.at(-1)).toBe('q quit · every 1 s · http://127.0.0.1:8080');
  });

  it('colours the status and each alarm by its priority on a terminal', () => {
    const lines = renderFrame(data, { ...opts, color: true });
    expect(lines[0]).toContain('\x1b[1;31mFAULT\x1b[0m');
    expect(lines[5]).toMatch(/^\x1b\[38;5;208m {2}HIGH gas-1\/gas_high/);
  });

  it('shows a fetch error above the last good data', () => {
    expect(renderFrame(data, { ...opts, error: 'GET /api/health: the gateway did not answer' })[3]).toBe('! GET /api/health: the gateway did not answer');
  });
});

describe('sparkline and trend history', () => {
  it('scales between the samples own min and max; gaps for missing values; flat when constant', () => {
    expect(sparkline([0, 7, 14, null, 3.5], 12)).toBe('▁▅█ ▃'); // 7/14 of 7 steps rounds to the 5th block
    expect(sparkline([5, 5, 5], 12)).toBe('▁▁▁');
    expect(sparkline([1, 2, 3, 4], 2)).toBe('▁█');
  });

  it('keeps the last N samples', () => {
    const h = new TrendHistory(3);
    for (const v of [1, 2, 3, 4]) h.add('a/b', v);
    expect(h.get('a/b')).toEqual([2, 3, 4]);
  });

  it('formats values for people', () => {
    expect([formatValue(12), formatValue(3.14159), formatValue(true), formatValue(null), formatValue('fire')]).toEqual(['12', '3.14', 'on', '—', 'fire']);
  });
});

describe('point names in a narrow column', () => {
  it('keep their distinguishing tail: a long name loses its middle', () => {
    expect(padMiddle('cable_temperature_1', 18)).toBe('cable_te…rature_1 ');
    expect(padMiddle('cable_temperature_4', 18)).toBe('cable_te…rature_4 ');
    expect(padMiddle('gas_lel', 18)).toBe('gas_lel'.padEnd(18));
    expect(padMiddle('exactly_eighteen_c', 18)).toHaveLength(18);
  });
});
