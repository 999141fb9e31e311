import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../model.js';
import { EngineHarness, alarm } from './testing/harness.js';

/** The engine's wiring of the time-dependent and masked cases, with the real conditions (rules/conditions). */

const alice: Actor = { kind: 'api', name: 'alice' };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AlarmEngine with rate and state alarms', () => {
  it('a rate alarm activates on a fast rise, holds while the readings stop, clears when they show a flat value', () => {
    const h = new EngineHarness([alarm('gas-1/lel_rate', { kind: 'rate', point: 'lel', perMinute: 60, windowMs: 10_000 })]);
    h.engine.start();
    for (let i = 0; i <= 6; i++) {
      h.read('gas-1', 'lel', 2 * i);
      h.advance(1_000);
    }
    expect(h.state('gas-1/lel_rate')).toBe('unacknowledged');
    h.advance(60_000); // no readings at all: the rate cannot be judged, the alarm holds
    expect(h.engine.get('gas-1/lel_rate')?.conditionActive).toBe(true);
    for (let i = 0; i <= 6; i++) {
      h.read('gas-1', 'lel', 12);
      h.advance(1_000);
    }
    expect(h.state('gas-1/lel_rate')).toBe('rtn-unacknowledged');
  });

  it('a state alarm follows a panel fire bit', () => {
    const h = new EngineHarness([alarm('panel-1/fire', { kind: 'state', point: 'fire', activeWhen: [true], class: 'fire', priority: 'critical', latch: true })]);
    h.engine.start();
    h.read('panel-1', 'fire', false);
    h.read('panel-1', 'fire', true);
    expect(h.engine.get('panel-1/fire')).toMatchObject({ state: 'unacknowledged', colour: 'red', class: 'fire' });
    h.read('panel-1', 'fire', false);
    h.engine.command({ action: 'acknowledge', alarmId: 'panel-1/fire', actor: alice });
    expect(h.state('panel-1/fire')).toBe('latched');
  });
});

describe('AlarmEngine masking', () => {
  it('activations of a shelved alarm do not count as chattering', () => {
    const h = new EngineHarness([alarm('gas-1/l1', { kind: 'high', point: 'lel', setpoint: 25 })]);
    h.engine.start();
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/l1', actor: alice, durationMs: 3_600_000 });
    for (let i = 0; i < 5; i++) {
      h.read('gas-1', 'lel', 30);
      h.read('gas-1', 'lel', 10);
      h.advance(5_000);
    }
    expect(h.events('kpi')).toEqual([]);
  });

  it('shelving a shelved alarm again sets the new expiry', () => {
    const h = new EngineHarness([alarm('gas-1/l1', { kind: 'high', point: 'lel', setpoint: 25 })]);
    h.engine.start();
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/l1', actor: alice, durationMs: 60_000 });
    h.advance(30_000);
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/l1', actor: alice, durationMs: 60_000 });
    h.advance(59_900);
    expect(h.state('gas-1/l1')).toBe('shelved');
    h.advance(100);
    expect(h.state('gas-1/l1')).toBe('normal');
    expect(h.events()).toEqual(['alarm.shelved normal→shelved', 'alarm.shelved shelved→shelved', 'alarm.unshelved shelved→normal']);
  });

  it('suppressing a shelved alarm replaces the shelve: its expiry no longer applies', () => {
    const h = new EngineHarness([alarm('gas-1/l1', { kind: 'high', point: 'lel', setpoint: 25 })]);
    h.engine.start();
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/l1', actor: alice, durationMs: 60_000 });
    h.engine.command({ action: 'suppress', alarmId: 'gas-1/l1', actor: { kind: 'schedule', name: 'maintenance' } });
    h.advance(120_000);
    expect(h.engine.get('gas-1/l1')).toMatchObject({ state: 'suppressed', shelvedUntil: null });
  });
});
