import type { AlarmEvent, AlarmState, CommandRefusal } from '../model.js';

/**
 * The ISA-18.2 / IEC 62682 alarm state machine (standards.md §6, OPC UA Part 9 §4.8), with the
 * latching the Chinese gas and fire standards require (GB/T 50493-2019 §5, GB 16808, GB 14287):
 * ONE table, one cell per (state, event), as data. Every cell is tested
 * (transition-table.test.ts); the engine never decides a state anywhere else.
 *
 * Decisions the standards leave open, made here and documented in docs/alarms.md:
 * - `ctx.conditionActive` is the alarm's condition when the event is applied. For `reset` the
 *   engine passes "present" also while the raw condition is there but still inside its on-delay,
 *   or unknown (no value): a reset is accepted only once the value is known to be back below the
 *   set point (standards.md §1.1 "What the gateway must do").
 * - latched + condition present cannot normally exist (an activation moves latched →
 *   unacknowledged), but the cell still refuses a reset with `condition-present` — it is the
 *   case above (raw condition back, on-delay still running).
 * - reset on rtn-unacknowledged acknowledges and resets in one step → normal (what a panel's
 *   reset key does); reset on an active alarm is refused while its condition is present.
 * - Precedence of the masking states: out-of-service > suppressed > shelved. Shelving a
 *   suppressed or out-of-service alarm is not applicable; suppressing a shelved alarm replaces the
 *   shelve (a maintenance window must not be undone by an operator's shelve expiring inside it);
 *   removing any alarm from service is allowed. Re-shelving a shelved alarm is allowed (the engine
 *   sets the new expiry).
 * - While shelved, suppressed or out of service, activate/clear keep the state; the engine tracks
 *   the condition so the return (unshelve, unsuppress, return-to-service) lands right:
 *   unacknowledged if the condition is present, latched if a latch is pending, else normal.
 * - A latching alarm that activates while SHELVED sets its latch (the operator hid the
 *   annunciation, not the hazard: after the shelve it must be reset). While suppressed by design
 *   or out of service it does not (the alarm is not in use: calibrating a detector with test gas
 *   must not leave it latched). A latch set before the masking is kept through it: a latched
 *   alarm cannot lose its latch by being shelved and unshelved.
 * - latchPending becomes true when a latching alarm activates, false on reset and whenever the
 *   alarm returns to normal.
 */

export interface MachineState {
  state: AlarmState;
  latchPending: boolean;
}

export interface TransitionContext {
  /** The alarm's definition latches. */
  latch: boolean;
  /** The condition is present (see the notes above for what the engine passes for `reset`). */
  conditionActive: boolean;
}

export type TransitionOutcome =
  | { ok: true; to: AlarmState; latchPending: boolean }
  | { ok: false; refusal: CommandRefusal; message: string };

type Cell = (current: MachineState, ctx: TransitionContext) => TransitionOutcome;

const go = (to: AlarmState, latchPending: boolean): TransitionOutcome => ({ ok: true, to, latchPending });
const refuse = (refusal: CommandRefusal, message: string): Cell => () => ({ ok: false, refusal, message });

/** The alarm stays where it is (a sensor event that changes nothing visible). */
const stay: Cell = (s) => go(s.state, s.latchPending);
/** Stay, but a latching alarm's activation sets its latch (shelved, and the active states). */
const stayAndLatch: Cell = (s, ctx) => go(s.state, s.latchPending || ctx.latch);
/** A new activation annunciates; a latching alarm's latch is set. */
const annunciate: Cell = (s, ctx) => go('unacknowledged', s.latchPending || ctx.latch);
/** The condition is gone and nobody needs to act, unless a latch holds it for a reset. */
const returnOrLatch: Cell = (s, ctx) => (s.latchPending || ctx.latch ? go('latched', true) : go('normal', false));
/** Leaving shelved/suppressed/out-of-service: where the alarm would be had it not been masked. */
const unmask: Cell = (s, ctx) =>
  ctx.conditionActive ? go('unacknowledged', s.latchPending || ctx.latch) : s.latchPending ? go('latched', true) : go('normal', false);
/** Enter a masking state, keeping the latch. */
const mask =
  (to: AlarmState): Cell =>
  (s) =>
    go(to, s.latchPending);
const refuseResetWhilePresent =
  (otherwise: Cell): Cell =>
  (s, ctx) =>
    ctx.conditionActive ? { ok: false, refusal: 'condition-present', message: 'the alarm condition is still present; reset is accepted once the value is back below the set point' } : otherwise(s, ctx);
const resetToNormal: Cell = () => go('normal', false);

const NOT_ACTIVE = refuse('not-applicable', 'the alarm is not active: there is nothing to acknowledge');
const ALREADY_ACKNOWLEDGED = refuse('not-applicable', 'the alarm is already acknowledged');
const NOTHING_TO_RESET = refuse('not-applicable', 'the alarm is normal: there is nothing to reset');
const NOT_SHELVED = refuse('not-applicable', 'the alarm is not shelved');
const NOT_SUPPRESSED = refuse('not-applicable', 'the alarm is not suppressed');
const IN_SERVICE = refuse('not-applicable', 'the alarm is in service');
const MASKED = (what: string): Cell => refuse('not-applicable', `the alarm is ${what}: ${what === 'shelved' ? 'unshelve' : what === 'suppressed' ? 'unsuppress' : 'return'} it first`);

/** Masking states: the same answer to the person-facing events in each. */
function maskedRow(what: 'shelved' | 'suppressed' | 'out of service', own: Partial<Record<AlarmEvent, Cell>>): Record<AlarmEvent, Cell> {
  return {
    activate: what === 'shelved' ? stayAndLatch : stay,
    clear: stay,
    acknowledge: MASKED(what),
    reset: MASKED(what),
    shelve: MASKED(what),
    unshelve: NOT_SHELVED,
    suppress: mask('suppressed'),
    unsuppress: NOT_SUPPRESSED,
    'remove-from-service': mask('out-of-service'),
    'return-to-service': IN_SERVICE,
    ...own,
  };
}

/** The table: state → event → cell. Exported as data so docs and tests can walk it. */
export const TRANSITIONS: Readonly<Record<AlarmState, Readonly<Record<AlarmEvent, Cell>>>> = {
  normal: {
    activate: annunciate,
    clear: stay,
    acknowledge: NOT_ACTIVE,
    reset: NOTHING_TO_RESET,
    shelve: mask('shelved'),
    unshelve: NOT_SHELVED,
    suppress: mask('suppressed'),
    unsuppress: NOT_SUPPRESSED,
    'remove-from-service': mask('out-of-service'),
    'return-to-service': IN_SERVICE,
  },
  unacknowledged: {
    activate: stayAndLatch,
    clear: (s) => go('rtn-unacknowledged', s.latchPending),
    acknowledge: (s) => go('acknowledged', s.latchPending),
    reset: refuseResetWhilePresent(refuse('not-applicable', 'the alarm is active and unacknowledged: acknowledge it')),
    shelve: mask('shelved'),
    unshelve: NOT_SHELVED,
    suppress: mask('suppressed'),
    unsuppress: NOT_SUPPRESSED,
    'remove-from-service': mask('out-of-service'),
    'return-to-service': IN_SERVICE,
  },
  acknowledged: {
    activate: stayAndLatch,
    clear: returnOrLatch,
    acknowledge: ALREADY_ACKNOWLEDGED,
    reset: refuseResetWhilePresent(refuse('not-applicable', 'the alarm is active: it returns by itself once the condition has gone')),
    shelve: mask('shelved'),
    unshelve: NOT_SHELVED,
    suppress: mask('suppressed'),
    unsuppress: NOT_SUPPRESSED,
    'remove-from-service': mask('out-of-service'),
    'return-to-service': IN_SERVICE,
  },
  'rtn-unacknowledged': {
    activate: annunciate,
    clear: stay,
    acknowledge: returnOrLatch,
    reset: refuseResetWhilePresent(resetToNormal),
    shelve: mask('shelved'),
    unshelve: NOT_SHELVED,
    suppress: mask('suppressed'),
    unsuppress: NOT_SUPPRESSED,
    'remove-from-service': mask('out-of-service'),
    'return-to-service': IN_SERVICE,
  },
  latched: {
    activate: annunciate,
    clear: stay,
    acknowledge: refuse('not-applicable', 'the alarm is already acknowledged and waits for a reset'),
    reset: refuseResetWhilePresent(resetToNormal),
    shelve: mask('shelved'),
    unshelve: NOT_SHELVED,
    suppress: mask('suppressed'),
    unsuppress: NOT_SUPPRESSED,
    'remove-from-service': mask('out-of-service'),
    'return-to-service': IN_SERVICE,
  },
  // Re-shelving extends (or shortens) the shelve: the engine sets the new expiry.
  shelved: maskedRow('shelved', { shelve: mask('shelved'), unshelve: unmask }),
  suppressed: maskedRow('suppressed', { suppress: refuse('not-applicable', 'the alarm is already suppressed'), unsuppress: unmask }),
  'out-of-service': maskedRow('out of service', {
    suppress: refuse('not-applicable', 'the alarm is out of service, which takes precedence over suppression'),
    'remove-from-service': refuse('not-applicable', 'the alarm is already out of service'),
    'return-to-service': unmask,
  }),
};

/** Apply one event. Pure: the engine owns the state and the side effects. */
export function transition(current: MachineState, event: AlarmEvent, ctx: TransitionContext): TransitionOutcome {
  return TRANSITIONS[current.state][event](current, ctx);
}

/** The states in which an alarm calls for a person's attention. */
export function isAnnunciating(state: AlarmState): boolean {
  return state === 'unacknowledged' || state === 'acknowledged' || state === 'rtn-unacknowledged' || state === 'latched';
}

/** The states in which the alarm is hidden from annunciation (its condition is still evaluated). */
export function isMasked(state: AlarmState): boolean {
  return state === 'shelved' || state === 'suppressed' || state === 'out-of-service';
}
