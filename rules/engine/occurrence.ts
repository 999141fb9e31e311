import type { PointValue } from '../../gateway/readings.js';
import type { AlarmDef } from '../definitions/schema.js';
import type { Actor, AlarmEvent, AlarmState, Occurrence } from '../model.js';

/**
 * One occurrence of an alarm — what a hazard ledger needs to close the loop (发现 detected →
 * 处置 acknowledged and handled → 复核 cleared → 销号 closed). It opens when the condition
 * activates with no occurrence open, and closes when the alarm returns to normal. A
 * re-activation before that (from rtn-unacknowledged or latched) continues the same
 * occurrence: nobody has closed it yet.
 */

export function openOccurrence(alarmId: string, ts: number, value: PointValue | undefined): Occurrence {
  const occ: Occurrence = { id: `${alarmId}@${ts}`, detectedTs: ts, notes: [] };
  if (value !== undefined) {
    occ.firstValue = value;
    occ.peakValue = value;
  }
  return occ;
}

/** Which way is "worse" for the peak: the highest value for high alarms, the lowest for low ones. */
export type PeakDirection = 'max' | 'min' | null;

export function peakDirection(def: AlarmDef): PeakDirection {
  switch (def.kind) {
    case 'high':
    case 'vote':
      return 'max';
    case 'low':
      return 'min';
    case 'rate':
      return def.direction === 'fall' ? 'min' : def.direction === 'rise' ? 'max' : null;
    default:
      return null; // a status or fault alarm has no "worse" value
  }
}

/** A reading while the condition is active: keep the worst value seen. Cheap: on the alarm path. */
export function notePeak(occ: Occurrence, direction: PeakDirection, value: PointValue): void {
  if (direction === null || typeof value !== 'number' || !Number.isFinite(value)) return;
  const peak = occ.peakValue;
  if (typeof peak !== 'number' || (direction === 'max' ? value > peak : value < peak)) occ.peakValue = value;
}

export function addNote(occ: Occurrence, ts: number, by: Actor, text: string | undefined): void {
  if (text !== undefined && text.trim() !== '') occ.notes.push({ ts, by, text });
}

/** A copy that later updates to the live occurrence cannot change (journal entries, snapshots). */
export function copyOccurrence(occ: Occurrence | null): Occurrence | null {
  return occ ? { ...occ, notes: occ.notes.map((n) => ({ ...n, by: { ...n.by } })) } : null;
}

/**
 * The occurrence side of a transition: a person's acknowledgement (a reset from
 * rtn-unacknowledged acknowledges too) and handling note; closed when the alarm is back to normal.
 */
export function recordTransition(occ: Occurrence, t: { event: AlarmEvent; from: AlarmState; to: AlarmState; actor: Actor; note: string | undefined; now: number }): void {
  if (t.event !== 'activate' && t.event !== 'clear') {
    if (t.event === 'acknowledge' || (t.event === 'reset' && t.from === 'rtn-unacknowledged')) {
      occ.acknowledgedTs = t.now;
      occ.acknowledgedBy = { ...t.actor };
    }
    addNote(occ, t.now, t.actor, t.note);
  }
  if (t.to === 'normal') {
    occ.closedTs = t.now;
    occ.closedBy = { ...t.actor };
  }
}
