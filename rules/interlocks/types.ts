import type { Clock } from '../../gateway/clock/clock.js';
import type { PointValue } from '../../gateway/readings.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import type { Actor } from '../model.js';
import type { AlarmEngineView } from '../engine/types.js';

/**
 * The interlock controller's vocabulary: its states, what it reports, and the small
 * interfaces it drives hardware through (so tests and the virtual rig stand in for a bus).
 */

/**
 * - ready: armed, nothing to do;
 * - tripping: a trigger activated, the actions are issued and being confirmed (or retried);
 * - tripped: every action confirmed (the valve is closed, the fan runs) — until a manual reset;
 * - failed: the actions could not be confirmed after every retry. Its own fault (故障), kept
 *   until confirmed or reset, retried periodically meanwhile — a failed interlock is never forgotten;
 * - bypassed: a person took it out of service for maintenance; trips are blocked (and journaled).
 */
export const INTERLOCK_STATES = ['ready', 'tripping', 'tripped', 'failed', 'bypassed'] as const;
export type InterlockState = (typeof INTERLOCK_STATES)[number];

/** Reads and writes field points. The gateway implements it over the bus queues (modbus-point-io.ts). */
export interface PointIo {
  /**
   * Writes an engineering value. MUST enqueue the bus request synchronously, before its first
   * await (the interlock write leaves in the same turn as the alarm, GB 50166 ≤ 3 s linkage), and
   * at interlock priority. Rejects with an error that names the device and point.
   */
  writePoint(device: string, point: string, value: number | boolean): Promise<void>;
  /** Reads a point now (not a cached value), at interlock priority; rejects when it cannot be read or is bad. */
  readPoint(device: string, point: string): Promise<PointValue>;
}

/** Monotonic timestamps of one trip, for the alarm-latency benchmark and the journal. */
export interface TripTiming {
  interlock: string;
  /** The alarm id whose condition tripped it ('restart' when a restored trip did not record one). */
  trigger: string;
  /** When the condition change reached the controller. */
  trippedAt: number;
  /** When every action had been issued (writes enqueued, relays switched): the same turn as trippedAt. */
  issuedAt: number;
  /** When every action was confirmed; null when the trip ended in 'failed'. */
  confirmedAt: number | null;
  /** Attempts used (1 = confirmed at the first try). */
  attempts: number;
}

/** What the API, health and the lead's fault alarm see of one interlock. */
export interface InterlockStatus {
  name: string;
  description: string;
  state: InterlockState;
  when: string[];
  /** Trigger alarms whose condition is active now. */
  activeTriggers: string[];
  /** What tripped it last and when (wall ms), while tripping/tripped/failed. */
  trippedBy: string | null;
  trippedTs: number | null;
  /** Why the last attempt failed (null once confirmed). */
  lastError: string | null;
  /** Who bypassed it, while bypassed. */
  bypassedBy: Actor | null;
  lastTiming: TripTiming | null;
}

export type InterlockRefusal = 'unknown-interlock' | 'condition-present' | 'not-applicable';

export type InterlockCommandResult = { ok: true; state: InterlockState } | { ok: false; refusal: InterlockRefusal; message: string; state?: InterlockState };

export interface InterlockLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Timing policy; the defaults suit an RS-485 actuator (see DEFAULT_INTERLOCK_POLICY). */
export interface InterlockPolicy {
  /** Wait before retry k (1-based) while tripping. */
  retryBackoffMs: (retry: number) => number;
  /** Once failed, the actions are tried again this often, forever (until confirmed, reset or bypassed). */
  failedRetryMs: number;
  /** How often a feedback point (`confirm`) is read while waiting for it. */
  feedbackPollMs: number;
  /**
   * An attempt that has not settled after this long (plus `confirm.withinMs`) counts as failed,
   * so a request that never settles cannot hold an interlock in 'tripping' for ever.
   */
  attemptTimeoutMs: number;
}

export interface InterlockControllerOptions {
  engine: Pick<AlarmEngineView, 'get' | 'onCondition'>;
  io: PointIo;
  /** Switches a local relay output (the annunciator); false when it could not. Must not block. */
  setRelay(name: string, on: boolean): boolean;
  /** Output names that exist, to refuse an action naming an unknown one at construction. */
  outputNames?: readonly string[];
  clock: Clock;
  /**
   * Journal entries (subject "interlock:<name>"), to commit with Store.commitAlarms. Called
   * synchronously; must not block. The last entry per subject restores the state after a restart.
   */
  journal(entry: JournalEntry): void;
  /** Each trip's timings, when it is confirmed or has failed (benchmark, metrics). */
  onTiming?(timing: TripTiming): void;
  /** Every state change (health; the lead raises the fault alarm on 'failed'). */
  onStateChange?(status: InterlockStatus): void;
  logger?: InterlockLogger;
  policy?: Partial<InterlockPolicy>;
}
