import pino, { type Logger } from 'pino';
import type { Clock } from '../../gateway/clock/clock.js';
import type { Reading } from '../../gateway/readings.js';
import type { GatewayEvent, JournalEntry } from '../../gateway/store/store.js';
import type { Condition, ConditionSample, RawCondition } from '../conditions/condition.js';
import { createCondition } from '../conditions/create-condition.js';
import type { Actor, AlarmCommand, AlarmEvent, AlarmSnapshot, AlarmTransition, CommandRefusal, CommandResult, PersistedAlarmState, ResolvedAlarm } from '../model.js';
import type { ChatterOptions } from '../kpi/chatter-detector.js';
import type { FloodOptions } from '../kpi/flood-detector.js';
import { KpiMonitor } from '../kpi/kpi-monitor.js';
import { CHANGED_CONDITION, CHANGED_PENDING, type AlarmInstance } from './alarm-instance.js';
import { buildAlarmIndex, type AlarmIndex, type ConditionFactory } from './alarm-index.js';
import { DeadlineQueue, DeadlineTimer } from './deadline-queue.js';
import { describeActor } from './journal.js';
import { Listeners } from './listeners.js';
import { notePeak, openOccurrence } from './occurrence.js';
import { TransitionApplier, type ApplyOptions, type ApplyResult } from './transition-applier.js';
import type { AlarmEngineView } from './types.js';
import { countVotes } from './votes.js';

/** ISA-18.2: shelving is time-limited (standards.md §6). Longer maintenance is remove-from-service. */
export const MAX_SHELVE_MS = 24 * 3_600_000;

export interface AlarmEngineOptions {
  /** Resolved alarm definitions, in display order. Disabled ones are not evaluated. */
  alarms: readonly ResolvedAlarm[];
  clock: Clock;
  /** Persisted states from the last run (Store.loadAlarmStates). */
  restored?: readonly PersistedAlarmState[];
  /**
   * The durable record: journal entries (to the outbox and the journal) and alarm states.
   * Called synchronously on the alarm path and must return at once (the runtime's
   * AlarmPersister batches it to the store on a later turn).
   */
  persist: (entries: JournalEntry[], states: PersistedAlarmState[]) => void;
  logger?: Logger;
  /** Default: rules/conditions createCondition. */
  conditionFactory?: ConditionFactory;
  chatter?: Partial<ChatterOptions>;
  flood?: Partial<FloodOptions>;
  maxShelveMs?: number;
}

/** The engine failed to evaluate an alarm: its outputs can no longer be trusted. */
export interface EngineFault {
  alarmId?: string;
  message: string;
  error: unknown;
}

type DueKind = 'delay' | 'poll' | 'shelve';
type DueTarget = { kind: DueKind; inst: AlarmInstance } | { kind: 'flood'; inst: null };

const SYSTEM: Actor = { kind: 'system' };


/**
 * The alarm engine: readings in, ISA-18.2 transitions out, synchronously on the alarm path
 * (DESIGN principle 1). Per reading: two Map lookups, the condition's update, and — only when
 * something changed — the delay filter, the transition table, the journal entry and the
 * listeners. Time (delays, stale values, rate windows, shelve expiry, floods) runs on one timer
 * (deadline-queue.ts) in monotonic time.
 *
 * Nothing here throws into the caller of onReadings: an alarm whose evaluation fails is logged,
 * journaled as an 'engine.fault' (subject 'engine') and reported to the fault listeners once,
 * and failed() turns true for good so the outputs' watchdog can go to its safe state.
 */
export class AlarmEngine implements AlarmEngineView {
  private readonly clock: Clock;
  private readonly persistFn: AlarmEngineOptions['persist'];
  private readonly logger: Logger;
  private readonly index: AlarmIndex;
  private readonly queue = new DeadlineQueue<DueTarget>();
  private readonly timer: DeadlineTimer;
  private readonly kpis: KpiMonitor;
  private readonly maxShelveMs: number;
  private readonly transitionListeners: Listeners<[AlarmTransition]>;
  private readonly conditionListeners: Listeners<[string, boolean]>;
  private readonly faultListeners: Listeners<[EngineFault]>;
  private readonly applier: TransitionApplier;
  private floodDue: number | null = null;
  private started = false;
  private hasFailed = false;

  constructor(opts: AlarmEngineOptions) {
    this.clock = opts.clock;
    this.persistFn = opts.persist;
    this.logger = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'alarm-engine' });
    this.kpis = new KpiMonitor({ ...(opts.chatter ? { chatter: opts.chatter } : {}), ...(opts.flood ? { flood: opts.flood } : {}) });
    this.transitionListeners = new Listeners(this.logger, 'transition');
    this.conditionListeners = new Listeners(this.logger, 'condition');
    this.faultListeners = new Listeners(this.logger, 'engine-fault');
    this.maxShelveMs = opts.maxShelveMs ?? MAX_SHELVE_MS;
    this.timer = new DeadlineTimer(() => this.clock.monotonic(), () => this.onDue());
    this.applier = new TransitionApplier({
      clock: this.clock,
      logger: this.logger,
      persist: (entries, states) => this.persist(entries, states),
      listeners: this.transitionListeners,
      scheduleShelve: (inst, due) => this.setShelveDue(inst, due),
      onActivation: (inst, at) => this.countActivation(inst, at.mono, at.now, at.trusted),
    });
    const factory: ConditionFactory =
      opts.conditionFactory ??
      ((alarm, o) => {
        if (alarm.def.kind === 'vote') throw new Error(`alarm ${alarm.id}: a vote has no point condition`);
        return createCondition(alarm.def, o);
      });
    this.index = buildAlarmIndex({ alarms: opts.alarms, restored: opts.restored ?? [], conditionFactory: factory, now: this.clock.now(), mono: this.clock.monotonic(), logger: this.logger });
  }

  /**
   * Arms the timers: expires shelves that ran out while the gateway was down (journaled, actor
   * system), asks every condition when it next needs time (stale values), evaluates the votes.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    const mono = this.clock.monotonic();
    const now = this.clock.now();
    const trusted = this.clock.isTrusted();
    for (const inst of this.index.instances) {
      this.guard(inst, () => {
        if (inst.condition) this.setPollDue(inst, inst.condition.poll(mono).nextPollAt);
        if (inst.state === 'shelved') {
          // An untrusted wall clock cannot tell how long the gateway was down: end the shelve (fail safe).
          const left = inst.shelvedUntil === null || !trusted ? 0 : inst.shelvedUntil - now;
          if (left <= 0) this.expireShelve(inst);
          else this.setShelveDue(inst, mono + Math.min(left, this.maxShelveMs));
        }
      });
    }
    for (const vote of this.index.votes) this.guard(vote, () => this.evaluateVote(vote, mono, now, trusted));
    this.arm();
  }

  stop(): void {
    this.started = false;
    this.timer.cancel();
  }

  /** The alarm path: SYNCHRONOUS, called with every poll response's readings. Never throws. */
  onReadings(readings: readonly Reading[]): void {
    const mono = this.clock.monotonic();
    let now = 0;
    let trusted = true;
    let stamped = false;
    for (let i = 0; i < readings.length; i++) {
      const r = readings[i] as Reading;
      const list = this.index.byPoint.get(r.device)?.get(r.point);
      if (list === undefined) continue;
      if (!stamped) {
        now = this.clock.now();
        trusted = this.clock.isTrusted();
        stamped = true;
      }
      const sample: ConditionSample = { value: r.value, quality: r.quality, ts: r.ts, mono };
      for (let j = 0; j < list.length; j++) {
        const inst = list[j] as AlarmInstance;
        try {
          this.evaluateReading(inst, r, sample, mono, now, trusted);
        } catch (e) {
          this.fault(inst, e);
        }
      }
    }
    if (stamped) this.arm();
  }

  snapshot(): AlarmSnapshot[] {
    return this.index.instances.map((i) => i.snapshot());
  }

  get(alarmId: string): AlarmSnapshot | undefined {
    return this.index.byId.get(alarmId)?.snapshot();
  }

  command(cmd: AlarmCommand): CommandResult {
    const inst = this.index.byId.get(cmd.alarmId);
    if (!inst) return { ok: false, refusal: 'unknown-alarm', message: `no alarm ${JSON.stringify(cmd.alarmId)} on this gateway` };
    if (cmd.action === 'shelve') {
      const d = cmd.durationMs;
      if (typeof d !== 'number' || !Number.isFinite(d) || d <= 0) {
        return this.refused(inst, cmd, 'not-applicable', `${inst.id}: shelve needs durationMs > 0, got ${String(d)} — ISA-18.2 shelving is time-limited`);
      }
      if (d > this.maxShelveMs) {
        return this.refused(inst, cmd, 'not-applicable', `${inst.id}: shelve for ${d} ms refused: at most ${this.maxShelveMs} ms (${this.maxShelveMs / 3_600_000} h) — ISA-18.2 shelving is time-limited; remove the alarm from service for longer work`);
      }
    }
    try {
      const result = this.apply(inst, cmd.action, cmd.actor, { ...(cmd.note !== undefined ? { note: cmd.note } : {}), ...(cmd.action === 'shelve' ? { shelveMs: cmd.durationMs } : {}) });
      if (!result.ok) return this.refused(inst, cmd, result.refusal, result.message);
      this.arm();
      return { ok: true, transition: result.transition as AlarmTransition };
    } catch (e) {
      this.fault(inst, e);
      throw e;
    }
  }

  onTransition(listener: (transition: AlarmTransition) => void): void {
    this.transitionListeners.add(listener);
  }

  onCondition(listener: (alarmId: string, active: boolean) => void): void {
    this.conditionListeners.add(listener);
  }

  /** The engine failed to evaluate an alarm (once per alarm): the outputs' watchdog goes to its safe state. */
  onEngineFault(listener: (fault: EngineFault) => void): void {
    this.faultListeners.add(listener);
  }

  /** True once any evaluation has failed; stays true until restart (a safety engine that threw is not trusted). */
  failed(): boolean {
    return this.hasFailed;
  }

  // ── evaluation ───────────────────────────────────────────────────────────────────────

  private evaluateReading(inst: AlarmInstance, r: Reading, sample: ConditionSample, mono: number, now: number, trusted: boolean): void {
    const wasInFault = inst.inFault();
    inst.value = r.value;
    inst.unit = r.unit;
    inst.quality = r.quality;
    const condition = inst.condition as Condition;
    const raw = condition.update(sample);
    const rawChanged = raw !== inst.raw;
    if (inst.occurrence !== null && inst.conditionActive) notePeak(inst.occurrence, inst.peak, r.value);
    this.applyRaw(inst, raw, mono, now, trusted);
    // A condition whose answer changed may now need time to pass (a stale clock restarted, a
    // rate window opened): ask it when. Unchanged answers keep the poll already scheduled.
    if (rawChanged) this.setPollDue(inst, condition.poll(mono).nextPollAt);
    if (inst.dependents.length > 0 && wasInFault !== inst.inFault()) this.evaluateDependents(inst, mono, now, trusted);
  }

  private applyRaw(inst: AlarmInstance, raw: RawCondition, mono: number, now: number, trusted: boolean): void {
    this.afterFilter(inst, inst.filter(raw, mono, now, trusted), now, trusted, mono);
  }

  private afterFilter(inst: AlarmInstance, changes: number, now: number, trusted: boolean, mono: number): void {
    if (inst.delayNext === null) inst.delayDue = null;
    else if (inst.delayNext !== inst.delayDue) {
      inst.delayDue = inst.delayNext;
      this.queue.push(inst.delayNext, { kind: 'delay', inst });
    }
    if (changes & CHANGED_CONDITION) this.conditionChanged(inst, mono, now, trusted);
    // The on-delay's start is persisted (no journal entry) so a restart resumes it.
    else if (changes & CHANGED_PENDING) this.persist([], [inst.persisted()]);
  }

  private conditionChanged(inst: AlarmInstance, mono: number, now: number, trusted: boolean): void {
    const active = inst.conditionActive;
    const occ = inst.occurrence;
    if (active) {
      if (occ === null) inst.occurrence = openOccurrence(inst.id, now, inst.value);
      else {
        delete occ.clearedTs; // active again before anyone closed it: the same occurrence goes on
        if (inst.value !== undefined) notePeak(occ, inst.peak, inst.value);
      }
    } else if (occ !== null) occ.clearedTs = now;
    const votes = inst.def.kind === 'vote' ? countVotes(inst).text : undefined;
    this.apply(inst, active ? 'activate' : 'clear', { kind: 'sensor', name: inst.device ?? inst.id }, { at: { now, trusted, mono }, ...(votes !== undefined ? { votes } : {}) });
    this.conditionListeners.emit(inst.id, active);
    this.evaluateDependents(inst, mono, now, trusted);
  }

  private evaluateDependents(inst: AlarmInstance, mono: number, now: number, trusted: boolean): void {
    for (const vote of inst.dependents) this.guard(vote, () => this.evaluateVote(vote, mono, now, trusted));
  }

  /** k-out-of-n: recomputed whenever a counted alarm's condition or fault status changes. */
  private evaluateVote(vote: AlarmInstance, mono: number, now: number, trusted: boolean): void {
    const { count } = countVotes(vote);
    vote.value = count;
    if (vote.occurrence !== null && vote.conditionActive) notePeak(vote.occurrence, vote.peak, count);
    if (vote.def.kind === 'vote') this.applyRaw(vote, count >= vote.def.k, mono, now, trusted);
  }

  // ── transitions ──────────────────────────────────────────────────────────────────────

  private apply(inst: AlarmInstance, event: AlarmEvent, actor: Actor, opts: ApplyOptions = {}): ApplyResult {
    return this.applier.apply(inst, event, actor, opts);
  }

  private refused(inst: AlarmInstance, cmd: AlarmCommand, refusal: CommandRefusal, message: string): CommandResult {
    this.logger.info({ alarm: inst.id, action: cmd.action, actor: describeActor(cmd.actor), refusal }, message);
    return { ok: false, refusal, message, state: inst.state };
  }

  private expireShelve(inst: AlarmInstance): void {
    this.apply(inst, 'unshelve', SYSTEM, { expired: true });
  }

  /** ISA-18.2 KPIs: chattering (per alarm) and floods (all alarms), from annunciated activations. */
  private countActivation(inst: AlarmInstance, mono: number, now: number, trusted: boolean): void {
    const alarm = { id: inst.id, description: inst.def.description, ...(inst.device !== undefined ? { device: inst.device } : {}), ...(inst.point !== undefined ? { point: inst.point } : {}) };
    const events = this.kpis.activation(alarm, mono, { ts: now, clockTrusted: trusted });
    this.setFloodDue(this.kpis.nextCheckAt());
    if (events.length > 0) this.persist(events.map((event) => ({ subject: 'kpi', event })), []);
  }

  // ── time ─────────────────────────────────────────────────────────────────────────────

  private onDue(): void {
    const mono = this.clock.monotonic();
    const now = this.clock.now();
    const trusted = this.clock.isTrusted();
    for (let due = this.queue.popDue(mono); due !== null; due = this.queue.popDue(mono)) {
      const target = due.target;
      if (target.kind === 'flood') {
        if (this.floodDue !== due.due) continue;
        this.floodDue = null;
        const events = this.kpis.check(mono, { ts: now, clockTrusted: trusted });
        if (events.length > 0) this.persist(events.map((event) => ({ subject: 'kpi', event })), []);
        this.setFloodDue(this.kpis.nextCheckAt());
        continue;
      }
      const inst = target.inst;
      this.guard(inst, () => {
        if (target.kind === 'delay' && inst.delayDue === due.due) {
          inst.delayDue = null;
          this.afterFilter(inst, inst.checkDelay(mono, now), now, trusted, mono);
        } else if (target.kind === 'poll' && inst.pollDue === due.due && inst.condition) {
          inst.pollDue = null;
          const p = inst.condition.poll(mono);
          this.applyRaw(inst, p.condition, mono, now, trusted);
          this.setPollDue(inst, p.nextPollAt);
        } else if (target.kind === 'shelve' && inst.shelveDue === due.due) {
          inst.shelveDue = null;
          if (inst.state === 'shelved') this.expireShelve(inst);
        }
      });
    }
    this.arm();
  }

  private setPollDue(inst: AlarmInstance, due: number | null): void {
    if (due === inst.pollDue) return;
    inst.pollDue = due;
    if (due !== null) this.queue.push(due, { kind: 'poll', inst });
  }

  private setShelveDue(inst: AlarmInstance, due: number): void {
    inst.shelveDue = due;
    this.queue.push(due, { kind: 'shelve', inst });
  }

  private setFloodDue(due: number | null): void {
    if (due === this.floodDue) return;
    this.floodDue = due;
    if (due !== null) this.queue.push(due, { kind: 'flood', inst: null });
  }

  private arm(): void {
    if (this.started) this.timer.ensure(this.queue.peekDue());
  }

  // ── failure and the durable record ───────────────────────────────────────────────────

  private guard(inst: AlarmInstance, work: () => void): void {
    try {
      work();
    } catch (e) {
      this.fault(inst, e);
    }
  }

  private fault(inst: AlarmInstance, error: unknown): void {
    this.hasFailed = true;
    // Reported once per alarm: one that fails on every reading must not flood the log and the journal.
    if (inst.faultReported) return;
    inst.faultReported = true;
    this.logger.error({ err: error, alarm: inst.id }, 'alarm evaluation failed');
    const reason = error instanceof Error ? error.message : String(error);
    const message = `the alarm engine failed to evaluate ${inst.id}: ${reason} — its alarm state can no longer be trusted; outputs go to their safe state`;
    const event: GatewayEvent = { type: 'engine.fault', severity: 'fault', ts: this.clock.now(), clockTrusted: this.clock.isTrusted(), message, data: { alarmId: inst.id, error: reason } };
    this.persist([{ subject: 'engine', event }], []);
    this.faultListeners.emit({ alarmId: inst.id, message, error });
  }

  private persist(entries: JournalEntry[], states: PersistedAlarmState[]): void {
    try {
      this.persistFn(entries, states);
    } catch (e) {
      // The runtime's persister only queues; if even that throws, say so loudly — the record is lost.
      this.logger.error({ err: e, entries: entries.map((x) => x.event.type), states: states.map((s) => s.id) }, 'could not hand alarm journal entries to the store');
    }
  }
}
