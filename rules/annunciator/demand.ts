import type { OutputConfig } from '../../gateway/config/safety-schema.js';
import type { AlarmClass, Priority } from '../definitions/schema.js';
import type { AlarmState } from '../model.js';
import { CLASS_PATTERNS, higherClass } from './patterns.js';

/**
 * Which alarm class an output should be announcing, from the alarms' states — pure functions,
 * table-tested. ISA-18.2 / IEC 62682 (standards.md §6): an alarm calls for attention while it is
 * unacknowledged, acknowledged-but-active, returned-unacknowledged or latched; shelved, suppressed
 * and out-of-service alarms do not reach the operator, so they drive no output.
 */
export interface AnnunciatedAlarm {
  id: string;
  class: AlarmClass;
  priority: Priority;
  state: AlarmState;
}

/** Lamps and strobes show these. */
export const LAMP_STATES: ReadonlySet<AlarmState> = new Set<AlarmState>(['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched']);

/** Sounders sound for these: nobody has acknowledged the alarm yet (GB 16808 §1.4: acknowledge or silence stops the sound). */
export const SOUNDER_STATES: ReadonlySet<AlarmState> = new Set<AlarmState>(['unacknowledged', 'rtn-unacknowledged']);

const PRIORITY_RANK: Record<Priority, number> = { critical: 4, high: 3, medium: 2, low: 1 };

/** Classes an output covers when its config does not list them: every hazard, not process alarms. */
export const DEFAULT_CLASSES: readonly AlarmClass[] = ['fire', 'gas', 'electrical-fire', 'fault'];

/** Does this output announce this alarm (by its class list and minimum priority)? */
export function covers(output: Pick<OutputConfig, 'classes' | 'minPriority'>, alarm: Pick<AnnunciatedAlarm, 'class' | 'priority'>): boolean {
  const classes = output.classes ?? DEFAULT_CLASSES;
  if (!classes.includes(alarm.class)) return false;
  return PRIORITY_RANK[alarm.priority] >= PRIORITY_RANK[output.minPriority ?? 'low'];
}

/** The class a strobe or lamp should show, or null for dark. */
export function lampDemand(output: OutputConfig, alarms: Iterable<AnnunciatedAlarm>): AlarmClass | null {
  let top: AlarmClass | null = null;
  for (const a of alarms) {
    if (LAMP_STATES.has(a.state) && covers(output, a)) top = higherClass(top, a.class);
  }
  return top;
}

/**
 * The class a sounder should sound, or null for quiet. A silenced sounder is quiet until a new
 * activation re-arms it (the annunciator tracks that). Classes without a sounder pattern
 * (process) never sound, and do not mask a class that does.
 */
export function sounderDemand(output: OutputConfig, alarms: Iterable<AnnunciatedAlarm>, silenced: boolean): AlarmClass | null {
  if (silenced) return null;
  let top: AlarmClass | null = null;
  for (const a of alarms) {
    if (SOUNDER_STATES.has(a.state) && CLASS_PATTERNS[a.class].sounder !== null && covers(output, a)) top = higherClass(top, a.class);
  }
  return top;
}
