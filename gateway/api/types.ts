import type { Quality } from '../readings.js';
import type { Priority } from '../../rules/definitions/schema.js';
import type { InterlockCommandResult, InterlockStatus } from '../../rules/interlocks/types.js';
import type { Actor, AlarmCommand, AlarmSnapshot, AlarmState, CommandResult } from '../../rules/model.js';
import type { JournalQuery, StoredJournalEntry } from '../store/store.js';

export type { InterlockCommandResult, InterlockStatus } from '../../rules/interlocks/types.js';

/**
 * What the local HTTP API shows. The runtime implements GatewaySource; the API server only
 * formats and serves it, so the server can be tested without buses, a store or a broker.
 * These shapes are a user-facing interface (docs/api.md): add fields, never rename or remove.
 */

export type HealthStatus = 'ok' | 'degraded' | 'fault';

/**
 * - ok: polled and answering.
 * - comm-fault: did not answer (timeout, CRC, port gone) — a fault alarm, never silence.
 * - backed-off: not answering, so the bus queue stopped polling it for a while to protect its
 *   neighbours (DESIGN principle 4). No fresh data arrives, so it counts as a fault.
 * - config-fault: the register map / profile does not fit the device (e.g. illegal address).
 * - device-fault: the device answers but reports an internal failure (Modbus exception 4).
 * - starting: configured but not answered yet since the gateway started.
 */
export type DeviceState = 'ok' | 'comm-fault' | 'backed-off' | 'config-fault' | 'device-fault' | 'starting';

export const DEVICE_STATES: readonly DeviceState[] = [
  'ok',
  'comm-fault',
  'backed-off',
  'config-fault',
  'device-fault',
  'starting',
];

export interface BusHealth {
  name: string;
  type: 'rtu' | 'tcp';
  description: string;
  /** Transactions that reached the wire since start (Metrics.busCounts gives these). */
  transactions: number;
  /** Transactions that failed for any reason, timeouts included. */
  errors: number;
  timeouts: number;
  /**
   * RTU buses: the share of the line's time the site file books, in per cent (the bus budget of
   * `vigil validate`, computed once at start; above 100 the line cannot keep up). Absent for TCP.
   */
  budget?: number;
}

export interface DeviceHealth {
  name: string;
  bus: string;
  unitId: number;
  profile: string;
  state: DeviceState;
  /** Wall time of the last good answer, null if none since start. */
  lastSuccessTs: number | null;
  lastError?: string;
  /** Poll cycles that started late because the previous one had not finished. */
  overruns: number;
}

export interface BrokerHealth {
  /** false for a gateway deliberately run without a cloud link; then `connected` is not judged. */
  configured: boolean;
  connected: boolean;
  /** Broker URL without credentials. */
  url?: string;
  lastConnectedTs: number | null;
  lastError?: string;
}

export interface OutboxHealth {
  depth: { telemetry: number; event: number };
  bytes: number;
  budgetBytes: number;
  evicted: number;
  oldestTs: number | null;
  lastSeq: number;
}

export interface HealthReport {
  /** Derived from the other fields by deriveStatus (gateway/health/derive-status.ts). */
  status: HealthStatus;
  ts: number;
  uptimeSec: number;
  version: string;
  site: string;
  gateway: string;
  clock: { trusted: boolean; now: number };
  buses: BusHealth[];
  devices: DeviceHealth[];
  broker: BrokerHealth;
  /** `{ error }` when the store could not report (itself a fault). */
  outbox: OutboxHealth | { error: string };
  /**
   * The local safety layer (alarm engine, outputs, interlocks): what is wrong with it. Faults
   * (engine failed, outputs in failsafe, an interlock failed) make the gateway `fault`; warnings
   * (a bypassed interlock, alarms shelved or out of service) make it `degraded`.
   */
  safety?: { faults: string[]; warnings: string[] };
}

/** Everything in a HealthReport except what deriveStatus computes. */
export type HealthParts = Omit<HealthReport, 'status'>;

/**
 * The body of GET /api/health: the report plus why its status is not ok (one sentence per
 * problem, empty when ok), added by the API from the same rules as the status. Principle 2:
 * a degraded or faulted gateway says what is wrong.
 */
export interface HealthResponse extends HealthReport {
  reasons: string[];
}

export interface PointSnapshot {
  device: string;
  point: string;
  value: number | boolean | string | null;
  unit?: string;
  quality: Quality;
  ts: number;
  clockTrusted: boolean;
}

export interface GatewaySource {
  /** The runtime implements it (buildHealthReport helps); may reject — the API answers 500. */
  health(): Promise<HealthReport>;
  /**
   * Latest value of every configured point, including points with no reading yet (value null,
   * quality not good). Because every configured point is listed, `GET /api/points?device=X`
   * answers 404 when nothing matches: X is not a configured device.
   */
  points(): PointSnapshot[];
  /**
   * The alarm engine, outputs and interlocks (issue 3). Absent while the engine is not running:
   * the alarm routes then answer 503 and the rest of the API works as before.
   */
  alarms?: AlarmActionsSource;
}

// ------------------------------------------------------------------ alarms (issue 3)

/**
 * What the API and cloud commands may do to the alarm engine, the annunciator and the
 * interlocks. The runtime builds it (createAlarmActionsSource in alarm-source.ts helps); the
 * API server and the MQTT command handler only call it, so neither touches a bus, an output
 * or the store. Every method except journal() is synchronous: an acknowledge or a reset is
 * applied on the alarm path in the same turn, and the journal entry follows asynchronously.
 */
export interface AlarmActionsSource {
  /** Every alarm, in definition order. */
  snapshot(): AlarmSnapshot[];
  /** One person's command on one alarm; refused commands change nothing and say why. */
  command(cmd: AlarmCommand): CommandResult;
  /**
   * Acknowledge every alarm waiting for acknowledgement (unacknowledged, rtn-unacknowledged);
   * one result per alarm it tried, in definition order.
   */
  acknowledgeAll(actor: Actor, note?: string): CommandResult[];
  /** Silence the audible outputs (strobes keep flashing; a new alarm sounds again — GB 16808). */
  silence(actor: Actor, note?: string): SilenceResult;
  interlocks(): InterlockStatus[];
  /** Manual reset of a tripped or failed interlock; refused while a trigger is still active. */
  resetInterlock(name: string, actor: Actor, note?: string): InterlockCommandResult;
  /**
   * Bypass an interlock (maintenance: it will not trip) and take the bypass off again (it trips
   * at once if a trigger is active). Local only — never from the cloud: disabling a safety
   * function needs a person on site. Both are journaled with the actor and shown in health.
   */
  bypassInterlock(name: string, actor: Actor, note?: string): InterlockCommandResult;
  removeInterlockBypass(name: string, actor: Actor, note?: string): InterlockCommandResult;
  /**
   * Bring the outputs out of their safe state (failsafe) once the cause is gone; refused while
   * the alarm engine still cannot be vouched for. Local only.
   */
  recoverOutputs(actor: Actor, note?: string): SilenceResult;
  /**
   * The sounders, strobes, lamps and relays and what they are doing (GET /api/outputs); null
   * when the site has no outputs section.
   */
  outputs?(): OutputsReport | null;
  /**
   * Hold one output on (or off) for a few seconds — the installer's walk-test — or end such a
   * test early. Refused while a hazard or fault alarm needs attention or outputs are in failsafe;
   * a new alarm ends the test at once (docs/alarms.md "Output test"). Journaled with the actor.
   */
  testOutput?(req: { name: string; on: boolean; seconds: number }, actor: Actor): OutputTestResult;
  endOutputTest?(name: string, actor: Actor): OutputTestResult;
  /**
   * Ordered shutdown windows pushed by the cloud (electricity monitoring); the list replaces the
   * last one pushed. Absent when the site has no electricity section.
   */
  setShutdownWindows?(windows: readonly { id: string; start: string; end: string; reason?: string }[], actor: Actor, note?: string): { ok: true; message: string } | { ok: false; refusal: 'bad-request' | 'not-applicable'; message: string };
  /** Alarm-journal entries, newest first (Store.readJournal). */
  journal(query: JournalQuery): Promise<StoredJournalEntry[]>;
}

export interface OutputsReport {
  /** normal, self-test (a self-test or an output test runs), failsafe or stopped. */
  mode: string;
  failsafeReason: string | null;
  outputs: { name: string; kind: string; line: number; on: boolean; level: 0 | 1; pattern: string | null; silenced: boolean; fault: string | null }[];
}

export type OutputTestResult = { ok: true; message: string } | { ok: false; refusal: 'unknown-output' | 'bad-request' | 'not-applicable'; message: string };

export type SilenceResult = { ok: true; message: string } | { ok: false; refusal: 'not-applicable'; message: string };

export interface AlarmSummary {
  total: number;
  /** Alarms calling for attention (unacknowledged, acknowledged, rtn-unacknowledged, latched). */
  annunciating: number;
  /** Every state, zero included, so a dashboard need not know the list. */
  byState: Record<AlarmState, number>;
  byPriority: Record<Priority, { total: number; annunciating: number }>;
}

/** GET /api/alarms. */
export interface AlarmsResponse {
  summary: AlarmSummary;
  alarms: AlarmSnapshot[];
}

/** GET /api/alarms/journal. */
export interface JournalResponse {
  entries: StoredJournalEntry[];
  /** Pass as ?before= for the next (older) page; null when this page is the last. */
  nextBefore: number | null;
}
