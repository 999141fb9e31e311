import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../../gateway/clock/fake-clock.js';
import type { Condition } from '../conditions/condition.js';
import { createCondition, type PointAlarmDef } from '../conditions/create-condition.js';
import type { ResolvedAlarm } from '../model.js';
import { AlarmEngine, type EngineFault } from './alarm-engine.js';
import { EngineHarness, alarm } from './testing/harness.js';

/** The engine never throws into the poller, and a failure it cannot handle is loud (DESIGN principle 2). */

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const BROKEN = alarm('gas-1/broken', { kind: 'high', point: 'lel', setpoint: 25 });
const GOOD = alarm('gas-1/good', { kind: 'high', point: 'lel', setpoint: 25 });

/** Real conditions, except the alarm named `broken`, whose condition throws. */
function breaking(what: 'update' | 'poll') {
  return (a: ResolvedAlarm, o: Parameters<typeof createCondition>[1]): Condition => {
    const real = createCondition(a.def as PointAlarmDef, o);
    if (a.def.name !== 'broken') return real;
    return {
      update: (s) => (what === 'update' ? boom() : real.update(s)),
      poll: (m) => (what === 'poll' ? boom() : { condition: real.update({ value: 0, quality: 'good', ts: 0, mono: m }), nextPollAt: m + 1_000 }),
    };
  };
}
function boom(): never {
  throw new TypeError('cannot read properties of undefined');
}

describe('AlarmEngine faults', () => {
  it('an alarm whose evaluation throws: onReadings returns, the other alarms still work, one engine.fault event, failed() stays true', () => {
    const h = new EngineHarness([BROKEN, GOOD], { conditionFactory: breaking('update') });
    const faults: EngineFault[] = [];
    h.engine.onEngineFault((f) => faults.push(f));
    h.engine.start();
    expect(h.engine.failed()).toBe(false);
    expect(() => h.read('gas-1', 'lel', 30)).not.toThrow();
    h.read('gas-1', 'lel', 31);
    expect(h.state('gas-1/good')).toBe('unacknowledged');
    expect(h.engine.failed()).toBe(true);
    expect(faults).toHaveLength(1);
    expect(faults[0]?.alarmId).toBe('gas-1/broken');
    const engineEvents = h.journal.filter((e) => e.subject === 'engine');
    expect(engineEvents).toHaveLength(1);
    expect(engineEvents[0]?.event).toMatchObject({
      type: 'engine.fault',
      severity: 'fault',
      message: 'the alarm engine failed to evaluate gas-1/broken: cannot read properties of undefined — its alarm state can no longer be trusted; outputs go to their safe state',
    });
  });

  it('a failure in a timer-driven poll is reported the same way', () => {
    const h = new EngineHarness([BROKEN], { conditionFactory: breaking('poll') });
    h.engine.start(); // the first poll, at start, already throws
    expect(h.engine.failed()).toBe(true);
    expect(h.events('engine')).toEqual(['engine.fault']);
  });

  it('refuses definitions a resolver should never have produced, naming each', () => {
    const clock = new FakeClock();
    const persist = () => undefined;
    const noDevice: ResolvedAlarm = { id: 'x/high', def: GOOD.def };
    const vote = alarm('site/v', { kind: 'vote', k: 2, of: ['gas-1/good', 'gas-9/missing'] });
    expect(() => new AlarmEngine({ alarms: [GOOD, GOOD, noDevice, vote], clock, persist })).toThrow(
      'alarm engine: 3 alarm definition problem(s): alarm gas-1/good (index 1) is defined twice; alarm x/high (high) needs a device and a point; vote site/v counts alarm gas-9/missing, which is not defined (or is disabled)',
    );
  });

  it('a persist callback that throws is logged; the alarm still changes state', () => {
    const clock = new FakeClock();
    const engine = new AlarmEngine({
      alarms: [GOOD],
      clock,
      persist: () => {
        throw new Error('queue full');
      },
    });
    engine.start();
    engine.onReadings([{ device: 'gas-1', point: 'lel', value: 30, quality: 'good', ts: clock.now(), clockTrusted: true }]);
    expect(engine.get('gas-1/good')?.state).toBe('unacknowledged');
  });
});
