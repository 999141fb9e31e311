import { describe, expect, it } from 'vitest';
import { CommunicationAlarmSchema, DeviceAlarmSchema } from '../definitions/schema.js';
import { createCondition } from './create-condition.js';
import { feed, type Step } from './testing/series.js';

const common = { description: 'd', priority: 'high', class: 'fault', latch: false } as const;

describe('quality fault (active while quality is not good; never unknown)', () => {
  const quality = () => createCondition(DeviceAlarmSchema.parse({ ...common, name: 'q', kind: 'quality', point: 'gas_lel' }));
  it.each([
    { quality: 'good', value: 12, want: false },
    { quality: 'bad', value: 104, want: true },
    { quality: 'bad', value: null, want: true },
    { quality: 'comm-fault', value: null, want: true },
    { quality: 'stale', value: null, want: true },
  ] as const)('$quality (value $value) → $want', ({ quality: q, value, want }) => {
    expect(feed(quality(), [[0, value, q]])).toEqual([want]);
  });

  it('inactive before the first reading; poll repeats the last judgement', () => {
    const c = quality();
    expect(c.poll(0)).toEqual({ condition: false, nextPollAt: null });
    feed(c, [[0, null, 'comm-fault']]);
    expect(c.poll(10_000)).toEqual({ condition: true, nextPollAt: null });
  });
});

describe('communication fault (the witness point is comm-fault)', () => {
  const comm = () => createCondition(CommunicationAlarmSchema.parse({ ...common, name: 'communication', kind: 'communication', point: 'gas_lel' }));
  it('follows comm-fault; an answer of any kind ends it; a stale placeholder changes nothing', () => {
    const steps: Step[] = [
      [0, 5, 'good'],
      [1000, null, 'comm-fault'],
      [2000, null, 'stale'],
      [3000, null, 'bad'], // the device answered with an exception: it communicates
      [4000, null, 'comm-fault'],
      [5000, 5, 'good'],
    ];
    expect(feed(comm(), steps)).toEqual([false, true, true, false, true, false]);
  });
});
