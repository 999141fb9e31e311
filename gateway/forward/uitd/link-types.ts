/** The UitdLink's options, hooks, events and counters (uitd-link.ts). */
import type { Clock } from '../../clock/clock.js';
import type { ByteTransport } from '../../../drivers/serial/index.js';
import type { TimeLabel } from '../../../drivers/gb26875/index.js';
import type { UitdConfig } from './config-schema.js';
import type { DutyCheckEnd, DutyCheckRequest } from './duty-check.js';
import type { UitdQueueStore } from './queue-store.js';
import type { UitdStateProvider } from './read-answers.js';
import type { UitdSendQueueEvents } from './send-queue.js';
import type { UitdQueueItem, UitdTimers } from './types.js';

export interface ClockSyncRequest {
  /** The time the centre sent, as an instant (its label read in `utcOffsetMinutes`). */
  time: Date;
  label: TimeLabel;
  /** centre − gateway wall clock, ms: positive when the gateway is behind. */
  offsetMs: number;
}

export interface UitdLinkHooks {
  /** An exchange failed (no confirm after 1 + retries, or denied each time): sound the local failure indication, raise the fault alarm. */
  onSendFailure?(e: UitdSendQueueEvents['send-failure']): void;
  /** Delivery works again: the failure indication may stop. */
  onSendRecovered?(e: UitdSendQueueEvents['recovered']): void;
  /** 查岗 arrived (confirmed already): sound and flash until answerDutyCheck() or onDutyCheckEnd. */
  onDutyCheck?(request: DutyCheckRequest): void;
  /** The prompt ends: answered, unanswered after its window, or superseded by a new one. */
  onDutyCheckEnd?(end: DutyCheckEnd): void;
  /** Type 90, confirmed. The gateway does not set the OS clock: log and record the offset. */
  onClockSync?(sync: ClockSyncRequest): void;
  /** Type 89, confirmed. */
  onInitialise?(): void;
}

export interface UitdLinkOptions {
  config: UitdConfig;
  store: UitdQueueStore;
  state: UitdStateProvider;
  clock: Clock;
  hooks?: UitdLinkHooks;
  timers?: UitdTimers;
  /** Opens one connection to the centre (default: TCP to config.centre). */
  connect?: () => Promise<ByteTransport>;
  /** Backoff jitter source (tests). */
  random?: () => number;
  newId?: () => string;
  onListenerError?: (event: string, error: unknown) => void;
}

export interface UitdLinkEvents {
  connected: { description: string };
  disconnected: { description: string; byOwner: boolean; error?: Error };
  'connect-failed': { error: unknown; retryInMs: number };
  /** A frame from the centre failed validation; `denied` says whether a deny was sent. */
  'invalid-frame': { code: string; message: string; denied: boolean };
  'read-answered': { type: number; objects: number; truncatedFrom?: number };
  'read-denied': { type: number | undefined; reason: string };
  /** A well-formed frame we do not take (a command or type a centre should not send us). */
  'unexpected-frame': { command: number; type?: number | string; reply: 'deny' | 'none' };
  'clock-sync': ClockSyncRequest;
  /** The centre said nothing for heartbeat.silenceTimeoutMs: the connection is dropped and made again. */
  'centre-silent': { silentMs: number };
  /** The wall clock cannot be written as a time label (before 2000, a Pi without an RTC): the frame went with a placeholder label. */
  'bad-clock': { now: number };
  'write-error': { error: unknown };
}

export interface UitdLinkCounters {
  connections: number;
  framesIn: number;
  invalid: Record<string, number>;
  deniesSent: number;
  confirmsSent: number;
  answersSent: number;
  heartbeatsSent: number;
  heartbeatsConfirmed: number;
  unexpected: number;
}

export type DutyCheckAnswer = { ok: true; item: UitdQueueItem; responseMs: number } | { ok: false; reason: string };
