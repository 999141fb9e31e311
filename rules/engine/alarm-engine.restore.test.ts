import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeClock, FAKE_CLOCK_START } from '../../gateway/clock/fake-clock.js';
import type { Actor, PersistedAlarmState } from '../model.js';
import { EngineHarness, alarm } from './testing/harness.js';

/** After a restart or a power cut the alarms are exactly as persisted (issue 3). */

const alice: Actor = { kind: 'api', name: 'alice' };
const L1 = alarm('gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25, deadband: 2, latch: true });
const DELAYED = alarm('gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25, onDelayMs: 10_000 });

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('AlarmEngine restore', () => {
  it('a latched alarm is still latched after a restart, and its reset waits for a reading below the set point', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.read('gas-1', 'lel', 60);
    h.engine.command({ action: 'acknowledge', alarmId: 'gas-1/lel_l1', actor: alice, note: 'evacuated' });
    h.read('gas-1', 'lel', 5);
    expect(h.state('gas-1/lel_l1')).toBe('latched');

    h.restart(30_000);
    expect(h.engine.get('gas-1/lel_l1')).toMatchObject({ state: 'latched', latchPending: true, annunciating: true, occurrence: { firstValue: 60, notes: [{ text: 'evacuated' }] } });
    expect(h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: alice })).toMatchObject({ ok: false, refusal: 'condition-present' });
    h.read('gas-1', 'lel', 4);
    expect(h.engine.command({ action: 'reset', alarmId: 'gas-1/lel_l1', actor: alice }).ok).toBe(true);
  });

  it('an unacknowledged alarm comes back unacknowledged, and clears by the first reading after the restart', () => {
    const h = new EngineHarness([alarm('gas-1/lel_l1', { kind: 'high', point: 'lel', setpoint: 25 })]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.restart(5_000);
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
    h.read('gas-1', 'lel', 3);
    expect(h.events()).toEqual(['alarm.activated normal→unacknowledged', 'alarm.cleared unacknowledged→rtn-unacknowledged']);
  });

  it('a value inside the deadband keeps a restored active condition active', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.restart();
    h.read('gas-1', 'lel', 24); // below the set point, within the 2 %LEL deadband
    expect(h.engine.get('gas-1/lel_l1')?.conditionActive).toBe(true);
  });

  it('an on-delay counts from its persisted start: a restart cannot hide an alarm', () => {
    const h = new EngineHarness([DELAYED]);
    h.engine.start();
    h.read('gas-1', 'lel', 30); // on-delay starts at 0
    h.advance(4_000);
    h.restart(2_000); // back at 6 s
    h.read('gas-1', 'lel', 30);
    h.advance(3_900);
    expect(h.state('gas-1/lel_l1')).toBe('normal');
    h.advance(100); // 10 s after the gas first appeared, not 10 s after the restart
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
  });

  it('the resumed on-delay does not depend on the monotonic clock, which starts again after a reboot', () => {
    const before = new EngineHarness([DELAYED], { clock: new FakeClock({ monotonic: 5_000_000 }) });
    before.engine.start();
    before.read('gas-1', 'lel', 30);
    const after = new EngineHarness([DELAYED], { clock: new FakeClock({ wall: before.clock.now() + 4_000, monotonic: 0 }), restored: [...before.states.values()] });
    after.engine.start();
    after.read('gas-1', 'lel', 30);
    after.advance(5_900);
    expect(after.state('gas-1/lel_l1')).toBe('normal');
    after.advance(100);
    expect(after.state('gas-1/lel_l1')).toBe('unacknowledged');
  });

  it('a delay that ran out while the gateway was down activates at the first reading', () => {
    const h = new EngineHarness([DELAYED]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.restart(60_000);
    h.read('gas-1', 'lel', 30);
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
  });

  it.each([
    ['the wall clock is not trusted after the restart', (c: FakeClock) => c.setTrusted(false)],
    ['the wall clock went back (now < pendingSince)', (c: FakeClock) => c.jumpWall(-3_600_000)],
  ])('no remaining on-delay when %s: fail safe', (_why, spoil) => {
    const h = new EngineHarness([DELAYED]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.advance(1_000);
    spoil(h.clock);
    h.restart(1_000);
    h.read('gas-1', 'lel', 30);
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
  });

  it('a device that does not answer after the restart does not cancel the persisted on-delay', () => {
    const h = new EngineHarness([DELAYED]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.restart(2_000);
    h.read('gas-1', 'lel', null, 'comm-fault');
    h.advance(8_000);
    expect(h.state('gas-1/lel_l1')).toBe('unacknowledged');
  });

  it('the gas gone at the first reading after the restart cancels the persisted on-delay', () => {
    const h = new EngineHarness([DELAYED]);
    h.engine.start();
    h.read('gas-1', 'lel', 30);
    h.restart(2_000);
    h.read('gas-1', 'lel', 3);
    expect(h.states.get('gas-1/lel_l1')?.pendingSince).toBeNull();
    h.advance(60_000);
    expect(h.state('gas-1/lel_l1')).toBe('normal');
  });

  it('a shelve that expired during the downtime expires at start (actor system); one still running keeps its expiry', () => {
    const h = new EngineHarness([L1, alarm('gas-2/lel_l1', { kind: 'high', point: 'lel', setpoint: 25 })]);
    h.engine.start();
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/lel_l1', actor: alice, durationMs: 60_000 });
    h.engine.command({ action: 'shelve', alarmId: 'gas-2/lel_l1', actor: alice, durationMs: 600_000 });
    h.restart(120_000);
    expect(h.state('gas-1/lel_l1')).toBe('normal');
    expect(h.transitions.at(-1)).toMatchObject({ alarmId: 'gas-1/lel_l1', event: 'unshelve', actor: { kind: 'system' }, ts: FAKE_CLOCK_START + 120_000 });
    expect(h.engine.get('gas-2/lel_l1')).toMatchObject({ state: 'shelved', shelvedUntil: FAKE_CLOCK_START + 600_000 });
    h.advance(479_900);
    expect(h.state('gas-2/lel_l1')).toBe('shelved');
    h.advance(100);
    expect(h.state('gas-2/lel_l1')).toBe('normal');
  });

  it('a shelve ends at start when the wall clock is not trusted (the downtime is unknown)', () => {
    const h = new EngineHarness([L1]);
    h.engine.start();
    h.engine.command({ action: 'shelve', alarmId: 'gas-1/lel_l1', actor: alice, durationMs: 600_000 });
    h.clock.setTrusted(false);
    h.restart(1_000);
    expect(h.state('gas-1/lel_l1')).toBe('normal');
  });

  it('ignores persisted states of alarms no longer configured, with a log line; new alarms start normal', () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) }));
    const gone: PersistedAlarmState = { id: 'gas-9/old', state: 'latched', conditionActive: false, latchPending: true, pendingSince: null, shelvedUntil: null, occurrence: null, updatedTs: 1 };
    const h = new EngineHarness([L1], { restored: [gone], logger });
    h.engine.start();
    expect(h.engine.snapshot().map((s) => [s.id, s.state])).toEqual([['gas-1/lel_l1', 'normal']]);
    expect(lines.join('')).toMatch(/"alarm":"gas-9\/old".*persisted state of an alarm that is no longer configured; ignored/);
  });
});
