/**
 * Safety interlocks (安全联锁): "when any of these alarms' conditions becomes active, close the
 * gas valve / start the exhaust fan", with read-back confirmation, retry, a fault of its own when
 * it cannot confirm, and a manual reset.
 *
 * - Interlocks act on alarm *conditions* (AlarmEngineView.onCondition), not on annunciation: a
 *   shelved or suppressed alarm still trips its interlock. Only a bypass, a deliberate and
 *   journaled act by a named person, stops one. GB/T 50493 (standards.md §1.1): the 2nd-level
 *   gas alarm drives the interlock; a k-out-of-n vote is simply a site alarm id in `when`.
 * - The trip starts in the same turn as the condition change: the actions are issued before
 *   anything else happens (journal, state, listeners) and without an await (actions.ts). The bus
 *   queue's interlock priority lets the write jump queued polls (GB 50166: command within 3 s).
 * - Each attempt is confirmed; a failed attempt is retried after 200, 400, 800 ms …; after
 *   `retries` retries the interlock is 'failed' — a fault event now, the state for the fault
 *   alarm and health, and a new attempt every 5 s for as long as it takes. Never forgotten.
 * - Nothing here throws at a caller on the alarm path: a failing write, journal or listener is
 *   an error recorded on the interlock, never an exception out of onCondition.
 */
import { VigilError } from '../../gateway/errors.js';
import type { InterlockConfig } from '../../gateway/config/safety-schema.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import type { Actor } from '../model.js';
import { describeActions, issueActions, messageOf, releaseActions } from './actions.js';
import { interlockEntry, restoredFrom, type InterlockEventType } from './journal.js';
import type {
  InterlockCommandResult,
  InterlockControllerOptions,
  InterlockPolicy,
  InterlockState,
  InterlockStatus,
  TripTiming,
} from './types.js';

export const DEFAULT_INTERLOCK_POLICY: InterlockPolicy = {
  retryBackoffMs: (retry) => Math.min(200 * 2 ** (retry - 1), 3_200),
  failedRetryMs: 5_000,
  feedbackPollMs: 250,
  // Beyond a bus's timeout × retries (3 × 1 s typical) for the write and its read-back.
  attemptTimeoutMs: 10_000,
};

/** Errors kept per trip for the 'failed' event (the first attempts say most). */
const MAX_ERRORS = 10;

/** One trip: its attempts, from the trigger until confirmed, reset, bypassed or superseded. */
interface Run {
  trigger: string;
  trippedAt: number;
  issuedAt: number;
  attempts: number;
  inFlight: boolean;
  errors: string[];
  timer: ReturnType<typeof setTimeout> | null;
}

interface Entry {
  cfg: InterlockConfig;
  state: InterlockState;
  run: Run | null;
  trippedBy: string | null;
  trippedTs: number | null;
  lastError: string | null;
  bypassedBy: Actor | null;
  lastTiming: TripTiming | null;
}

const describeActor = (a: Actor): string => (a.name ? `${a.kind}:${a.name}` : a.kind);

export class InterlockController {
  private readonly entries = new Map<string, Entry>();
  private readonly byTrigger = new Map<string, Entry[]>();
  private readonly policy: InterlockPolicy;
  private started = false;
  private stopped = false;

  /** Refuses (CONFIG_INVALID, every problem listed) a duplicate name, an unknown trigger alarm or output. */
  constructor(
    interlocks: readonly InterlockConfig[],
    private readonly opts: InterlockControllerOptions,
  ) {
    this.policy = { ...DEFAULT_INTERLOCK_POLICY, ...opts.policy };
    const problems: string[] = [];
    interlocks.forEach((cfg, i) => {
      if (this.entries.has(cfg.name)) problems.push(`interlocks[${i}].name: "${cfg.name}" is used by another interlock`);
      cfg.when.forEach((id, j) => {
        if (!opts.engine.get(id)) problems.push(`interlocks[${i}].when[${j}]: no alarm "${id}" (interlock ${cfg.name})`);
      });
      cfg.actions.forEach((a, j) => {
        if ('output' in a && opts.outputNames && !opts.outputNames.includes(a.output.name)) {
          problems.push(`interlocks[${i}].actions[${j}].output.name: no output "${a.output.name}" (outputs: ${opts.outputNames.join(', ') || 'none'})`);
        }
      });
      const entry: Entry = { cfg, state: 'ready', run: null, trippedBy: null, trippedTs: null, lastError: null, bypassedBy: null, lastTiming: null };
      this.entries.set(cfg.name, entry);
      for (const id of new Set(cfg.when)) this.byTrigger.set(id, [...(this.byTrigger.get(id) ?? []), entry]);
    });
    if (problems.length > 0) throw new VigilError('CONFIG_INVALID', problems.join('\n'), { problems });
    opts.engine.onCondition((alarmId, active) => this.onCondition(alarmId, active));
  }

  /**
   * Restores one interlock from the last journal entry of its subject ("interlock:<name>",
   * Store.readJournal({subject, limit: 1})). Call before start(). False when the entry belongs to
   * no configured interlock (one removed from the site file: its history stays in the journal).
   */
  restoreFromJournal(last: JournalEntry): boolean {
    if (this.started) throw new Error('InterlockController.restoreFromJournal must be called before start()');
    const name = last.subject.startsWith('interlock:') ? last.subject.slice('interlock:'.length) : undefined;
    const entry = name === undefined ? undefined : this.entries.get(name);
    if (!entry) return false;
    const r = restoredFrom(last);
    Object.assign(entry, { state: r.state, trippedBy: r.trippedBy, trippedTs: r.trippedTs, bypassedBy: r.bypassedBy });
    return true;
  }

  /**
   * Arms the interlocks. An interlock restored as tripping/tripped/failed re-asserts its actions
   * (fail safe: it was never reset, so the valve must still be closed — a restart must not leave
   * it open because someone opened it by hand meanwhile); a ready one trips now if a trigger's
   * condition is already active (the engine restored it, or it activated before start()).
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const entry of this.entries.values()) {
      if (entry.state === 'bypassed') continue;
      if (entry.state !== 'ready') this.trip(entry, entry.trippedBy ?? 'restart', 'restart');
      else {
        const active = this.activeTriggers(entry);
        if (active.length > 0) this.trip(entry, active[0]!, 'condition');
      }
    }
  }

  /** Cancels every pending retry; nothing is written after this. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) this.cancel(entry);
  }

  status(): InterlockStatus[] {
    return [...this.entries.values()].map((e) => this.statusOf(e));
  }

  get(name: string): InterlockStatus | undefined {
    const entry = this.entries.get(name);
    return entry && this.statusOf(entry);
  }

  /**
   * A person releases a tripped (or failed) interlock. Refused while any trigger's condition is
   * still active (the message names them). The reset undoes only the actions configured to be
   * released (a fan relay with releaseOnReset, a write with releaseValue, see actions.ts): by
   * default the valve stays closed until a person, on site, has checked the area and reopens it
   * by hand — re-opening a gas supply by remote reset is the unsafe direction (GB/T 50493
   * latching and manual reset; standards.md §1.1/§9). The interlock is armed again.
   */
  reset(name: string, actor: Actor, note?: string): InterlockCommandResult {
    const entry = this.entries.get(name);
    if (!entry) return this.unknown(name);
    const from = entry.state;
    if (from === 'ready') return { ok: false, refusal: 'not-applicable', message: `interlock ${name} is not tripped; nothing to reset`, state: from };
    if (from === 'bypassed') return { ok: false, refusal: 'not-applicable', message: `interlock ${name} is bypassed; remove the bypass instead of resetting it`, state: from };
    const active = this.activeTriggers(entry);
    if (active.length > 0) {
      return { ok: false, refusal: 'condition-present', message: `interlock ${name} cannot be reset: its trigger ${active.length > 1 ? 'conditions are' : 'condition is'} still active (${active.join(', ')})`, state: from };
    }
    this.cancel(entry);
    Object.assign(entry, { state: 'ready', trippedBy: null, trippedTs: null, lastError: null });
    const unconfirmed = from === 'failed' || from === 'tripping' ? ' Its actions were never confirmed: check the actuators on site.' : '';
    const { released, done } = releaseActions({ cfg: entry.cfg, io: this.opts.io, setRelay: this.opts.setRelay });
    const undone = released.length > 0 ? `released: ${released.join(', ')}; the other actions stay as they are (undo by hand on site)` : 'its actions are not undone (undo by hand on site)';
    this.record(entry, 'interlock.reset', `interlock ${name} reset by ${describeActor(actor)}; ${undone}.${unconfirmed}`, {
      actor,
      from,
      released,
      ...(note !== undefined ? { note } : {}),
    });
    done.catch((e: unknown) => this.record(entry, 'interlock.release-failed', `interlock ${name}: releasing after the reset failed: ${messageOf(e)}`, { error: messageOf(e) }));
    return { ok: true, state: 'ready' };
  }

  /**
   * Takes an interlock out of service for maintenance: trips are blocked (each blocked trip is
   * journaled) and any retries stop. Whatever was done stays done (a closed valve stays closed).
   */
  bypass(name: string, actor: Actor, note?: string): InterlockCommandResult {
    const entry = this.entries.get(name);
    if (!entry) return this.unknown(name);
    if (entry.state === 'bypassed') return { ok: false, refusal: 'not-applicable', message: `interlock ${name} is already bypassed (by ${describeActor(entry.bypassedBy ?? { kind: 'system' })})`, state: 'bypassed' };
    const from = entry.state;
    this.cancel(entry);
    Object.assign(entry, { state: 'bypassed', bypassedBy: actor, trippedBy: null, trippedTs: null, lastError: null });
    this.record(entry, 'interlock.bypassed', `interlock ${name} bypassed by ${describeActor(actor)}: it will not act until the bypass is removed`, {
      actor,
      from,
      ...(note !== undefined ? { note } : {}),
    });
    return { ok: true, state: 'bypassed' };
  }

  /** Returns a bypassed interlock to service; if a trigger is active now it trips at once (fail safe). */
  removeBypass(name: string, actor: Actor, note?: string): InterlockCommandResult {
    const entry = this.entries.get(name);
    if (!entry) return this.unknown(name);
    if (entry.state !== 'bypassed') return { ok: false, refusal: 'not-applicable', message: `interlock ${name} is not bypassed (it is ${entry.state})`, state: entry.state };
    Object.assign(entry, { state: 'ready', bypassedBy: null });
    this.record(entry, 'interlock.bypass-removed', `interlock ${name} back in service (bypass removed by ${describeActor(actor)})`, { actor, ...(note !== undefined ? { note } : {}) });
    const active = this.activeTriggers(entry);
    if (active.length > 0 && this.started && !this.stopped) this.trip(entry, active[0]!, 'bypass-removed');
    return { ok: true, state: entry.state };
  }

  // ── the alarm path ──────────────────────────────────────────────────────────────────

  private onCondition(alarmId: string, active: boolean): void {
    if (!active || !this.started || this.stopped) return; // releasing needs a manual reset
    for (const entry of this.byTrigger.get(alarmId) ?? []) {
      try {
        this.triggered(entry, alarmId);
      } catch (e) {
        // Only a bug gets here; it must not stop the other interlocks or the engine's other listeners.
        this.opts.logger?.error({ interlock: entry.cfg.name, err: e }, 'interlock trigger handling threw');
      }
    }
  }

  private triggered(entry: Entry, alarmId: string): void {
    switch (entry.state) {
      case 'bypassed':
        this.record(entry, 'interlock.trip-blocked', `interlock ${entry.cfg.name} is bypassed: ${alarmId} activated and nothing was done (${describeActions(entry.cfg.actions)} NOT performed)`, {
          trigger: alarmId,
          actor: entry.bypassedBy,
        });
        return;
      case 'tripping':
        return; // its attempts are under way
      case 'failed': {
        // Still unconfirmed: try again now rather than at the next periodic retry.
        const run = entry.run;
        if (run && !run.inFlight) this.attempt(entry, run);
        return;
      }
      case 'ready':
      case 'tripped':
        // From 'tripped' the actions are re-asserted: someone may have reopened the valve by hand.
        this.trip(entry, alarmId, 'condition');
    }
  }

  private trip(entry: Entry, trigger: string, cause: 'condition' | 'restart' | 'bypass-removed'): void {
    const trippedAt = this.opts.clock.monotonic();
    this.cancel(entry);
    const run: Run = { trigger, trippedAt, issuedAt: trippedAt, attempts: 0, inFlight: false, errors: [], timer: null };
    entry.run = run;
    this.attempt(entry, run); // the actions leave first; the bookkeeping follows
    const from = entry.state;
    const restored = cause === 'restart' ? entry.trippedTs : null;
    Object.assign(entry, { state: 'tripping', trippedBy: trigger, trippedTs: restored ?? this.opts.clock.now(), lastError: null });
    const why = cause === 'restart' ? `re-asserted after a restart (tripped by ${trigger}, never reset)` : cause === 'bypass-removed' ? `tripped by ${trigger} (active when the bypass was removed)` : `tripped by ${trigger}`;
    this.record(entry, 'interlock.tripped', `interlock ${entry.cfg.name} ${why}: ${describeActions(entry.cfg.actions)}`, { trigger, cause, from });
  }

  private attempt(entry: Entry, run: Run): void {
    run.attempts++;
    run.timer = null;
    run.inFlight = true;
    const { cfg } = entry;
    const confirmation = issueActions({ cfg, io: this.opts.io, setRelay: this.opts.setRelay, clock: this.opts.clock, policy: this.policy });
    if (run.attempts === 1) run.issuedAt = this.opts.clock.monotonic();
    const limit = this.policy.attemptTimeoutMs + (cfg.confirm?.withinMs ?? 0);
    let guard: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      guard = setTimeout(() => reject(new Error(`the attempt did not settle within ${limit} ms`)), limit);
    });
    Promise.race([confirmation, timeout])
      .then(
        () => null,
        (e: unknown) => messageOf(e),
      )
      .then((error) => {
        clearTimeout(guard);
        run.inFlight = false;
        this.settled(entry, run, error);
      })
      .catch((e: unknown) => this.opts.logger?.error({ interlock: cfg.name, err: e }, 'interlock settlement threw'));
  }

  private settled(entry: Entry, run: Run, error: string | null): void {
    if (entry.run !== run || this.stopped) return; // reset, bypassed or re-tripped meanwhile
    const { clock } = this.opts;
    const name = entry.cfg.name;
    if (error === null) {
      const timing = this.timing(entry, run, clock.monotonic());
      const recovered = entry.state === 'failed';
      Object.assign(entry, { state: 'tripped', run: null, lastError: null, lastTiming: timing });
      this.record(
        entry,
        'interlock.confirmed',
        `interlock ${name}: actions confirmed${recovered ? ' — the interlock fault has cleared' : ''} (attempt ${run.attempts}, ${timing.confirmedAt! - timing.trippedAt} ms after the trip)`,
        { trigger: run.trigger, attempts: run.attempts, issueLatencyMs: timing.issuedAt - timing.trippedAt, confirmLatencyMs: timing.confirmedAt! - timing.trippedAt, recovered },
      );
      this.tell(timing);
      return;
    }
    entry.lastError = error;
    if (run.errors.length < MAX_ERRORS) run.errors.push(`attempt ${run.attempts}: ${error}`);
    if (entry.state === 'failed') {
      // Already reported; keep trying quietly (a journal entry every 5 s would flood the cloud).
      this.opts.logger?.warn({ interlock: name, attempt: run.attempts, error }, 'interlock still not confirmed');
      this.schedule(entry, run, this.policy.failedRetryMs);
      this.notify(entry);
      return;
    }
    if (run.attempts <= entry.cfg.retries) {
      this.opts.logger?.warn({ interlock: name, attempt: run.attempts, error }, 'interlock attempt failed; retrying');
      this.schedule(entry, run, this.policy.retryBackoffMs(run.attempts));
      return;
    }
    const timing = this.timing(entry, run, null);
    Object.assign(entry, { state: 'failed', lastTiming: timing });
    this.record(
      entry,
      'interlock.failed',
      `interlock ${name} FAILED: ${describeActions(entry.cfg.actions)} not confirmed after ${run.attempts} attempts (last: ${error}); retrying every ${this.policy.failedRetryMs / 1000} s`,
      { trigger: run.trigger, attempts: run.attempts, errors: [...run.errors] },
    );
    this.tell(timing);
    this.schedule(entry, run, this.policy.failedRetryMs);
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────

  private schedule(entry: Entry, run: Run, ms: number): void {
    run.timer = setTimeout(() => {
      if (entry.run === run && !this.stopped) this.attempt(entry, run);
    }, ms);
  }

  private cancel(entry: Entry): void {
    if (entry.run?.timer) clearTimeout(entry.run.timer);
    entry.run = null;
  }

  private timing(entry: Entry, run: Run, confirmedAt: number | null): TripTiming {
    return { interlock: entry.cfg.name, trigger: run.trigger, trippedAt: run.trippedAt, issuedAt: run.issuedAt, confirmedAt, attempts: run.attempts };
  }

  private activeTriggers(entry: Entry): string[] {
    return entry.cfg.when.filter((id) => this.opts.engine.get(id)?.conditionActive === true);
  }

  private statusOf(e: Entry): InterlockStatus {
    return {
      name: e.cfg.name,
      description: e.cfg.description,
      state: e.state,
      when: [...e.cfg.when],
      activeTriggers: this.activeTriggers(e),
      trippedBy: e.trippedBy,
      trippedTs: e.trippedTs,
      lastError: e.lastError,
      bypassedBy: e.bypassedBy,
      lastTiming: e.lastTiming,
    };
  }

  private unknown(name: string): InterlockCommandResult {
    return { ok: false, refusal: 'unknown-interlock', message: `no interlock "${name}" (interlocks: ${[...this.entries.keys()].join(', ') || 'none'})` };
  }

  /** Journals a state change (the entry carries the state it leaves, for restoreFromJournal) and tells listeners. */
  private record(entry: Entry, type: InterlockEventType, message: string, data: Record<string, unknown>): void {
    const { clock, journal, logger } = this.opts;
    const full = { ...data, trippedBy: entry.trippedBy, trippedTs: entry.trippedTs };
    try {
      journal(interlockEntry(clock, entry.cfg.name, type, entry.state, message, full));
    } catch (e) {
      logger?.error({ interlock: entry.cfg.name, event: type, err: e }, 'the interlock journal callback threw; the interlock carries on');
    }
    this.notify(entry);
  }

  private notify(entry: Entry): void {
    try {
      this.opts.onStateChange?.(this.statusOf(entry));
    } catch (e) {
      this.opts.logger?.error({ interlock: entry.cfg.name, err: e }, 'an interlock state listener threw');
    }
  }

  private tell(timing: TripTiming): void {
    try {
      this.opts.onTiming?.(timing);
    } catch (e) {
      this.opts.logger?.error({ interlock: timing.interlock, err: e }, 'an interlock timing listener threw');
    }
  }
}
