import { describe, expect, it } from 'vitest';
import { DeviceAlarmSchema } from '../definitions/schema.js';
import { createCondition } from './create-condition.js';
import { sample } from './testing/series.js';

const def = DeviceAlarmSchema.parse({ name: 's', description: 'd', priority: 'high', class: 'fault', latch: false, kind: 'stale', point: 'gas_lel', afterMs: 30_000 });

describe('stale value (no new reading for afterMs)', () => {
  it('becomes stale afterMs after the last reading, and a reading ends it', () => {
    const c = createCondition(def);
    expect(c.update(sample(0, 1))).toBe(false);
    expect(c.poll(29_999)).toEqual({ condition: false, nextPollAt: 30_000 });
    expect(c.poll(30_000)).toEqual({ condition: true, nextPollAt: null });
    expect(c.update(sample(31_000, 1))).toBe(false);
    expect(c.poll(31_000)).toEqual({ condition: false, nextPollAt: 61_000 });
  });

  it.each(['good', 'bad', 'comm-fault'] as const)('a %s reading is a new reading', (quality) => {
    const c = createCondition(def);
    c.update(sample(0, 1));
    c.update(sample(20_000, null, quality));
    expect(c.poll(40_000).condition).toBe(false);
  });

  it('a stale-quality placeholder is not a new reading', () => {
    const c = createCondition(def);
    c.update(sample(0, 1));
    expect(c.update(sample(20_000, null, 'stale'))).toBe(false);
    expect(c.poll(30_000).condition).toBe(true);
  });

  it('a point that never delivers becomes stale afterMs after the engine began watching', () => {
    const c = createCondition(def, { startMono: 5_000 });
    expect(c.poll(34_999)).toEqual({ condition: false, nextPollAt: 35_000 });
    expect(c.poll(35_000).condition).toBe(true);
    // without startMono the first poll starts the clock
    const d = createCondition(def);
    expect(d.poll(100)).toEqual({ condition: false, nextPollAt: 30_100 });
  });
});
