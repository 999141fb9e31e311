import { describe, expect, it } from 'vitest';
import { DeviceAlarmSchema } from '../definitions/schema.js';
import { createCondition } from './create-condition.js';
import { feed } from './testing/series.js';

const state = (activeWhen: (boolean | string)[]) =>
  createCondition(DeviceAlarmSchema.parse({ name: 's', description: 'd', priority: 'high', class: 'gas', latch: true, kind: 'state', point: 'status', activeWhen }));

describe('device status (bool or enumeration labels)', () => {
  it('an enumeration: active for the listed labels only', () => {
    const out = feed(state(['alarm_level_1', 'alarm_level_2']), [
      [0, 'normal'],
      [1, 'alarm_level_1'],
      [2, 'alarm_level_2'],
      [3, 'fault'],
      [4, 'warm_up'],
    ]);
    expect(out).toEqual([false, true, true, false, false]);
  });

  it('a bool point, active when true (or when false, e.g. a "healthy" bit)', () => {
    expect(feed(state([true]), [[0, false], [1, true]])).toEqual([false, true]);
    expect(feed(state([false]), [[0, false], [1, true]])).toEqual([true, false]);
  });

  it.each([
    { name: 'comm-fault', value: null, quality: 'comm-fault' },
    { name: 'an unknown enum code (decoded as null, bad)', value: null, quality: 'bad' },
    { name: 'a stale reading that still carries a value', value: 'alarm_level_1', quality: 'stale' },
    { name: 'a number on a state alarm (a definition error)', value: 1, quality: 'good' },
  ] as const)('cannot judge $name → unknown', ({ value, quality }) => {
    expect(feed(state(['alarm_level_1']), [[0, value, quality]])).toEqual(['unknown']);
  });
});
