import type { Clock } from '../../gateway/clock/clock.js';
import type { EventSeverity, JournalEntry } from '../../gateway/store/store.js';
import type { Actor } from '../model.js';
import { INTERLOCK_STATES, type InterlockState } from './types.js';

/**
 * The interlock's journal: every state change is one entry under "interlock:<name>", and each
 * entry carries the state it left the interlock in (data.state). So the last entry per subject
 * is enough to restore an interlock after a restart or a power cut (Store.readJournal({subject,
 * limit: 1})) — no separate state table.
 */

export const interlockSubject = (name: string): string => `interlock:${name}`;

export const INTERLOCK_EVENT_TYPES = [
  'interlock.tripped', // a trigger activated (or a restart re-asserts a tripped interlock): actions issued
  'interlock.confirmed', // every action confirmed (also after a failure: the fault has cleared)
  'interlock.failed', // not confirmed after every retry: the interlock's own fault (故障)
  'interlock.reset', // a person released it
  'interlock.bypassed', // a person took it out of service for maintenance
  'interlock.bypass-removed',
  'interlock.trip-blocked', // a trigger activated while bypassed: nothing was done
  'interlock.release-failed', // a reset could not switch back an action configured to be released
] as const;
export type InterlockEventType = (typeof INTERLOCK_EVENT_TYPES)[number];

const SEVERITY: Record<InterlockEventType, EventSeverity> = {
  'interlock.tripped': 'alarm',
  'interlock.confirmed': 'info',
  'interlock.failed': 'fault',
  'interlock.reset': 'info',
  'interlock.bypassed': 'warning',
  'interlock.bypass-removed': 'info',
  // The safety function did not act; deliberate (a person bypassed it) but it must stand out.
  'interlock.trip-blocked': 'warning',
  'interlock.release-failed': 'warning',
};

export function interlockEntry(
  clock: Clock,
  name: string,
  type: InterlockEventType,
  state: InterlockState,
  message: string,
  data: Record<string, unknown> = {},
): JournalEntry {
  return {
    subject: interlockSubject(name),
    event: {
      type,
      severity: SEVERITY[type],
      ts: clock.now(),
      clockTrusted: clock.isTrusted(),
      message,
      data: { interlock: name, state, ...data },
    },
  };
}

/** What a journal entry says about the interlock's state when it was written. */
export interface RestoredInterlock {
  state: InterlockState;
  trippedBy: string | null;
  trippedTs: number | null;
  bypassedBy: Actor | null;
}

const STATE_AFTER: Record<InterlockEventType, InterlockState> = {
  'interlock.tripped': 'tripping',
  'interlock.confirmed': 'tripped',
  'interlock.failed': 'failed',
  'interlock.reset': 'ready',
  'interlock.bypassed': 'bypassed',
  'interlock.bypass-removed': 'ready',
  'interlock.trip-blocked': 'bypassed',
  'interlock.release-failed': 'ready',
};

/**
 * The state an entry records: data.state, else the state its type implies. An entry that says
 * neither (a newer version's type, a damaged row) restores as 'tripped' — fail safe: the
 * actions are re-asserted and a person must reset it, rather than an interlock silently re-armed.
 */
export function restoredFrom(entry: JournalEntry): RestoredInterlock {
  const data = entry.event.data ?? {};
  const recorded = data['state'];
  const byType = (STATE_AFTER as Record<string, InterlockState | undefined>)[entry.event.type];
  const state: InterlockState = isState(recorded) ? recorded : (byType ?? 'tripped');
  const tripped = state === 'tripping' || state === 'tripped' || state === 'failed';
  const trippedBy = typeof data['trippedBy'] === 'string' ? data['trippedBy'] : null;
  const trippedTs = typeof data['trippedTs'] === 'number' ? data['trippedTs'] : null;
  return {
    state,
    trippedBy: tripped ? trippedBy : null,
    trippedTs: tripped ? trippedTs : null,
    bypassedBy: state === 'bypassed' && isActor(data['actor']) ? data['actor'] : null,
  };
}

function isState(v: unknown): v is InterlockState {
  return typeof v === 'string' && (INTERLOCK_STATES as readonly string[]).includes(v);
}

function isActor(v: unknown): v is Actor {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string';
}
