import { describe, expect, it } from 'vitest';
import type { Reading } from '../readings.js';
import { PointTable } from './point-table.js';

const r = (device: string, point: string, value: Reading['value'], ts: number, quality: Reading['quality'] = 'good'): Reading => ({ device, point, value, unit: '%LEL', quality, ts, clockTrusted: true });

describe('PointTable', () => {
  it('keeps the latest reading of each point, sorted by device then point', () => {
    const t = new PointTable();
    t.update([r('gas-2', 'gas_lel', 1, 1), r('gas-1', 'status', 'normal', 1), r('gas-1', 'gas_lel', 3, 1)]);
    t.update([r('gas-1', 'gas_lel', null, 2, 'comm-fault')]);
    expect(t.snapshot().map((p) => [p.device, p.point, p.value, p.quality])).toEqual([
      ['gas-1', 'gas_lel', null, 'comm-fault'],
      ['gas-1', 'status', 'normal', 'good'],
      ['gas-2', 'gas_lel', 1, 'good'],
    ]);
  });

  it('lists declared points as stale with no value until their first reading', () => {
    const t = new PointTable();
    t.declare('gas-1', [{ name: 'gas_lel', unit: '%LEL' }, { name: 'status' }], { ts: 5, clockTrusted: false });
    expect(t.snapshot()).toEqual([
      { device: 'gas-1', point: 'gas_lel', value: null, unit: '%LEL', quality: 'stale', ts: 5, clockTrusted: false },
      { device: 'gas-1', point: 'status', value: null, quality: 'stale', ts: 5, clockTrusted: false },
    ]);
    t.update([r('gas-1', 'gas_lel', 4, 6)]);
    expect(t.snapshot('gas-1')[0]).toMatchObject({ value: 4, quality: 'good' });
  });

  it('filters by device', () => {
    const t = new PointTable();
    t.update([r('gas-1', 'gas_lel', 3, 1), r('gas-2', 'gas_lel', 1, 1)]);
    expect(t.snapshot('gas-2')).toEqual([{ device: 'gas-2', point: 'gas_lel', value: 1, unit: '%LEL', quality: 'good', ts: 1, clockTrusted: true }]);
    expect(t.snapshot('nope')).toEqual([]);
  });
});
