import { ALARM_STATES, type PersistedAlarmState } from '../../rules/model.js';
import type { JournalEntry, JournalQuery } from './store.js';
import { checkEvents } from './validate.js';

/**
 * Argument checks for the alarm journal and alarm state (commitAlarms, readJournal), run on
 * the calling thread before anything is written — a TypeError/RangeError names the index,
 * the alarm id and the field, as validate.ts does for readings and events. A state is
 * checked deeply: a value JSON cannot hold (a bigint, a function, a Date, a cycle) is the
 * caller's bug and must be refused here, not half-written or turned into a STORE_IO fault.
 */

const STATES: ReadonlySet<string> = new Set(ALARM_STATES);

/** A value in an error message; never throws (JSON.stringify does on a bigint or a cycle). */
function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return String(v); // NaN, not JSON's null
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'function' || typeof v === 'symbol') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

export function checkJournalEntries(entries: readonly JournalEntry[]): void {
  if (!Array.isArray(entries)) throw new TypeError(`store: journal entries must be an array, got ${show(entries)}`);
  entries.forEach((e: Partial<JournalEntry> | null, i) => {
    if (typeof e !== 'object' || e === null) {
      throw new TypeError(`store: journal entry at index ${i} must be an object {subject, event}, got ${show(e)}`);
    }
    if (typeof e.subject !== 'string' || e.subject.trim() === '') {
      throw new TypeError(`store: journal entry at index ${i} needs a subject (a non-empty string), got ${show(e.subject)}`);
    }
    if (typeof e.event !== 'object' || e.event === null) {
      throw new TypeError(`store: journal entry ${JSON.stringify(e.subject)} at index ${i} has no event, got ${show(e.event)}`);
    }
  });
  checkEvents(entries.map((e) => e.event));
}

function isNullableFinite(v: unknown): boolean {
  return v === null || (typeof v === 'number' && Number.isFinite(v));
}

export function checkAlarmStates(states: readonly PersistedAlarmState[]): void {
  if (!Array.isArray(states)) throw new TypeError(`store: alarm states must be an array, got ${show(states)}`);
  states.forEach((s: Partial<PersistedAlarmState> | null, i) => {
    if (typeof s !== 'object' || s === null) throw new TypeError(`store: alarm state at index ${i} must be an object, got ${show(s)}`);
    if (typeof s.id !== 'string' || s.id.trim() === '') {
      throw new TypeError(`store: alarm state at index ${i} needs an id (a non-empty string), got ${show(s.id)}`);
    }
    const where = `store: alarm state ${JSON.stringify(s.id)} (index ${i})`;
    const bad = (field: string, expected: string, value: unknown): never => {
      throw new TypeError(`${where}: ${field} must be ${expected}, got ${show(value)}`);
    };
    if (typeof s.state !== 'string' || !STATES.has(s.state)) bad('state', `one of ${ALARM_STATES.join(', ')}`, s.state);
    if (typeof s.conditionActive !== 'boolean') bad('conditionActive', 'a boolean', s.conditionActive);
    if (typeof s.latchPending !== 'boolean') bad('latchPending', 'a boolean', s.latchPending);
    if (!isNullableFinite(s.pendingSince)) bad('pendingSince', 'a finite number or null', s.pendingSince);
    if (!isNullableFinite(s.shelvedUntil)) bad('shelvedUntil', 'a finite number or null', s.shelvedUntil);
    if (typeof s.updatedTs !== 'number' || !Number.isFinite(s.updatedTs)) bad('updatedTs', 'a finite number', s.updatedTs);
    if (s.occurrence !== null && (typeof s.occurrence !== 'object' || Array.isArray(s.occurrence))) {
      bad('occurrence', 'an object or null', s.occurrence);
    }
    const problem = unstorable(s, '', new Set());
    if (problem) throw new TypeError(`${where}: ${problem}, which cannot be stored`);
  });
}

/**
 * The first value under `value` that a JSON round trip would not give back (alarm-codec.ts
 * keeps NaN, ±Infinity and -0), as "<path> is a <what>"; null when everything is storable.
 * An undefined object property is fine (an optional field: it stays absent after reading back).
 */
function unstorable(value: unknown, path: string, seen: Set<object>): string | null {
  const at = path === '' ? 'the state' : path.replace(/^\./, '');
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return null;
    case 'object':
      break;
    default:
      return `${at} is a ${typeof value}`;
  }
  if (value === null) return null;
  if (seen.has(value)) return `${at} refers back to itself`;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    seen.add(value);
    for (let i = 0; i < value.length; i++) {
      if (value[i] === undefined) return `${at}[${i}] is undefined`;
      const p = unstorable(value[i], `${path}[${i}]`, seen);
      if (p) return p;
    }
  } else if (proto === Object.prototype || proto === null) {
    seen.add(value);
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const p = unstorable(v, `${path}.${k}`, seen);
      if (p) return p;
    }
  } else {
    return `${at} is a ${(value as object).constructor?.name ?? 'non-plain object'}`;
  }
  seen.delete(value); // the same object twice (not a cycle) is fine
  return null;
}

export function checkJournalQuery(query: JournalQuery): void {
  if (typeof query !== 'object' || query === null) {
    throw new TypeError(`store: journal query must be an object {subject?, beforeSeq?, limit}, got ${show(query)}`);
  }
  const { subject, beforeSeq, limit } = query;
  if (subject !== undefined && (typeof subject !== 'string' || subject.trim() === '')) {
    throw new TypeError(`store: journal query subject must be a non-empty string, got ${show(subject)}`);
  }
  if (beforeSeq !== undefined && (!Number.isSafeInteger(beforeSeq) || beforeSeq < 0)) {
    throw new RangeError(`store: journal query beforeSeq must be an integer >= 0, got ${show(beforeSeq)}`);
  }
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`store: journal query limit must be an integer >= 0, got ${show(limit)}`);
  }
}
