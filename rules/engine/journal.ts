import type { PointValue } from '../../gateway/readings.js';
import type { EventSeverity, JournalEntry } from '../../gateway/store/store.js';
import type { Actor, AlarmEvent, AlarmState, AlarmTransition } from '../model.js';
import { isMasked } from '../state-machine/transition-table.js';
import type { AlarmInstance } from './alarm-instance.js';
import { copyOccurrence } from './occurrence.js';

/**
 * Transitions as the journal and the cloud see them: one AlarmTransition (the event's data) and
 * one GatewayEvent with a sentence a person on duty can read. The event types are a cloud
 * interface (docs/alarms.md): do not rename them.
 */
export const ALARM_EVENT_TYPES: Readonly<Record<AlarmEvent, string>> = {
  activate: 'alarm.activated',
  clear: 'alarm.cleared',
  acknowledge: 'alarm.acknowledged',
  reset: 'alarm.reset',
  shelve: 'alarm.shelved',
  unshelve: 'alarm.unshelved',
  suppress: 'alarm.suppressed',
  unsuppress: 'alarm.unsuppressed',
  'remove-from-service': 'alarm.removed-from-service',
  'return-to-service': 'alarm.returned-to-service',
};

const STATE_WORDS: Readonly<Record<AlarmState, string>> = {
  normal: 'normal',
  unacknowledged: 'active and unacknowledged',
  acknowledged: 'active and acknowledged',
  'rtn-unacknowledged': 'back to normal but unacknowledged',
  latched: 'latched until reset',
  shelved: 'shelved',
  suppressed: 'suppressed',
  'out-of-service': 'out of service',
};

/** What each command did, in words (journal messages, API replies). */
export const COMMAND_WORDS: Readonly<Record<Exclude<AlarmEvent, 'activate' | 'clear'>, string>> = {
  acknowledge: 'acknowledged',
  reset: 'reset',
  shelve: 'shelved',
  unshelve: 'unshelved',
  suppress: 'suppressed',
  unsuppress: 'unsuppressed',
  'remove-from-service': 'removed from service',
  'return-to-service': 'returned to service',
};

export interface TransitionFacts {
  event: AlarmEvent;
  from: AlarmState;
  to: AlarmState;
  actor: Actor;
  ts: number;
  clockTrusted: boolean;
  note?: string;
}

export function buildTransition(inst: AlarmInstance, f: TransitionFacts): AlarmTransition {
  const d = inst.def;
  const t: AlarmTransition = {
    alarmId: inst.id,
    name: d.name,
    description: d.description,
    priority: d.priority,
    colour: inst.colour,
    class: d.class,
    event: f.event,
    from: f.from,
    to: f.to,
    actor: { ...f.actor },
    ts: f.ts,
    clockTrusted: f.clockTrusted,
    occurrence: copyOccurrence(inst.occurrence),
  };
  if (inst.device !== undefined) t.device = inst.device;
  if (inst.point !== undefined) t.point = inst.point;
  if (inst.value !== undefined && (f.event === 'activate' || f.event === 'clear')) t.value = inst.value;
  if (inst.setpoint !== undefined) t.setpoint = inst.setpoint;
  if (f.note !== undefined && f.note.trim() !== '') t.note = f.note;
  return t;
}

/** Activation of a fire, gas, electrical-fire or process alarm is an alarm; of a fault alarm, a fault (故障报警). */
export function severityOf(t: AlarmTransition): EventSeverity {
  if (t.event !== 'activate') return 'info';
  return t.class === 'fault' ? 'fault' : 'alarm';
}

export function journalEntry(inst: AlarmInstance, t: AlarmTransition, detail: { shelvedUntil?: number | null; expired?: boolean; votes?: string }): JournalEntry {
  const event: JournalEntry['event'] = {
    type: ALARM_EVENT_TYPES[t.event],
    severity: severityOf(t),
    ts: t.ts,
    clockTrusted: t.clockTrusted,
    message: describeTransition(inst, t, detail),
    data: t as unknown as Record<string, unknown>,
  };
  if (t.device !== undefined) event.device = t.device;
  if (t.point !== undefined) event.point = t.point;
  return { subject: inst.id, event };
}

/** "Combustible gas 1st level (gas-1/lel_high) activated: 27.5 %LEL reached set point 25 %LEL". */
export function describeTransition(inst: AlarmInstance, t: AlarmTransition, detail: { shelvedUntil?: number | null; expired?: boolean; votes?: string }): string {
  const label = `${inst.def.description} (${inst.id})`;
  let text: string;
  if (t.event === 'activate' || t.event === 'clear') {
    text = `${label} ${t.event === 'activate' ? 'activated' : 'cleared'}: ${describeCondition(inst, t.event === 'activate', detail.votes)}`;
    if (isMasked(t.to)) text += ` (while ${STATE_WORDS[t.to]}: not annunciated)`;
    else if (t.from !== t.to) text += `; now ${STATE_WORDS[t.to]}`;
  } else if (t.event === 'unshelve' && detail.expired) {
    text = `${label} unshelved: the shelve expired; now ${STATE_WORDS[t.to]}`;
  } else {
    text = `${label} ${COMMAND_WORDS[t.event]} by ${describeActor(t.actor)}`;
    if (t.event === 'shelve' && detail.shelvedUntil != null) text += ` until ${new Date(detail.shelvedUntil).toISOString()}`;
    text += `; now ${STATE_WORDS[t.to]}`;
  }
  if (t.note !== undefined) text += ` — note: ${t.note}`;
  return text;
}

export function describeActor(a: Actor): string {
  return a.name !== undefined && a.name !== '' ? `${a.name} (${a.kind})` : a.kind;
}

function describeCondition(inst: AlarmInstance, active: boolean, votes: string | undefined): string {
  const d = inst.def;
  const v = formatValue(inst.value, inst.unit);
  switch (d.kind) {
    case 'high':
      return active ? `${v} reached set point ${formatValue(d.setpoint, inst.unit)}` : `${v}, below set point ${formatValue(d.setpoint, inst.unit)} by more than the deadband ${d.deadband}`;
    case 'low':
      return active ? `${v} reached low set point ${formatValue(d.setpoint, inst.unit)}` : `${v}, above set point ${formatValue(d.setpoint, inst.unit)} by more than the deadband ${d.deadband}`;
    case 'rate':
      return `${d.point} ${active ? 'changes faster' : 'no longer changes faster'} than ${d.perMinute}${inst.unit ? ` ${inst.unit}` : ''} per minute (now ${v})`;
    case 'state':
      return `${d.point} is ${v}`;
    case 'stale':
      return active ? `no new reading of ${d.point} for ${d.afterMs / 1000} s` : `${d.point} is read again`;
    case 'quality':
      return `${d.point} quality is ${inst.quality ?? 'unknown'}`;
    case 'communication':
      return active ? 'the device does not answer' : 'the device answers again';
    case 'vote':
      return `${votes ?? '?'}; ${d.k} of ${d.of.length} needed`;
  }
}

function formatValue(value: PointValue | undefined, unit: string | undefined): string {
  if (value === undefined) return 'no value yet';
  if (value === null) return 'no value';
  return unit && typeof value === 'number' ? `${value} ${unit}` : String(value);
}
