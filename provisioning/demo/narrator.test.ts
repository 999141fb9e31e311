import { describe, expect, it } from 'vitest';
import { alarm, interlock, TS } from '../../gateway/api/testing/alarm-fixtures.js';
import type { InterlockStatus } from '../../rules/interlocks/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';
import { DemoCommands } from './demo-commands.js';
import { Narrator } from './narrator.js';
import { clockTime, type SafetyView } from './safety-view.js';

const API = 'http://127.0.0.1:8080';
const AUTH = '/run/demo/api-auth.header';
const CONTROL = 'http://127.0.0.1:8081';
const T = clockTime(TS);

function look(alarms: AlarmSnapshot[], interlocks: InterlockStatus[] = [interlock({ name: 'close-gas-valve' })]): SafetyView {
  return { nowMs: TS, alarms, units: { 'gas-1/gas_lel': '%LEL' }, mode: 'normal', failsafeReason: null, outputs: [], interlocks, valve: { device: 'valve-1', state: 'closed' } };
}

const narrator = (): Narrator => new Narrator(new DemoCommands(API, AUTH, CONTROL), 'valve-1');
const gasHigh = (over: Partial<AlarmSnapshot>): AlarmSnapshot =>
  alarm({ id: 'gas-1/gas_high', point: 'gas_lel', description: 'Combustible gas first-level alarm', value: 26.2, ...over });

describe('the demo narrator', () => {
  it('announces an alarm going off, and the first time says how to acknowledge and silence', () => {
    const n = narrator();
    expect(n.next(look([]))).toEqual([]);
    expect(n.next(look([gasHigh({ state: 'unacknowledged' })]))).toEqual([
      `${T}  ▲ gas-1/gas_high high/orange: Combustible gas first-level alarm (26.2 %LEL)`,
      `          acknowledge all:  curl -s -X POST ${API}/api/alarms/acknowledge-all -H @${AUTH}`,
      `          silence sounders: curl -s -X POST ${API}/api/silence -H @${AUTH}`,
    ]);
    // still active: nothing new
    expect(n.next(look([gasHigh({ state: 'unacknowledged', value: 40 })]))).toEqual([]);
    // a second alarm: announced, without repeating the commands
    const highHigh = alarm({ id: 'gas-1/gas_high_high', point: 'gas_lel', priority: 'critical', description: 'second level', state: 'unacknowledged', value: 50.4 });
    expect(n.next(look([gasHigh({ state: 'unacknowledged' }), highHigh]))).toEqual([`${T}  ▲ gas-1/gas_high_high critical/red: second level (50.4 %LEL)`]);
  });

  it('tells, once, that a latched alarm waits for a person, with the reset command', () => {
    const n = narrator();
    n.next(look([]));
    n.next(look([gasHigh({ state: 'unacknowledged' })]));
    const gone = gasHigh({ state: 'rtn-unacknowledged', conditionActive: false, latchPending: true, value: 3 });
    expect(n.next(look([gone]))).toEqual([
      `${T}  condition gone, latched until a person resets it: gas-1/gas_high`,
      `          curl -s -X POST ${API}/api/alarms/gas-1/gas_high/reset -H @${AUTH}`,
    ]);
    expect(n.next(look([gone]))).toEqual([]);
    // acknowledged meanwhile: still the same wait, no new hint
    expect(n.next(look([gasHigh({ state: 'latched', conditionActive: false, latchPending: true, value: 3 })]))).toEqual([]);
  });

  it('tells again after a reset and a new leak; alarms that latch together share one hint', () => {
    const n = narrator();
    n.next(look([]));
    const waiting = (id: string): AlarmSnapshot => alarm({ id, state: 'latched', conditionActive: false, latchPending: true });
    expect(n.next(look([waiting('gas-1/gas_high'), waiting('gas-1/detector_alarm')]))).toEqual([
      `${T}  condition gone, latched until a person resets them: gas-1/gas_high, gas-1/detector_alarm`,
      `          curl -s -X POST ${API}/api/alarms/gas-1/gas_high/reset -H @${AUTH}`,
      `          curl -s -X POST ${API}/api/alarms/gas-1/detector_alarm/reset -H @${AUTH}`,
    ]);
    n.next(look([])); // reset: back to normal
    n.next(look([gasHigh({ state: 'unacknowledged' })]));
    expect(n.next(look([waiting('gas-1/gas_high')]))).toHaveLength(2);
  });

  it('follows the interlock: tripped, confirmed (with the reset and the valve by hand), reset', () => {
    const n = narrator();
    n.next(look([]));
    const tripping = interlock({ name: 'close-gas-valve', description: 'Close the gas valve', state: 'tripping', trippedBy: 'gas-1/gas_high_high' });
    expect(n.next(look([], [tripping]))).toEqual([`${T}  ⚠ interlock close-gas-valve tripped by gas-1/gas_high_high: Close the gas valve`]);
    const tripped: InterlockStatus = {
      ...tripping,
      state: 'tripped',
      lastTiming: { interlock: 'close-gas-valve', trigger: 'gas-1/gas_high_high', trippedAt: 500, issuedAt: 500, confirmedAt: 2_800, attempts: 1 },
    };
    expect(n.next(look([], [tripped]))).toEqual([
      `${T}  ✔ interlock close-gas-valve confirmed in 2.3 s — valve-1's limit switch reports closed. It stays tripped; once the gas is gone, reset it: curl -s -X POST ${API}/api/interlocks/close-gas-valve/reset -H @${AUTH}`,
      `          a reset re-arms it and stops the fan, but never reopens the valve — that is done by hand on site; on the rig: curl -s -X PUT ${CONTROL}/devices/valve-1/points/close_command -H 'content-type: application/json' -d '{"value": false}'`,
    ]);
    expect(n.next(look([], [tripped]))).toEqual([]);
    expect(n.next(look([], [interlock({ name: 'close-gas-valve' })]))).toEqual([`${T}  interlock close-gas-valve reset: armed again; the fan stops, the valve is not reopened (valve-1 closed)`]);
  });

  it('says loudly when the interlock could not be confirmed, and does not call a later success a new trip', () => {
    const n = narrator();
    n.next(look([]));
    const failed = interlock({ name: 'close-gas-valve', description: 'Close the gas valve', state: 'failed', trippedBy: 'gas-1/gas_high_high', lastError: 'feedback valve-1/closed_feedback did not show true within 5000 ms (last: false)' });
    expect(n.next(look([], [failed]))).toEqual([
      `${T}  ⚠ interlock close-gas-valve tripped by gas-1/gas_high_high: Close the gas valve`,
      `${T}  ✖ interlock close-gas-valve FAILED: feedback valve-1/closed_feedback did not show true within 5000 ms (last: false) (valve-1 closed). The gateway retries every few seconds and raises the fault alarm interlock/close-gas-valve.`,
    ]);
    const lines = n.next(look([], [{ ...failed, state: 'tripped', lastError: null }]));
    expect(lines[0]).toMatch(/✔ interlock close-gas-valve confirmed/);
    expect(lines.some((l) => l.includes('⚠'))).toBe(false);
  });

  it('at start, says what was restored from the last run: latched alarms and an interlock never reset', () => {
    const n = narrator();
    const restoredTrip = interlock({ name: 'close-gas-valve', description: 'Close the gas valve', state: 'tripping', trippedBy: 'gas-1/gas_high_high', trippedTs: TS - 60_000 });
    expect(n.next(look([gasHigh({ state: 'latched', conditionActive: false, latchPending: true })], [restoredTrip]))).toEqual([
      `${T}  condition gone, latched until a person resets it (restored from the last run): gas-1/gas_high`,
      `          curl -s -X POST ${API}/api/alarms/gas-1/gas_high/reset -H @${AUTH}`,
      `${T}  ⚠ interlock close-gas-valve tripped by gas-1/gas_high_high at ${clockTime(TS - 60_000)}, never reset — restored from the last run, its actions issued again: Close the gas valve`,
    ]);
  });
});
