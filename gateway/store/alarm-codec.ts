import type { PersistedAlarmState } from '../../rules/model.js';
import { decodeRow } from './codec.js';
import type { StoredJournalEntry } from './store.js';

/**
 * How the alarm journal and the alarm state are stored, shared by the SQLite and memory
 * stores so both hand back the same values.
 *
 * A journal entry keeps its event as the outbox payload text (codec.ts encodeEvent), so the
 * journal says exactly what the cloud was sent under the same seq.
 */

/** One journal row, as the alarm_journal table and the memory store hold it. */
export interface JournalRow {
  seq: number;
  subject: string;
  ts: number;
  /** The event's outbox payload (codec.ts). */
  event: string;
}

export function decodeJournalRow(row: JournalRow): StoredJournalEntry {
  const item = decodeRow({ seq: row.seq, stream: 'event', ts: row.ts, payload: row.event, bytes: 0 });
  if (item.stream !== 'event') throw new Error('unreachable: a journal row decodes as an event');
  return { subject: row.subject, seq: row.seq, event: item.event };
}

// A state's numbers go through JSON, which has no NaN, ±Infinity or -0 (an occurrence's
// firstValue/peakValue can be any PointValue). As in codec.ts they are written as
// {"num":"NaN"} …; no field of PersistedAlarmState is an object with a lone "num" key, so
// the tag cannot be confused with real data. validate-alarms.ts has refused anything else
// JSON cannot carry, so encoding cannot throw.
const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity', '-0']);

function replacer(_key: string, value: unknown): unknown {
  if (typeof value !== 'number' || (Number.isFinite(value) && !Object.is(value, -0))) return value;
  return { num: Object.is(value, -0) ? '-0' : String(value) };
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  const num = (value as { num?: unknown }).num;
  if (keys.length !== 1 || typeof num !== 'string' || !SPECIAL.has(num)) return value;
  return num === '-0' ? -0 : Number(num);
}

export function encodeAlarmState(state: PersistedAlarmState): string {
  return JSON.stringify(state, replacer);
}

export function decodeAlarmState(text: string): PersistedAlarmState {
  return JSON.parse(text, reviver) as PersistedAlarmState;
}
