import { describe, expect, it } from 'vitest';
import { ALARM_EVENTS, ALARM_STATES, type AlarmEvent, type AlarmState } from '../model.js';
import { TRANSITIONS, isAnnunciating, isMasked, transition, type MachineState, type TransitionContext } from './transition-table.js';

/**
 * Every (state, event) cell, against an expected outcome written out by hand. The cell list is
 * generated from ALARM_STATES × ALARM_EVENTS, so a state or event added to rules/model.ts without
 * a row here fails, and so does any cell whose outcome changes.
 *
 * Notation: a state name = accepted, latchPending false afterwards; "<state> +latch" = accepted,
 * latchPending true; "refused: <refusal>" = refused.
 */
type Expected = `${AlarmState}` | `${AlarmState} +latch` | 'refused: not-applicable' | 'refused: condition-present';

/** The context each state is normally in: the condition as it is in that state, no latch (except latched). */
const TYPICAL: Record<AlarmState, MachineState & TransitionContext> = {
  normal: { state: 'normal', latchPending: false, latch: false, conditionActive: false },
  unacknowledged: { state: 'unacknowledged', latchPending: false, latch: false, conditionActive: true },
  acknowledged: { state: 'acknowledged', latchPending: false, latch: false, conditionActive: true },
  'rtn-unacknowledged': { state: 'rtn-unacknowledged', latchPending: false, latch: false, conditionActive: false },
  latched: { state: 'latched', latchPending: true, latch: true, conditionActive: false },
  shelved: { state: 'shelved', latchPending: false, latch: false, conditionActive: false },
  suppressed: { state: 'suppressed', latchPending: false, latch: false, conditionActive: false },
  'out-of-service': { state: 'out-of-service', latchPending: false, latch: false, conditionActive: false },
};

const NA = 'refused: not-applicable' as const;
const PRESENT = 'refused: condition-present' as const;

const EXPECTED: Record<AlarmState, Record<AlarmEvent, Expected>> = {
  normal: {
    activate: 'unacknowledged',
    clear: 'normal',
    acknowledge: NA,
    reset: NA,
    shelve: 'shelved',
    unshelve: NA,
    suppress: 'suppressed',
    unsuppress: NA,
    'remove-from-service': 'out-of-service',
    'return-to-service': NA,
  },
  unacknowledged: {
    activate: 'unacknowledged',
    clear: 'rtn-unacknowledged',
    acknowledge: 'acknowledged',
    reset: PRESENT,
    shelve: 'shelved',
    unshelve: NA,
    suppress: 'suppressed',
    unsuppress: NA,
    'remove-from-service': 'out-of-service',
    'return-to-service': NA,
  },
  acknowledged: {
    activate: 'acknowledged',
    clear: 'normal',
    acknowledge: NA,
    reset: PRESENT,
    shelve: 'shelved',
    unshelve: NA,
    suppress: 'suppressed',
    unsuppress: NA,
    'remove-from-service': 'out-of-service',
    'return-to-service': NA,
  },
  'rtn-unacknowledged': {
    activate: 'unacknowledged',
    clear: 'rtn-unacknowledged',
    acknowledge: 'normal',
    reset: 'normal',
    shelve: 'shelved',
    unshelve: NA,
    suppress: 'suppressed',
    unsuppress: NA,
    'remove-from-service': 'out-of-service',
    'return-to-service': NA,
  },
  latched: {
    activate: 'unacknowledged +latch',
    clear: 'latched +latch',
    acknowledge: NA,
    reset: 'normal',
    shelve: 'shelved +latch',
    unshelve: NA,
    suppress: 'suppressed +latch',
    unsuppress: NA,
    'remove-from-service': 'out-of-service +latch',
    'return-to-service': NA,
  },
  shelved: {
    activate: 'shelved',
    clear: 'shelved',
    acknowledge: NA,
    reset: NA,
    shelve: 'shelved',
    unshelve: 'normal',
    suppress: 'suppressed',
    unsuppress: NA,
    'remove-from-service': 'out-of-service',
    'return-to-service': NA,
  },
  suppressed: {
    activate: 'suppressed',
    clear: 'suppressed',
    acknowledge: NA,
    reset: NA,
    shelve: NA,
    unshelve: NA,
    suppress: NA,
    unsuppress: 'normal',
    'remove-from-service': 'out-of-service',
    'return-to-service': NA,
  },
  'out-of-service': {
    activate: 'out-of-service',
    clear: 'out-of-service',
    acknowledge: NA,
    reset: NA,
    shelve: NA,
    unshelve: NA,
    suppress: NA,
    unsuppress: NA,
    'remove-from-service': NA,
    'return-to-service': 'normal',
  },
};

function render(state: MachineState, event: AlarmEvent, ctx: TransitionContext): string {
  const r = transition(state, event, ctx);
  if (!r.ok) return `refused: ${r.refusal}`;
  return r.latchPending ? `${r.to} +latch` : r.to;
}

const cells = ALARM_STATES.flatMap((state) => ALARM_EVENTS.map((event) => [state, event] as const));

describe('the alarm transition table', () => {
  it('has exactly one cell per (state, event) and nothing else', () => {
    expect(cells).toHaveLength(ALARM_STATES.length * ALARM_EVENTS.length);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ALARM_STATES].sort());
    for (const state of ALARM_STATES) expect(Object.keys(TRANSITIONS[state]).sort()).toEqual([...ALARM_EVENTS].sort());
  });

  it.each(cells)('%s --%s-->', (state, event) => {
    const t = TYPICAL[state];
    expect(render(t, event, t)).toBe(EXPECTED[state][event]);
  });

  it('every refusal says why in words', () => {
    for (const [state, event] of cells) {
      const t = TYPICAL[state];
      const r = transition(t, event, t);
      if (!r.ok) expect(r.message, `${state} --${event}-->`).toMatch(/^the alarm .{10,}/);
    }
  });
});

/** The cells whose outcome depends on the latch, the pending latch or the condition. */
const VARIANTS: [AlarmState, AlarmEvent, Partial<MachineState & TransitionContext>, Expected, string][] = [
  ['normal', 'activate', { latch: true }, 'unacknowledged +latch', 'a latching alarm sets its latch on activation'],
  ['unacknowledged', 'clear', { latch: true, latchPending: true }, 'rtn-unacknowledged +latch', 'the latch survives the condition clearing'],
  ['unacknowledged', 'acknowledge', { latch: true, latchPending: true }, 'acknowledged +latch', 'acknowledging does not release a latch'],
  ['unacknowledged', 'reset', { conditionActive: false }, NA, 'an unacknowledged alarm is acknowledged, not reset'],
  ['acknowledged', 'clear', { latch: true, latchPending: true }, 'latched +latch', 'GB/T 50493 §5: a latching alarm stays until reset'],
  ['acknowledged', 'clear', { latch: true, latchPending: false }, 'latched +latch', 'the definition latches even if the persisted latch flag was not set'],
  ['acknowledged', 'reset', { conditionActive: false }, NA, 'an active alarm returns by itself'],
  ['rtn-unacknowledged', 'acknowledge', { latch: true, latchPending: true }, 'latched +latch', 'acknowledged after clearing: waits for a reset'],
  ['rtn-unacknowledged', 'reset', { latch: true, latchPending: true }, 'normal', 'reset acknowledges and resets in one step'],
  ['rtn-unacknowledged', 'reset', { latch: true, latchPending: true, conditionActive: true }, PRESENT, 'the gas is back (on-delay running): no reset'],
  ['rtn-unacknowledged', 'activate', { latch: true, latchPending: true }, 'unacknowledged +latch', 're-activation keeps the latch'],
  ['latched', 'reset', { conditionActive: true }, PRESENT, 'GB/T 50493: a reset is refused while the condition is present'],
  ['shelved', 'activate', { latch: true }, 'shelved +latch', 'a shelved latching alarm that activates must be reset afterwards'],
  ['shelved', 'clear', { latch: true, latchPending: true }, 'shelved +latch', 'clearing while shelved keeps the latch'],
  ['suppressed', 'activate', { latch: true }, 'suppressed', 'suppressed by design: not in use, no latch'],
  ['out-of-service', 'activate', { latch: true }, 'out-of-service', 'out of service: not in use, no latch'],
  ['shelved', 'unshelve', { conditionActive: true }, 'unacknowledged', 'unshelving an alarm whose condition is present annunciates it'],
  ['shelved', 'unshelve', { conditionActive: true, latch: true }, 'unacknowledged +latch', 'and sets the latch of a latching alarm'],
  ['shelved', 'unshelve', { latch: true, latchPending: true }, 'latched +latch', 'a latched alarm cannot lose its latch by being shelved and unshelved'],
  ['suppressed', 'unsuppress', { conditionActive: true }, 'unacknowledged', 'unsuppress with the condition present annunciates'],
  ['suppressed', 'unsuppress', { latch: true, latchPending: true }, 'latched +latch', 'unsuppress keeps a pending latch'],
  ['out-of-service', 'return-to-service', { conditionActive: true }, 'unacknowledged', 'return to service with the condition present annunciates'],
  ['out-of-service', 'return-to-service', { latch: true, latchPending: true }, 'latched +latch', 'return to service keeps a pending latch'],
  ['unacknowledged', 'shelve', { latch: true, latchPending: true }, 'shelved +latch', 'shelving keeps the latch'],
  ['acknowledged', 'remove-from-service', { latch: true, latchPending: true }, 'out-of-service +latch', 'removing from service keeps the latch'],
];

describe('cells that depend on the latch and the condition', () => {
  it.each(VARIANTS)('%s --%s--> with %o is %s (%s)', (state, event, overrides, expected) => {
    const ctx = { ...TYPICAL[state], ...overrides };
    expect(render(ctx, event, ctx)).toBe(expected);
  });
});

describe('state classes', () => {
  it('annunciating and masked states are what the annunciator and the API expect', () => {
    expect(ALARM_STATES.filter(isAnnunciating)).toEqual(['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched']);
    expect(ALARM_STATES.filter(isMasked)).toEqual(['shelved', 'suppressed', 'out-of-service']);
  });
});
