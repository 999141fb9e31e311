/**
 * 查岗 (duty-check, type 91): the centre asks whether a person is on duty at the premises. GB 26875.1
 * (standards.md §3.1): the UITD sounds and flashes until a person answers, until a new command
 * arrives, or for 10 minutes. The answer is sent only when a person acts (a button, the console, the
 * API) — never by the gateway on its own: an automatic answer would tell the centre someone is
 * there when no one is.
 *
 * This tracks the one open request and its answer window; the link confirms the command, raises the
 * local prompt and sends the answer. The answer goes upstream as a UITD operation record (type 24)
 * with bit 5 查岗应答 set (UITD_OPERATION_BITS.dutyCheckAnswer).
 */
import type { Clock } from '../../clock/clock.js';
import type { Actor } from '../../../rules/model.js';
import type { UitdTimers } from './types.js';

/** GB 26875.1: the prompt is held up to 10 minutes. */
export const DEFAULT_DUTY_CHECK_WINDOW_MS = 10 * 60_000;

export interface DutyCheckRequest {
  /** Counts requests since start (for the UI and the log; not the frame's serial). */
  readonly id: number;
  /** The serial number of the centre's command, for the log. */
  readonly serial: number;
  /** The byte the centre sent (some send the window in minutes; 0 = not given). */
  readonly answerMinutes: number;
  /** How long a person has to answer. */
  readonly windowMs: number;
  /** Wall-clock ms when it arrived. */
  readonly receivedTs: number;
}

export type DutyCheckEnd =
  | { outcome: 'answered'; request: DutyCheckRequest; by: Actor; responseMs: number }
  | { outcome: 'unanswered'; request: DutyCheckRequest }
  | { outcome: 'superseded'; request: DutyCheckRequest; by: DutyCheckRequest };

export type DutyCheckAnswerResult = { ok: true; end: Extract<DutyCheckEnd, { outcome: 'answered' }> } | { ok: false; reason: string };

export interface DutyCheckTrackerOptions {
  clock: Pick<Clock, 'now' | 'monotonic'>;
  timers: UitdTimers;
  /** Window when the centre's byte is 0 (default 10 min). */
  defaultWindowMs?: number;
  /** Honour the centre's answerMinutes byte (default true; it is a centre convention, see control.ts). */
  useCentreWindow?: boolean;
  /** The prompt ends (answered, unanswered, superseded): the owner stops the sounder/strobe and records it. */
  onEnd: (end: DutyCheckEnd) => void;
}

export class DutyCheckTracker {
  private open: { request: DutyCheckRequest; startedMono: number; timer: unknown } | null = null;
  private count = 0;

  constructor(private readonly opts: DutyCheckTrackerOptions) {}

  /** A duty-check arrived: it replaces any still open (a new command ends the old prompt, §3.1). */
  start(serial: number, answerMinutes: number): DutyCheckRequest {
    const useCentre = this.opts.useCentreWindow ?? true;
    const windowMs = useCentre && answerMinutes > 0 ? answerMinutes * 60_000 : (this.opts.defaultWindowMs ?? DEFAULT_DUTY_CHECK_WINDOW_MS);
    this.count += 1;
    const request: DutyCheckRequest = { id: this.count, serial, answerMinutes, windowMs, receivedTs: this.opts.clock.now() };
    const previous = this.open;
    if (previous) {
      this.opts.timers.clearTimeout(previous.timer);
      this.open = null;
      this.opts.onEnd({ outcome: 'superseded', request: previous.request, by: request });
    }
    const timer = this.opts.timers.setTimeout(() => this.expire(request), windowMs);
    this.open = { request, startedMono: this.opts.clock.monotonic(), timer };
    return request;
  }

  /** A person answered. Refused when nothing is waiting (never answered, already answered, or expired). */
  answer(by: Actor): DutyCheckAnswerResult {
    const open = this.open;
    if (!open) return { ok: false, reason: 'no duty-check (查岗) is waiting for an answer' };
    this.opts.timers.clearTimeout(open.timer);
    this.open = null;
    const end = { outcome: 'answered' as const, request: open.request, by, responseMs: this.opts.clock.monotonic() - open.startedMono };
    this.opts.onEnd(end);
    return { ok: true, end };
  }

  pending(): DutyCheckRequest | null {
    return this.open?.request ?? null;
  }

  stop(): void {
    if (this.open) this.opts.timers.clearTimeout(this.open.timer);
    this.open = null;
  }

  private expire(request: DutyCheckRequest): void {
    if (this.open?.request !== request) return;
    this.open = null;
    this.opts.onEnd({ outcome: 'unanswered', request });
  }
}
