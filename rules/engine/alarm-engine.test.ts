import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FAKE_CLOCK_START } from '../../gateway/clock/fake-clock.js';
import type { Actor } from '../model.js';
import { EngineHarness, alarm } from './testing/harness.js';

const alice: Actor = { kind: 'api', name: 'alice' };
const L1 = alarm('gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25, deadband: 2, description: 'Combustible gas 1st level', latch: true });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function started(...alarms: Parameters<typeof alarm>[]): EngineHarness {
  const h = new EngineHarness(alarms.map(([id, def]) => alarm(id, def)));
  h.engine.start();
  return h;
}

describe('AlarmEngine: a reading over the set point', () => {
  it('activates in the same call, journals it with value and set point, and tells the listeners', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.read('gas-1', 'lel', 10, 'good', '%LEL');
    expect(h.state('gas-1/lel_l1')).toBe('normal');
    expect(h.journal).toHaveLength(0);

    h.read('gas-1', 'lel', 27.5, 'good', '%LEL');
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
    expect(h.transitions).toHaveLength(1);
    const [entry] = h.journal;
    expect(entry?.subject).toBe('gas-1/lel_l1');
    expect(entry?.event).toMatchObject({
      type: 'alarm.activated',
      severity: 'alarm',
      ts: FAKE_CLOCK_START,
      clockTrusted: true,
      device: 'gas-1',
      point: 'lel',
      message: 'Combustible gas 1st level (gas-1/lel_l1) activated: 27.5 %LEL reached set point 25 %LEL; now active and unacknowledged',
    });
    expect(entry?.event.data).toMatchObject({
      alarmId: 'gas-1/lel_l1',
      event: 'activate',
      from: 'normal',
      to: 'unacknowledged',
      actor: { kind: 'sensor', name: 'gas-1' },
      value: 27.5,
      setpoint: 25,
      priority: 'high',
      colour: 'orange',
      class: 'gas',
      occurrence: { id: `gas-1/lel_l1@${FAKE_CLOCK_START}`, detectedTs: FAKE_CLOCK_START, firstValue: 27.5, peakValue: 27.5, notes: [] },
    });
    expect(h.states.get('gas-1/lel_l1')).toMatchObject({ state: 'unacknowledged', conditionActive: true, latchPending: true });
  });

  it('a fault-class alarm is journaled with severity fault, and other events as info', () => {
    const h = started(['gas-1/communication', { kind: 'communication', point: 'lel', class: 'fault', description: 'Detector communication' }]);
    h.read('gas-1', 'lel', null, 'comm-fault');
    h.read('gas-1', 'lel', 3);
    expect(h.journal.map((e) => [e.event.type, e.event.severity])).toEqual([
      ['alarm.activated', 'fault'],
      ['alarm.cleared', 'info'],
    ]);
    expect(h.journal[0]?.event.message).toBe('Detector communication (gas-1/communication) activated: the device does not answer; now active and unacknowledged');
  });

  it('keeps the peak value of the occurrence and closes it with who acknowledged and reset it', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.advance(1_000);
    h.read('gas-1', 'lel', 45);
    h.read('gas-1', 'lel', 38);
    expect(h.engine.command({ action: 'acknowledge', alarmId: 'gas-1/lel_l1', actor: alice, note: 'valve closed by hand' }).ok).toBe(true);
    h.advance(1_000);
    h.read('gas-1', 'lel', 5);
    expect(h.state('gas-1/lel_l1')).toBe('latched');
    const reset = h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: { kind: 'button', name: 'reset-key' } });
    expect(reset.ok && reset.transition.occurrence).toEqual({
      id: `gas-1/lel_l1@${FAKE_CLOCK_START}`,
      detectedTs: FAKE_CLOCK_START,
      firstValue: 30,
      peakValue: 45,
      acknowledgedTs: FAKE_CLOCK_START + 1_000,
      acknowledgedBy: alice,
      notes: [{ ts: FAKE_CLOCK_START + 1_000, by: alice, text: 'valve closed by hand' }],
      clearedTs: FAKE_CLOCK_START + 2_000,
      closedTs: FAKE_CLOCK_START + 2_000,
      closedBy: { kind: 'button', name: 'reset-key' },
    });
    expect(h.engine.get('gas-1/lel_l1')).toMatchObject({ state: 'normal', latchPending: false, occurrence: null, annunciating: false });
    expect(h.journal.at(-1)?.event.message).toBe('Combustible gas 1st level (gas-1/lel_l1) reset by reset-key (button); now normal');
  });
});

describe('AlarmEngine: commands', () => {
  it('refuses an unknown alarm, and a command that does not apply, saying why and changing nothing', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    expect(h.engine.command({ action: 'acknowledge', alarmId: 'gas-9/lel_l1', actor: alice })).toEqual({ ok: false, refusal: 'unknown-alarm', message: 'no alarm "gas-9/lel_l1" on this gateway' });
    expect(h.engine.command({ action: 'acknowledge', alarmId: 'gas-1/lel_l1', actor: alice })).toEqual({
      ok: false,
      refusal: 'not-applicable',
      message: 'gas-1/lel_l1: the alarm is not active: there is nothing to acknowledge',
      state: 'normal',
    });
    expect(h.journal).toHaveLength(0);
  });

  it('refuses a reset while the gas is still above the set point, and while the value is unknown', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.read('gas-1', 'lel', 40);
    h.engine.command({ action: 'acknowledge', alarmId: 'gas-1/lel_l1', actor: alice });
    const r = h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: alice });
    expect(r).toMatchObject({ ok: false, refusal: 'condition-present', state: 'acknowledged' });
    h.read('gas-1', 'lel', 5);
    h.read('gas-1', 'lel', null, 'comm-fault');
    expect(h.state('gas-1/lel_l1')).toBe('latched');
    expect(h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: alice })).toEqual({
      ok: false,
      refusal: 'condition-present',
      message: 'gas-1/lel_l1: the value of lel is not known (no reading since start, or the device does not answer); a reset is accepted once it is known to be back below the set point',
      state: 'latched',
    });
    h.read('gas-1', 'lel', 5);
    expect(h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: alice }).ok).toBe(true);
  });

  it('refuses a reset while the gas is back inside its on-delay', () => {
    const h = new EngineHarness([alarm('gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25, latch: true, onDelayMs: 5_000 })]);
    h.engine.start();
    h.read('gas-1', 'lel', 40);
    h.advance(5_000);
    h.engine.command({ action: 'acknowledge', alarmId: 'gas-1/lel_l1', actor: alice });
    h.read('gas-1', 'lel', 5);
    expect(h.state('gas-1/lel_l1')).toBe('latched');
    h.read('gas-1', 'lel', 30); // back above the set point, on-delay running
    expect(h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: alice })).toMatchObject({ ok: false, refusal: 'condition-present' });
  });

  it('shelving needs a duration, at most 24 h, and the shelve expires by itself (actor system)', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.read('gas-1', 'lel', 40);
    expect(h.engine.command({ action: 'shelve', alarmId: 'gas-1/lel_l1', actor: alice, durationMs: 0 })).toMatchObject({ ok: false, refusal: 'not-applicable', message: expect.stringMatching(/durationMs > 0, got 0 — ISA-18.2 shelving is time-limited/) });
    expect(h.engine.command({ action: 'shelve', alarmId: 'gas-1/lel_l1', actor: alice, durationMs: 25 * 3_600_000 })).toMatchObject({ ok: false, message: expect.stringMatching(/at most 86400000 ms \(24 h\)/) });
    const r = h.engine.command({ action: 'shelve', alarmId: 'gas-1/lel_l1', actor: alice, durationMs: 60_000, note: 'detector being replaced' });
    expect(r.ok).toBe(true);
    expect(h.engine.get('gas-1/lel_l1')).toMatchObject({ state: 'shelved', shelvedUntil: FAKE_CLOCK_START + 60_000, annunciating: false });
    expect(h.journal.at(-1)?.event.message).toBe(`Combustible gas 1st level (gas-1/lel_l1) shelved by alice (api) until ${new Date(FAKE_CLOCK_START + 60_000).toISOString()}; now shelved — note: detector being replaced`);
    h.advance(59_900);
    expect(h.state('gas-1/lel_l1')).toBe('shelved');
    h.advance(100);
    // the gas is still there: the alarm annunciates again
    expect(h.engine.get('gas-1/lel_l1')).toMatchObject({ state: 'unacknowledged', shelvedUntil: null });
    expect(h.transitions.at(-1)).toMatchObject({ event: 'unshelve', actor: { kind: 'system' }, from: 'shelved', to: 'unacknowledged' });
    expect(h.journal.at(-1)?.event.message).toBe('Combustible gas 1st level (gas-1/lel_l1) unshelved: the shelve expired; now active and unacknowledged');
  });

  it('journals condition changes while shelved without annunciating, and an unshelve lands where the alarm would be', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/lel_l1', actor: alice, durationMs: 3_600_000 });
    h.read('gas-1', 'lel', 40);
    h.read('gas-1', 'lel', 3);
    expect(h.events()).toEqual(['alarm.shelved normal→shelved', 'alarm.activated shelved→shelved', 'alarm.cleared shelved→shelved']);
    expect(h.journal[1]?.event).toMatchObject({ severity: 'alarm', message: expect.stringMatching(/activated: 40 reached set point 25 \(while shelved: not annunciated\)$/) });
    // a latching alarm that activated while shelved must be reset afterwards
    h.engine.command({ action: 'unshelve', alarmId: 'gas-1/lel_l1', actor: alice });
    expect(h.engine.get('gas-1/lel_l1')).toMatchObject({ state: 'latched', latchPending: true, annunciating: true });
  });

  it('a schedule suppresses and unsuppresses; out of service takes precedence', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    const schedule: Actor = { kind: 'schedule', name: 'weekly-calibration' };
    expect(h.engine.command({ action: 'suppress', alarmId: 'gas-1/lel_l1', actor: schedule }).ok).toBe(true);
    h.read('gas-1', 'lel', 40);
    expect(h.engine.command({ action: 'remove-from-service', alarmId: 'gas-1/lel_l1', actor: alice }).ok).toBe(true);
    expect(h.engine.command({ action: 'unsuppress', alarmId: 'gas-1/lel_l1', actor: schedule })).toMatchObject({ ok: false, refusal: 'not-applicable', state: 'out-of-service' });
    expect(h.engine.command({ action: 'return-to-service', alarmId: 'gas-1/lel_l1', actor: alice }).ok).toBe(true);
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
    // activated while suppressed: no latch from that; it latches now that it annunciates
    expect(h.engine.get('gas-1/lel_l1')?.latchPending).toBe(true);
  });
});

describe('AlarmEngine: delays and lost values', () => {
  it('persists the start of an on-delay without a journal entry, and clears it when the spike is over', () => {
    const h = started(['gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25, onDelayMs: 3_000 }]);
    h.read('gas-1', 'lel', 30);
    expect(h.journal).toHaveLength(0);
    expect(h.states.get('gas-1/lel_l1')).toMatchObject({ state: 'normal', conditionActive: false, pendingSince: FAKE_CLOCK_START });
    h.advance(1_000);
    h.read('gas-1', 'lel', 10);
    expect(h.states.get('gas-1/lel_l1')?.pendingSince).toBeNull();
    h.advance(5_000);
    expect(h.journal).toHaveLength(0);
  });

  it('a comm-fault holds an active alarm and cancels its off-delay; it keeps a running on-delay', () => {
    const h = started(['gas-1/a', { kind: 'high', point: 'lel', setpoint: 25, offDelayMs: 2_000 }], ['gas-1/b', { kind: 'high', point: 'lel', setpoint: 50, onDelayMs: 2_000 }]);
    h.read('gas-1', 'lel', 55); // a activates, b's on-delay starts
    h.advance(1_000);
    h.read('gas-1', 'lel', 10); // a's off-delay starts, b's on-delay is cancelled
    h.read('gas-1', 'lel', 55); // a's off-delay cancelled, b's on-delay restarts
    h.advance(500);
    h.read('gas-1', 'lel', 20); // a's off-delay starts again
    h.read('gas-1', 'lel', null, 'comm-fault'); // …and is cancelled: the value is unknown
    h.advance(60_000);
    expect(h.state('gas-1/a')).toBe('unacknowledged');
    expect(h.state('gas-1/b')).toBe('normal');

    const h2 = started(['gas-1/b', { kind: 'high', point: 'lel', setpoint: 50, onDelayMs: 2_000 }]);
    h2.read('gas-1', 'lel', 55);
    h2.advance(1_000);
    h2.read('gas-1', 'lel', null, 'comm-fault');
    h2.advance(1_000);
    expect(h2.state('gas-1/b')).toBe('unacknowledged'); // the last known value was over the set point
  });

  it('a stale alarm activates when no reading comes, by the timer alone', () => {
    const h = started(['gas-1/stale', { kind: 'stale', point: 'lel', afterMs: 30_000, class: 'fault' }]);
    h.read('gas-1', 'lel', 3);
    h.advance(29_900);
    expect(h.state('gas-1/stale')).toBe('normal');
    h.advance(100);
    expect(h.state('gas-1/stale')).toBe('unacknowledged');
    h.read('gas-1', 'lel', 3);
    expect(h.state('gas-1/stale')).toBe('rtn-unacknowledged');
    h.advance(30_000);
    expect(h.events('gas-1/stale')).toEqual(['alarm.activated normal→unacknowledged', 'alarm.cleared unacknowledged→rtn-unacknowledged', 'alarm.activated rtn-unacknowledged→unacknowledged']);
  });
});

describe('AlarmEngine: votes', () => {
  const detectors = ['gas-1', 'gas-2', 'gas-3'].map((d) => [`${d}/lel_l2`, { kind: 'high', point: 'lel', setpoint: 50 }] as Parameters<typeof alarm>);
  const vote = ['site/valve_2oo3', { kind: 'vote', k: 2, of: ['gas-1/lel_l2', 'gas-2/lel_l2', 'gas-3/lel_l2'], description: 'Close the gas valve: 2 of 3 detectors' }] as Parameters<typeof alarm>;

  it('activates when 2 of 3 conditions are active, and tells the condition listeners', () => {
    const h = started(...detectors, vote);
    const conditions: string[] = [];
    h.engine.onCondition((id, active) => conditions.push(`${id}=${active}`));
    h.read('gas-1', 'lel', 55);
    expect(h.state('site/valve_2oo3')).toBe('normal');
    h.read('gas-2', 'lel', 60);
    expect(h.state('site/valve_2oo3')).toBe('unacknowledged');
    expect(conditions).toEqual(['gas-1/lel_l2=true', 'gas-2/lel_l2=true', 'site/valve_2oo3=true']);
    expect(h.journal.at(-1)?.event.message).toBe('Close the gas valve: 2 of 3 detectors (site/valve_2oo3) activated: 2 of 3 tripped (gas-1/lel_l2, gas-2/lel_l2); 2 of 3 needed; now active and unacknowledged');
    expect(h.engine.get('site/valve_2oo3')).toMatchObject({ value: 2, setpoint: 2 });
  });

  it('counts a detector in fault as tripped, but not one that has not answered yet', () => {
    const h = started(...detectors, vote);
    h.read('gas-1', 'lel', 55);
    h.read('gas-2', 'lel', 3);
    expect(h.state('site/valve_2oo3')).toBe('normal'); // gas-3 has not been read yet
    h.read('gas-3', 'lel', null, 'comm-fault');
    expect(h.state('site/valve_2oo3')).toBe('unacknowledged');
    h.read('gas-3', 'lel', 2);
    expect(h.state('site/valve_2oo3')).toBe('rtn-unacknowledged');
  });

  it('with faultCounts false a detector in fault does not count', () => {
    const h = started(...detectors, ['site/v', { kind: 'vote', k: 2, of: ['gas-1/lel_l2', 'gas-2/lel_l2', 'gas-3/lel_l2'], faultCounts: false }]);
    h.read('gas-1', 'lel', 55);
    h.read('gas-3', 'lel', null, 'comm-fault');
    expect(h.state('site/v')).toBe('normal');
  });
});

describe('AlarmEngine: ISA-18.2 KPIs', () => {
  it('reports a chattering alarm once, and a flood when it starts and ends', () => {
    const many = Array.from({ length: 12 }, (_, i) => [`gas-${i}/l1`, { kind: 'high', point: 'lel', setpoint: 25 }] as Parameters<typeof alarm>);
    const h = started(...many);
    for (let n = 0; n < 4; n++) {
      h.read('gas-0', 'lel', 30);
      h.read('gas-0', 'lel', 10);
      h.advance(10_000);
    }
    expect(h.events('kpi')).toEqual(['alarm.chattering']);
    expect(h.journal.find((e) => e.subject === 'kpi')?.event).toMatchObject({ severity: 'warning', device: 'gas-0', message: 'gas-0/l1 (gas-0/l1) is chattering: 3 activations within 20 s (ISA-18.2: review its deadband and delays)' });
    for (let i = 1; i < 12; i++) h.read(`gas-${i}`, 'lel', 30);
    expect(h.events('kpi')).toEqual(['alarm.chattering', 'alarm.flood']);
    // 15 activations; the flood is over once the last 11 have left the 10-minute window
    h.advance(10 * 60_000 - 100);
    expect(h.events('kpi')).toEqual(['alarm.chattering', 'alarm.flood']);
    h.advance(100);
    expect(h.events('kpi')).toEqual(['alarm.chattering', 'alarm.flood', 'alarm.flood-ended']);
    expect(h.journal.at(-1)?.event).toMatchObject({ severity: 'info', data: { total: 15, peak: 15 } });
  });
});

describe('AlarmEngine: the alarm path', () => {
  it('ignores readings of points without alarms and persists nothing when nothing changes', () => {
    const h = started(['gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25 }]);
    h.read('gas-1', 'temperature', 80);
    h.read('gas-7', 'lel', 80);
    for (let i = 0; i < 100; i++) h.read('gas-1', 'lel', 10 + (i % 5));
    expect(h.persistCalls).toBe(0);
  });

  it('a throwing listener does not stop the others or the engine', () => {
    const h = started(['gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25 }]);
    const seen: string[] = [];
    h.engine.onTransition(() => {
      throw new Error('annunciator bug');
    });
    h.engine.onTransition((t) => seen.push(t.to));
    h.read('gas-1', 'lel', 30);
    expect(seen).toEqual(['unacknowledged']);
    expect(h.engine.failed()).toBe(false);
  });
});
