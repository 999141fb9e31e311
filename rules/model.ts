import type { PointValue } from '../gateway/readings.js';
import type { AlarmClass, AlarmDef, Priority } from './definitions/schema.js';

/**
 * The alarm engine's shared vocabulary: every module in rules/ (state machine, conditions,
 * engine, annunciator, interlocks, schedules), the store's alarm journal and the API speak
 * these types. Keep them stable: the persisted state and the journal are read back after an
 * upgrade, and the event payload is a cloud interface (docs/alarms.md).
 */

/**
 * ISA-18.2 / IEC 62682 alarm states (standards.md §6), plus `latched`:
 * - normal: no condition, nothing to do;
 * - unacknowledged: active, nobody has acknowledged it yet;
 * - acknowledged: active, acknowledged;
 * - rtn-unacknowledged: the condition went away before anyone acknowledged it;
 * - latched: a latching alarm whose condition has gone and which has been acknowledged, waiting
 *   for a person to reset it (OPC UA Part 9 LatchedState; GB/T 50493, GB 16808, GB 14287);
 * - shelved: an operator hid it for a while (expires);
 * - suppressed: suppressed by design (a maintenance window, a schedule);
 * - out-of-service: removed from service for maintenance.
 */
export const ALARM_STATES = ['normal', 'unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched', 'shelved', 'suppressed', 'out-of-service'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];

/** What can happen to an alarm. Each (state, event) pair has one cell in the transition table. */
export const ALARM_EVENTS = [
  'activate', // the condition became present (after its on-delay)
  'clear', // the condition went away (after its off-delay)
  'acknowledge',
  'reset', // a person resets a latched alarm; refused while the condition is present
  'shelve',
  'unshelve', // by a person, or the shelve expired
  'suppress',
  'unsuppress',
  'remove-from-service',
  'return-to-service',
] as const;
export type AlarmEvent = (typeof ALARM_EVENTS)[number];

/** Who or what caused a transition — the journal must say (issue 3; the hazard ledger's 发现/处置/销号). */
export interface Actor {
  kind: 'sensor' | 'button' | 'api' | 'cloud' | 'schedule' | 'system';
  /** The user (api, cloud), the input (button), the schedule name, or the device (sensor). */
  name?: string;
}

/** An alarm with its definition fully resolved (profile default + site override). */
export interface ResolvedAlarm {
  /** "<device>/<alarm>" for device alarms, "site/<alarm>" for site-level ones. Stable: it keys persisted state. */
  id: string;
  device?: string;
  def: AlarmDef;
}

/**
 * One occurrence of an alarm, from activation to its return to normal: what a hazard ledger
 * needs to close the loop (发现 detected → 处置 acknowledged/handled → 复核 cleared → 销号 reset/closed).
 */
export interface Occurrence {
  /** Unique per occurrence: "<alarm id>@<activation wall ms>". */
  id: string;
  detectedTs: number;
  /** The value that activated it, and the worst value seen while active (highest for high alarms). */
  firstValue?: PointValue;
  peakValue?: PointValue;
  acknowledgedTs?: number;
  acknowledgedBy?: Actor;
  /** Handling notes, in order (from acknowledge/reset/shelve commands). */
  notes: { ts: number; by: Actor; text: string }[];
  clearedTs?: number;
  closedTs?: number;
  closedBy?: Actor;
}

/** Per-alarm state that must survive a restart or a power cut (persisted by the store). */
export interface PersistedAlarmState {
  id: string;
  state: AlarmState;
  /** The condition as last evaluated (after delays). */
  conditionActive: boolean;
  /**
   * A latching alarm has been active since its last reset: it may not return to normal
   * without a reset, even via shelve/suppress/out-of-service and back.
   */
  latchPending: boolean;
  /**
   * Wall ms when the condition was first seen and its on-delay began (null: not pending). After a
   * restart the delay counts from here, so a crash loop cannot hide an alarm behind its on-delay.
   */
  pendingSince: number | null;
  /** For shelved: wall ms when the shelve expires (null: until unshelved). */
  shelvedUntil: number | null;
  occurrence: Occurrence | null;
  /** Wall ms of the last change. */
  updatedTs: number;
}

/** One state change, as journaled and forwarded (the event's data). */
export interface AlarmTransition {
  alarmId: string;
  device?: string;
  point?: string;
  name: string;
  description: string;
  priority: Priority;
  colour: 'red' | 'orange' | 'yellow' | 'blue';
  class: AlarmClass;
  event: AlarmEvent;
  from: AlarmState;
  to: AlarmState;
  actor: Actor;
  ts: number;
  clockTrusted: boolean;
  /** The point's value when it happened (sensor events), and the set point it was judged against. */
  value?: PointValue;
  setpoint?: number;
  note?: string;
  occurrence: Occurrence | null;
}

/** A command from a person (button, API, cloud) or a schedule. */
export type AlarmCommand =
  | { action: 'acknowledge'; alarmId: string; actor: Actor; note?: string }
  | { action: 'reset'; alarmId: string; actor: Actor; note?: string }
  | { action: 'shelve'; alarmId: string; actor: Actor; durationMs: number; note?: string }
  | { action: 'unshelve'; alarmId: string; actor: Actor; note?: string }
  | { action: 'suppress'; alarmId: string; actor: Actor; note?: string }
  | { action: 'unsuppress'; alarmId: string; actor: Actor; note?: string }
  | { action: 'remove-from-service'; alarmId: string; actor: Actor; note?: string }
  | { action: 'return-to-service'; alarmId: string; actor: Actor; note?: string };

export type CommandRefusal =
  | 'unknown-alarm'
  | 'condition-present' // reset while the condition is still there
  | 'not-applicable'; // e.g. acknowledge an alarm that is normal

export type CommandResult =
  | { ok: true; transition: AlarmTransition }
  | { ok: false; refusal: CommandRefusal; message: string; state?: AlarmState };

/** What the API lists and the annunciator and interlocks look at. */
export interface AlarmSnapshot {
  id: string;
  device?: string;
  point?: string;
  name: string;
  description: string;
  kind: AlarmDef['kind'];
  priority: Priority;
  colour: 'red' | 'orange' | 'yellow' | 'blue';
  class: AlarmClass;
  latch: boolean;
  state: AlarmState;
  conditionActive: boolean;
  latchPending: boolean;
  /** The alarm calls for attention: unacknowledged, rtn-unacknowledged, acknowledged or latched. */
  annunciating: boolean;
  setpoint?: number;
  value?: PointValue;
  shelvedUntil: number | null;
  occurrence: Occurrence | null;
}
