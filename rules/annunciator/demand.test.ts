import { describe, expect, it } from 'vitest';
import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import { covers, lampDemand, sounderDemand, type AnnunciatedAlarm } from './demand.js';

const sounder: OutputConfig = { name: 's', kind: 'sounder', line: 1, activeLow: false, failsafe: 'on' };
const a = (id: string, cls: AnnunciatedAlarm['class'], state: AnnunciatedAlarm['state'], priority: AnnunciatedAlarm['priority'] = 'high'): AnnunciatedAlarm => ({ id, class: cls, state, priority });

describe('what an output announces', () => {
  it('covers every hazard class but process by default, and honours classes and minPriority', () => {
    expect(covers(sounder, { class: 'gas', priority: 'low' })).toBe(true);
    expect(covers(sounder, { class: 'process', priority: 'critical' })).toBe(false);
    expect(covers({ classes: ['fire'] }, { class: 'gas', priority: 'critical' })).toBe(false);
    expect(covers({ minPriority: 'high' }, { class: 'gas', priority: 'medium' })).toBe(false);
    expect(covers({ minPriority: 'high' }, { class: 'gas', priority: 'critical' })).toBe(true);
  });

  it.each([
    ['unacknowledged', 'gas', 'gas'],
    ['rtn-unacknowledged', 'gas', 'gas'],
    ['acknowledged', null, 'gas'],
    ['latched', null, 'gas'],
    ['shelved', null, null],
    ['suppressed', null, null],
    ['out-of-service', null, null],
    ['normal', null, null],
  ] as const)('an alarm %s: sounder %s, lamp %s', (state, sound, lamp) => {
    expect(sounderDemand(sounder, [a('x', 'gas', state)], false)).toBe(sound);
    expect(lampDemand({ ...sounder, kind: 'strobe' }, [a('x', 'gas', state)])).toBe(lamp);
  });

  it('a silenced sounder is quiet; the highest class wins; process alarms never sound', () => {
    const alarms = [a('f', 'fault', 'unacknowledged'), a('g', 'gas', 'unacknowledged'), a('p', 'process', 'unacknowledged')];
    expect(sounderDemand(sounder, alarms, true)).toBeNull();
    expect(sounderDemand(sounder, alarms, false)).toBe('gas');
    expect(sounderDemand({ ...sounder, classes: ['process'] }, alarms, false)).toBeNull();
    expect(lampDemand({ ...sounder, kind: 'lamp', classes: ['process'] }, alarms)).toBe('process');
    expect(lampDemand({ ...sounder, kind: 'lamp' }, [...alarms, a('x', 'fire', 'acknowledged')])).toBe('fire');
  });
});
