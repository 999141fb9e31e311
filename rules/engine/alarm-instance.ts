import type { PointValue, Quality } from '../../gateway/readings.js';
import type { Condition, RawCondition } from '../conditions/condition.js';
import { DelayFilter, type DelayResult } from '../conditions/delay-filter.js';
import { PRIORITY_COLOUR, type AlarmDef } from '../definitions/schema.js';
import type { AlarmSnapshot, AlarmState, Occurrence, PersistedAlarmState, ResolvedAlarm } from '../model.js';
import { isAnnunciating } from '../state-machine/transition-table.js';
import { copyOccurrence, peakDirection, type PeakDirection } from './occurrence.js';

/** What filter() changed (bit flags: no allocation on the alarm path). */
export const CHANGED_NOTHING = 0;
/** The on-delay started or stopped: pendingSince must be persisted. */
export const CHANGED_PENDING = 1;
/** The filtered condition flipped: an activate or clear event. */
export const CHANGED_CONDITION = 2;

/**
 * One alarm at run time: its definition, its condition detector, the on/off-delay filter in
 * front of the state machine, and everything that is persisted. The engine drives it; this
 * class holds no timers and calls no listeners.
 */
export class AlarmInstance {
  readonly id: string;
  readonly def: AlarmDef;
  readonly device: string | undefined;
  readonly point: string | undefined;
  readonly setpoint: number | undefined;
  readonly colour: AlarmSnapshot['colour'];
  readonly peak: PeakDirection;

  /** The raw condition detector; null for a vote (the engine computes its raw condition). */
  condition: Condition | null = null;
  private readonly delay: DelayFilter;

  /** The last raw condition (before delays). */
  raw: RawCondition = 'unknown';
  /** What was last fed to the delay filter ('unknown' resolved to a boolean). */
  private filterInput: boolean;
  /** The condition after on/off delays: what activates and clears the alarm. */
  conditionActive: boolean;
  /** An on-delay is running. */
  onDelayRunning: boolean;
  /** Wall ms when the running on-delay began (persisted), or null. */
  pendingSince: number | null = null;
  /** A persisted on-delay start, applied at the first evaluation after a restart. */
  private restoredPending: number | null = null;
  /** Monotonic ms when the running delay completes (the filter's nextCheckAt), or null. */
  delayNext: number | null = null;

  state: AlarmState = 'normal';
  latchPending = false;
  shelvedUntil: number | null = null;
  occurrence: Occurrence | null = null;
  updatedTs: number;

  value: PointValue | undefined;
  unit: string | undefined;
  quality: Quality | undefined;

  /** The deadlines this alarm currently wants (monotonic ms); the queue skips entries that differ. */
  delayDue: number | null = null;
  pollDue: number | null = null;
  shelveDue: number | null = null;

  /** A vote's inputs, and the votes that count this alarm. */
  readonly inputs: AlarmInstance[] = [];
  readonly dependents: AlarmInstance[] = [];
  /** An evaluation failure of this alarm has been reported (once per alarm). */
  faultReported = false;

  constructor(
    readonly alarm: ResolvedAlarm,
    readonly index: number,
    restored: PersistedAlarmState | undefined,
    now: number,
  ) {
    this.id = alarm.id;
    this.def = alarm.def;
    this.device = alarm.device;
    this.point = 'point' in alarm.def ? alarm.def.point : undefined;
    this.setpoint = setpointOf(alarm.def);
    this.colour = PRIORITY_COLOUR[alarm.def.priority];
    this.peak = peakDirection(alarm.def);
    this.updatedTs = now;
    if (restored) {
      this.state = restored.state;
      this.latchPending = restored.latchPending;
      this.shelvedUntil = restored.state === 'shelved' ? restored.shelvedUntil : null;
      this.occurrence = copyOccurrence(restored.occurrence);
      this.updatedTs = restored.updatedTs;
      this.pendingSince = restored.conditionActive ? null : restored.pendingSince;
      this.restoredPending = this.pendingSince;
    }
    this.conditionActive = restored?.conditionActive ?? false;
    this.filterInput = this.conditionActive;
    // A restored on-delay counts as running, so that a first reading the engine cannot judge
    // (comm-fault) keeps it running instead of cancelling it: fail safe.
    this.onDelayRunning = this.restoredPending !== null;
    this.delay = new DelayFilter(alarm.def.onDelayMs, alarm.def.offDelayMs, this.conditionActive);
  }

  /**
   * A new raw condition. 'unknown' (no value: comm-fault, null) HOLDS: an active condition stays
   * active (a running off-delay is cancelled) and a running on-delay keeps running — losing
   * communication never clears an alarm nor hides one that was about to activate.
   *
   * After a restart, the first evaluation resumes a persisted on-delay from its wall-clock start:
   * remaining = onDelay − (now − pendingSince), or 0 when the clock is untrusted or went back —
   * an on-delay cannot hide an alarm because the process restarted (issue 3).
   */
  filter(raw: RawCondition, mono: number, now: number, clockTrusted: boolean): number {
    this.raw = raw;
    const input = raw === 'unknown' ? this.conditionActive || this.onDelayRunning : raw;
    let result: DelayResult;
    if (this.restoredPending !== null) {
      const since = this.restoredPending;
      this.restoredPending = null;
      if (input) {
        const elapsed = now - since;
        const trusted = clockTrusted && elapsed >= 0;
        this.delay.seedPending(trusted ? mono - elapsed : mono - this.def.onDelayMs);
      }
      result = this.delay.update(input, mono);
    } else {
      // Fast path: nothing new and no delay running — the filter's answer cannot change.
      if (input === this.filterInput && this.delayNext === null) return CHANGED_NOTHING;
      result = this.delay.update(input, mono);
    }
    this.filterInput = input;
    return this.absorb(result, mono, now);
  }

  /** Time passes: completes a delay that has run out. */
  checkDelay(mono: number, now: number): number {
    return this.absorb(this.delay.check(mono), mono, now);
  }

  /** The point's detector is in fault (for votes with faultCounts): it has answered, but not well. */
  inFault(): boolean {
    return this.quality !== undefined && this.quality !== 'good';
  }

  persisted(): PersistedAlarmState {
    return {
      id: this.id,
      state: this.state,
      conditionActive: this.conditionActive,
      latchPending: this.latchPending,
      pendingSince: this.pendingSince,
      shelvedUntil: this.shelvedUntil,
      occurrence: copyOccurrence(this.occurrence),
      updatedTs: this.updatedTs,
    };
  }

  snapshot(): AlarmSnapshot {
    const d = this.def;
    const s: AlarmSnapshot = {
      id: this.id,
      name: d.name,
      description: d.description,
      kind: d.kind,
      priority: d.priority,
      colour: this.colour,
      class: d.class,
      latch: d.latch,
      state: this.state,
      conditionActive: this.conditionActive,
      latchPending: this.latchPending,
      annunciating: isAnnunciating(this.state),
      shelvedUntil: this.shelvedUntil,
      occurrence: copyOccurrence(this.occurrence),
    };
    if (this.device !== undefined) s.device = this.device;
    if (this.point !== undefined) s.point = this.point;
    if (this.setpoint !== undefined) s.setpoint = this.setpoint;
    if (this.value !== undefined) s.value = this.value;
    return s;
  }

  private absorb(result: DelayResult, mono: number, now: number): number {
    let changes = CHANGED_NOTHING;
    this.delayNext = result.nextCheckAt;
    const running = result.pendingSince !== null;
    // The wall-clock start is taken once, when the on-delay begins (or kept from the restore).
    const pendingSince = running ? (this.pendingSince ?? now - (mono - (result.pendingSince as number))) : null;
    this.onDelayRunning = running;
    if (pendingSince !== this.pendingSince) {
      this.pendingSince = pendingSince;
      changes |= CHANGED_PENDING;
    }
    if (result.active !== this.conditionActive) {
      this.conditionActive = result.active;
      changes |= CHANGED_CONDITION;
    }
    return changes;
  }
}

/** The number the alarm is judged against, for messages and the API. */
function setpointOf(def: AlarmDef): number | undefined {
  switch (def.kind) {
    case 'high':
    case 'low':
      return def.setpoint;
    case 'rate':
      return def.perMinute;
    case 'vote':
      return def.k;
    default:
      return undefined;
  }
}
