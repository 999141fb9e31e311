import { PRIORITY_COLOUR, type Priority } from '../../../rules/definitions/schema.js';
import type { Actor, AlarmCommand, AlarmSnapshot, AlarmState, AlarmTransition, CommandResult } from '../../../rules/model.js';
import type { InterlockStatus } from '../../../rules/interlocks/types.js';
import type { StoredJournalEntry } from '../../store/store.js';
import type { AlarmActionsSource, SilenceResult } from '../types.js';

/**
 * A small stand-in for the alarm engine, for tests of the API and of cloud commands. It
 * follows the ISA-18.2 rules a user would notice (acknowledge only what waits for it, reset
 * refused while the condition is present, shelve needs a duration) — not the whole table,
 * which rules/state-machine tests cell by cell.
 */

export const TS = Date.UTC(2026, 10, 23, 8, 30, 0);

export function alarm({ id, ...over }: Partial<AlarmSnapshot> & { id: string }): AlarmSnapshot {
  const [device, name = 'x'] = id.split('/');
  const priority: Priority = over.priority ?? 'high';
  const state: AlarmState = over.state ?? 'normal';
  return {
    id,
    ...(device !== 'site' ? { device } : {}),
    point: 'concentration',
    name,
    description: `${name} on ${device}`,
    kind: 'high',
    priority,
    colour: PRIORITY_COLOUR[priority],
    class: 'gas',
    latch: true,
    state,
    conditionActive: state === 'unacknowledged' || state === 'acknowledged',
    latchPending: false,
    annunciating: ['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched'].includes(state),
    setpoint: 25,
    value: 12,
    shelvedUntil: null,
    occurrence: null,
    ...over,
  };
}

export function interlock({ name, ...over }: Partial<InterlockStatus> & { name: string }): InterlockStatus {
  return {
    name,
    description: `${name} interlock`,
    state: 'ready',
    when: ['gas-1/gas_high_high'],
    activeTriggers: [],
    trippedBy: null,
    trippedTs: null,
    lastError: null,
    bypassedBy: null,
    lastTiming: null,
    ...over,
  };
}

export interface FakeAlarms extends AlarmActionsSource {
  /** Every command, acknowledge-all, silence and interlock reset received, with its actor. */
  readonly received: { action: string; target?: string; actor: Actor; note?: string; durationMs?: number }[];
  alarms: AlarmSnapshot[];
  interlockList: InterlockStatus[];
  journalEntries: StoredJournalEntry[];
}

const NEXT: Partial<Record<AlarmCommand['action'], Partial<Record<AlarmState, AlarmState>>>> = {
  acknowledge: { unacknowledged: 'acknowledged', 'rtn-unacknowledged': 'latched' },
  reset: { latched: 'normal' },
  shelve: { unacknowledged: 'shelved', acknowledged: 'shelved', 'rtn-unacknowledged': 'shelved', latched: 'shelved', normal: 'shelved' },
  unshelve: { shelved: 'normal' },
  suppress: { normal: 'suppressed', unacknowledged: 'suppressed', acknowledged: 'suppressed' },
  unsuppress: { suppressed: 'normal' },
  'remove-from-service': { normal: 'out-of-service', latched: 'out-of-service' },
  'return-to-service': { 'out-of-service': 'normal' },
};

export function fakeAlarms(alarms: AlarmSnapshot[] = [], interlocks: InterlockStatus[] = []): FakeAlarms {
  const fake: FakeAlarms = {
    received: [],
    alarms,
    interlockList: interlocks,
    journalEntries: [],
    snapshot: () => fake.alarms.map((a) => ({ ...a })),
    command(cmd): CommandResult {
      fake.received.push({
        action: cmd.action,
        target: cmd.alarmId,
        actor: cmd.actor,
        ...(cmd.note !== undefined ? { note: cmd.note } : {}),
        ...(cmd.action === 'shelve' ? { durationMs: cmd.durationMs } : {}),
      });
      const a = fake.alarms.find((x) => x.id === cmd.alarmId);
      if (!a) return { ok: false, refusal: 'unknown-alarm', message: `no alarm "${cmd.alarmId}"` };
      if (cmd.action === 'reset' && a.conditionActive) {
        return { ok: false, refusal: 'condition-present', message: `${a.id}: reset refused, the condition is still present (value ${String(a.value)})`, state: a.state };
      }
      const to = NEXT[cmd.action]?.[a.state];
      if (to === undefined) return { ok: false, refusal: 'not-applicable', message: `${a.id}: cannot ${cmd.action} an alarm that is ${a.state}`, state: a.state };
      const t = transition(a, cmd, to);
      a.state = to;
      a.annunciating = ['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched'].includes(to);
      if (cmd.action === 'shelve') a.shelvedUntil = TS + cmd.durationMs;
      return { ok: true, transition: t };
    },
    acknowledgeAll(actor, note) {
      return fake.alarms
        .filter((a) => a.state === 'unacknowledged' || a.state === 'rtn-unacknowledged')
        .map((a) => fake.command({ action: 'acknowledge', alarmId: a.id, actor, ...(note !== undefined ? { note } : {}) }));
    },
    silence(actor, note): SilenceResult {
      fake.received.push({ action: 'silence', actor, ...(note !== undefined ? { note } : {}) });
      return { ok: true, message: `sounders silenced by ${actor.name ?? actor.kind}` };
    },
    interlocks: () => fake.interlockList,
    resetInterlock(name, actor, note) {
      fake.received.push({ action: 'reset-interlock', target: name, actor, ...(note !== undefined ? { note } : {}) });
      const i = fake.interlockList.find((x) => x.name === name);
      if (!i) return { ok: false, refusal: 'unknown-interlock', message: `no interlock named "${name}"` };
      if (i.activeTriggers.length > 0) {
        return { ok: false, refusal: 'condition-present', message: `${name}: reset refused while ${i.activeTriggers.join(', ')} is active`, state: i.state };
      }
      if (i.state !== 'tripped' && i.state !== 'failed') return { ok: false, refusal: 'not-applicable', message: `${name} is ${i.state}; nothing to reset`, state: i.state };
      i.state = 'ready';
      return { ok: true, state: 'ready' };
    },
    bypassInterlock(name, actor, note) {
      fake.received.push({ action: 'bypass-interlock', target: name, actor, ...(note !== undefined ? { note } : {}) });
      const i = fake.interlockList.find((x) => x.name === name);
      if (!i) return { ok: false, refusal: 'unknown-interlock', message: `no interlock named "${name}"` };
      if (i.state === 'bypassed') return { ok: false, refusal: 'not-applicable', message: `${name} is already bypassed`, state: i.state };
      i.state = 'bypassed';
      return { ok: true, state: 'bypassed' };
    },
    removeInterlockBypass(name, actor, note) {
      fake.received.push({ action: 'remove-interlock-bypass', target: name, actor, ...(note !== undefined ? { note } : {}) });
      const i = fake.interlockList.find((x) => x.name === name);
      if (!i) return { ok: false, refusal: 'unknown-interlock', message: `no interlock named "${name}"` };
      if (i.state !== 'bypassed') return { ok: false, refusal: 'not-applicable', message: `${name} is not bypassed`, state: i.state };
      i.state = 'ready';
      return { ok: true, state: 'ready' };
    },
    recoverOutputs(actor, note) {
      fake.received.push({ action: 'recover-outputs', actor, ...(note !== undefined ? { note } : {}) });
      return { ok: true, message: 'outputs back to normal' };
    },
    async journal(q) {
      return fake.journalEntries
        .filter((e) => (q.subject === undefined || e.subject === q.subject) && (q.beforeSeq === undefined || e.seq < q.beforeSeq))
        .sort((a, b) => b.seq - a.seq)
        .slice(0, q.limit);
    },
  };
  return fake;
}

function transition(a: AlarmSnapshot, cmd: AlarmCommand, to: AlarmState): AlarmTransition {
  return {
    alarmId: a.id,
    ...(a.device !== undefined ? { device: a.device } : {}),
    name: a.name,
    description: a.description,
    priority: a.priority,
    colour: a.colour,
    class: a.class,
    event: cmd.action,
    from: a.state,
    to,
    actor: cmd.actor,
    ts: TS,
    clockTrusted: true,
    ...(cmd.note !== undefined ? { note: cmd.note } : {}),
    occurrence: a.occurrence,
  };
}

export function journalEntry(seq: number, subject: string, type = 'alarm.acknowledge'): StoredJournalEntry {
  return { subject, seq, event: { seq, type, severity: 'alarm', ts: TS + seq, clockTrusted: true, message: `${subject} ${type}` } };
}
