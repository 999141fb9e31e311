import type { Logger } from 'pino';
import type { Clock } from '../../gateway/clock/clock.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import type { Actor, AlarmEvent, AlarmTransition, CommandRefusal, PersistedAlarmState } from '../model.js';
import { isMasked, transition } from '../state-machine/transition-table.js';
import type { AlarmInstance } from './alarm-instance.js';
import { buildTransition, describeActor, journalEntry } from './journal.js';
import type { Listeners } from './listeners.js';
import { recordTransition } from './occurrence.js';

export interface ApplyOptions {
  note?: string;
  shelveMs?: number;
  /** The vote count, for a vote's message. */
  votes?: string;
  /** The shelve ran out (actor system). */
  expired?: boolean;
  /** The time already read on this turn of the alarm path. */
  at?: { now: number; trusted: boolean; mono: number };
}

export type ApplyResult = { ok: true; transition: AlarmTransition | null } | { ok: false; refusal: CommandRefusal; message: string };

export interface ApplierDeps {
  clock: Clock;
  logger: Logger;
  /** Never throws (the engine wraps the runtime's callback). */
  persist: (entries: JournalEntry[], states: PersistedAlarmState[]) => void;
  listeners: Listeners<[AlarmTransition]>;
  /** The shelve of `inst` expires at this monotonic time. */
  scheduleShelve: (inst: AlarmInstance, dueMono: number) => void;
  /** An annunciated activation (for the ISA-18.2 KPIs). */
  onActivation: (inst: AlarmInstance, at: { now: number; trusted: boolean; mono: number }) => void;
}

/**
 * Applies one event to one alarm through the transition table and does everything that
 * follows — state, shelve expiry, occurrence, journal entry, persisted state, listeners, KPIs.
 * The only place an alarm's state changes.
 */
export class TransitionApplier {
  constructor(private readonly deps: ApplierDeps) {}

  apply(inst: AlarmInstance, event: AlarmEvent, actor: Actor, opts: ApplyOptions = {}): ApplyResult {
    const { clock } = this.deps;
    const at = opts.at ?? { now: clock.now(), trusted: clock.isTrusted(), mono: clock.monotonic() };
    const { now, mono } = at;
    const sensor = event === 'activate' || event === 'clear';
    // A reset is accepted only once the value is known to be back below the set point: not
    // while the raw condition is back inside its on-delay, nor while the value is unknown
    // (standards.md §1.1, "What the gateway must do").
    const unknown = event === 'reset' && inst.raw === 'unknown';
    const present = event === 'reset' ? inst.conditionActive || inst.onDelayRunning || inst.raw === true || unknown : inst.conditionActive;
    const outcome = transition({ state: inst.state, latchPending: inst.latchPending }, event, { latch: inst.def.latch, conditionActive: present });
    if (!outcome.ok) {
      const why =
        outcome.refusal === 'condition-present' && unknown && !inst.conditionActive && !inst.onDelayRunning
          ? `the value of ${inst.point ?? inst.id} is not known (no reading since start, or the device does not answer); a reset is accepted once it is known to be back below the set point`
          : outcome.message;
      // Say what the gateway sees, so the person at the panel knows why (value and set point).
      const setpoint = 'setpoint' in inst.def ? ` (set point ${inst.def.setpoint}${inst.unit ? ` ${inst.unit}` : ''})` : '';
      const seen = outcome.refusal === 'condition-present' && inst.value !== undefined && inst.value !== null ? `; value now ${String(inst.value)}${inst.unit ? ` ${inst.unit}` : ''}${setpoint}` : '';
      return { ok: false, refusal: outcome.refusal, message: `${inst.id}: ${why}${seen}` };
    }

    const from = inst.state;
    const to = outcome.to;
    const latchBefore = inst.latchPending;
    inst.state = to;
    inst.latchPending = outcome.latchPending;
    if (from === 'shelved' && to !== 'shelved') {
      inst.shelvedUntil = null;
      inst.shelveDue = null;
    }
    if (event === 'shelve' && opts.shelveMs !== undefined) {
      inst.shelvedUntil = now + opts.shelveMs;
      this.deps.scheduleShelve(inst, mono + opts.shelveMs);
    }
    if (inst.occurrence !== null) recordTransition(inst.occurrence, { event, from, to, actor, note: opts.note, now });
    inst.updatedTs = now;

    // A sensor event that changes nothing visible (it cannot normally happen) is not journaled;
    // condition changes while shelved, suppressed or out of service are (the record is complete).
    const journaled = !sensor || from !== to || isMasked(to);
    let t: AlarmTransition | null = null;
    const entries: JournalEntry[] = [];
    if (journaled) {
      t = buildTransition(inst, { event, from, to, actor, ts: now, clockTrusted: at.trusted, ...(opts.note !== undefined ? { note: opts.note } : {}) });
      entries.push(journalEntry(inst, t, { shelvedUntil: inst.shelvedUntil, expired: opts.expired === true, ...(opts.votes !== undefined ? { votes: opts.votes } : {}) }));
    }
    if (to === 'normal') inst.occurrence = null; // closed: the transition carries its last version
    if (journaled || sensor || latchBefore !== inst.latchPending) this.deps.persist(entries, [inst.persisted()]);
    if (t) {
      this.deps.logger.info({ alarm: inst.id, event, from, to, actor: describeActor(actor) }, entries[0]?.event.message);
      this.deps.listeners.emit(t);
    }
    if (event === 'activate' && to === 'unacknowledged' && from !== 'unacknowledged') this.deps.onActivation(inst, at);
    return { ok: true, transition: t };
  }
}
