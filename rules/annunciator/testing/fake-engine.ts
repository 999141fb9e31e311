import type { AlarmClass, Priority } from '../../definitions/schema.js';
import { PRIORITY_COLOUR } from '../../definitions/schema.js';
import type { AlarmEngineView } from '../../engine/types.js';
import type { Actor, AlarmCommand, AlarmEvent, AlarmSnapshot, AlarmState, AlarmTransition, CommandResult } from '../../model.js';

/**
 * A stand-in for the alarm engine in annunciator tests: just enough of the ISA-18.2 state
 * machine (activate, clear, acknowledge, reset, shelve) to produce the transitions the
 * annunciator sees. The real table lives in rules/engine; this one only has to be plausible.
 */
export class FakeEngine implements AlarmEngineView {
  private readonly alarms = new Map<string, AlarmSnapshot>();
  private readonly listeners: ((t: AlarmTransition) => void)[] = [];
  private readonly sensor: Actor = { kind: 'sensor' };

  define(id: string, cls: AlarmClass, opts: { priority?: Priority; latch?: boolean; state?: AlarmState; conditionActive?: boolean } = {}): this {
    const priority = opts.priority ?? 'high';
    const state = opts.state ?? 'normal';
    this.alarms.set(id, {
      id,
      name: id.split('/').at(-1) ?? id,
      description: `${cls} alarm ${id}`,
      kind: 'high',
      priority,
      colour: PRIORITY_COLOUR[priority],
      class: cls,
      latch: opts.latch ?? false,
      state,
      conditionActive: opts.conditionActive ?? (state === 'unacknowledged' || state === 'acknowledged'),
      latchPending: false,
      annunciating: ['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched'].includes(state),
      shelvedUntil: null,
      occurrence: null,
    });
    return this;
  }

  activate(id: string): void {
    const a = this.must(id);
    a.conditionActive = true;
    if (a.state === 'normal' || a.state === 'rtn-unacknowledged' || a.state === 'latched') this.move(a, 'activate', 'unacknowledged', this.sensor);
  }

  clear(id: string): void {
    const a = this.must(id);
    a.conditionActive = false;
    if (a.state === 'unacknowledged') this.move(a, 'clear', 'rtn-unacknowledged', this.sensor);
    else if (a.state === 'acknowledged') this.move(a, 'clear', a.latch ? 'latched' : 'normal', this.sensor);
  }

  snapshot(): AlarmSnapshot[] {
    return [...this.alarms.values()].map((a) => ({ ...a }));
  }

  get(alarmId: string): AlarmSnapshot | undefined {
    const a = this.alarms.get(alarmId);
    return a ? { ...a } : undefined;
  }

  command(cmd: AlarmCommand): CommandResult {
    const a = this.alarms.get(cmd.alarmId);
    if (!a) return { ok: false, refusal: 'unknown-alarm', message: `no alarm ${cmd.alarmId}` };
    const refuse = (): CommandResult => ({ ok: false, refusal: 'not-applicable', message: `${cmd.action} does not apply to ${a.state}`, state: a.state });
    switch (cmd.action) {
      case 'acknowledge':
        if (a.state === 'unacknowledged') return { ok: true, transition: this.move(a, 'acknowledge', 'acknowledged', cmd.actor) };
        if (a.state === 'rtn-unacknowledged') return { ok: true, transition: this.move(a, 'acknowledge', a.latch ? 'latched' : 'normal', cmd.actor) };
        return refuse();
      case 'reset':
        if (a.state !== 'latched') return refuse();
        if (a.conditionActive) return { ok: false, refusal: 'condition-present', message: `${a.id}: the condition is still present`, state: a.state };
        return { ok: true, transition: this.move(a, 'reset', 'normal', cmd.actor) };
      case 'shelve':
        return { ok: true, transition: this.move(a, 'shelve', 'shelved', cmd.actor) };
      case 'unshelve':
        if (a.state !== 'shelved') return refuse();
        return { ok: true, transition: this.move(a, 'unshelve', a.conditionActive ? 'unacknowledged' : 'normal', cmd.actor) };
      default:
        return refuse();
    }
  }

  onTransition(listener: (transition: AlarmTransition) => void): void {
    this.listeners.push(listener);
  }

  onCondition(): void {
    // the annunciator does not use conditions
  }

  private move(a: AlarmSnapshot, event: AlarmEvent, to: AlarmState, actor: Actor): AlarmTransition {
    const from = a.state;
    a.state = to;
    a.annunciating = ['unacknowledged', 'acknowledged', 'rtn-unacknowledged', 'latched'].includes(to);
    const t: AlarmTransition = {
      alarmId: a.id,
      name: a.name,
      description: a.description,
      priority: a.priority,
      colour: a.colour,
      class: a.class,
      event,
      from,
      to,
      actor,
      ts: Date.now(),
      clockTrusted: true,
      occurrence: null,
    };
    for (const l of this.listeners) l(t);
    return t;
  }

  private must(id: string): AlarmSnapshot {
    const a = this.alarms.get(id);
    if (!a) throw new Error(`FakeEngine: define ${id} first`);
    return a;
  }
}
