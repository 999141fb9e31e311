/**
 * The exchange rules of GB/T 26875.3-2011 §6 (standards.md §3.2) from the receiving side, as
 * pure decisions: what to answer to a whole frame, and to a framing fault.
 *
 * - A valid command-2 frame (send data, the heartbeat included) is confirmed (command 3).
 * - Check errors are denied (command 6): bad checksum, unknown command, ADU over the limit, bad
 *   start or end. The codec's ADU errors (reserved type flag, wrong object count, body too short
 *   or long) are denied too: confirming data we could not read would tell the panel a fire alarm
 *   had arrived when it had not; a deny makes it resend and, after its retries, show a
 *   transmission fault — which someone will see.
 * - A frame whose header cannot be read (garbage, a damaged start, a broken-off or timed-out
 *   frame) cannot be denied — there is no serial number to echo. It is counted; the panel
 *   resends on no answer.
 * - Confirms, answers and denies from the panel are answers to nothing we sent: counted, not
 *   answered (answering an answer would start a ping-pong). Control, request and user-defined
 *   commands are denied as unsupported: Vigil is not controlled by a panel.
 */
import { Command, isKnownCommand, denyFrame, confirmFrame, Gb26875Frame, Gb26875Message, timeLabelFromDate, isValidTimeLabel, type ControlUnit, type Gb26875DecodeErrorCode, type TimeLabel } from '../gb26875/index.js';
import type { FramingFault, FramingFaultKind } from '../serial/index.js';

export type DenyReason = Gb26875DecodeErrorCode | 'unsupported-command';

export type FrameDecision =
  | { readonly kind: 'confirm'; readonly message: Gb26875Message; readonly reply: Buffer }
  | { readonly kind: 'deny'; readonly reason: DenyReason; readonly detail: string; readonly header: ControlUnit; readonly reply: Buffer }
  /** Nothing to answer: an answer from the panel, or an error without a readable header. */
  | { readonly kind: 'ignore'; readonly reason: string; readonly detail: string };

/** The fallback when the gateway's clock cannot make a valid label: 2000-01-01 00:00:00. */
const EPOCH_LABEL: TimeLabel = { second: 0, minute: 0, hour: 0, day: 1, month: 1, year: 0 };

/**
 * The time label for a reply. The gateway's time, in Beijing time as the codec's default; a
 * gateway whose clock is outside 2000–2099 (a Pi booted without RTC reads 1970) echoes the
 * panel's label instead, or 2000-01-01 — a reply must never fail for want of a date.
 */
export function replyTime(nowMs: number, theirs: TimeLabel | undefined): TimeLabel {
  try {
    return timeLabelFromDate(new Date(nowMs));
  } catch {
    return theirs !== undefined && isValidTimeLabel(theirs) ? theirs : EPOCH_LABEL;
  }
}

const REPLIES: ReadonlySet<number> = new Set([Command.Confirm, Command.Answer, Command.Deny]);

/** What to answer to one whole frame (one that passed the framer's envelope checks). */
export function decideFrame(frame: Uint8Array, nowMs: number): FrameDecision {
  const decoded = Gb26875Message.from(frame);
  if (!decoded.ok) {
    const { code, message, header } = decoded.error;
    if (!header) return { kind: 'ignore', reason: code, detail: message };
    return { kind: 'deny', reason: code, detail: message, header, reply: denyFrame(header, replyTime(nowMs, header.time)) };
  }
  const m = decoded.value;
  const command = m.header.command;
  if (command === Command.Send) return { kind: 'confirm', message: m, reply: confirmFrame(m.header, replyTime(nowMs, m.header.time)) };
  if (REPLIES.has(command)) return { kind: 'ignore', reason: `command-${command}`, detail: `command ${command} from the panel answers nothing Vigil sent` };
  return {
    kind: 'deny',
    reason: 'unsupported-command',
    detail: `command ${command} is not accepted from a panel (Vigil takes send-data, command 2)`,
    header: m.header,
    reply: denyFrame(m.header, replyTime(nowMs, m.header.time)),
  };
}

/** Framer fault kinds that are check errors of §6 and, with a readable header, are denied. */
const DENIABLE: Partial<Record<FramingFaultKind, DenyReason>> = {
  'bad-check': 'bad-checksum',
  'bad-end': 'bad-end',
  'bad-length': 'adu-over-limit',
};

/**
 * What to answer to a framing fault. The framer rejected the candidate before any codec saw it;
 * its `head` holds the header (the whole candidate for bad-check/bad-end, ≥ 26 bytes for
 * bad-length), from which the serial number is read to deny it.
 */
export function decideFault(fault: FramingFault, nowMs: number): FrameDecision {
  const reason = DENIABLE[fault.kind];
  if (reason === undefined) return { kind: 'ignore', reason: fault.kind, detail: fault.message };
  const header = readableHeader(fault.head);
  // A length or end rejected in noise may be a false '@@': its "header" is random bytes. Deny only
  // one whose command byte is a real command — a deny with a garbage serial number would at best
  // be ignored and at worst make the panel resend a frame it never had trouble with.
  if (!header || !isKnownCommand(header.command)) return { kind: 'ignore', reason: fault.kind, detail: `${fault.message} (header unreadable: not denied)` };
  return { kind: 'deny', reason, detail: fault.message, header, reply: denyFrame(header, replyTime(nowMs, header.time)) };
}

/**
 * The control unit of a damaged candidate, if its bytes 1–27 are there and it starts with '@@'.
 * The codec reads the header of any frame of ≥ 30 bytes whose start is right; a shorter head is
 * padded for it (only bytes 3–27 are read into the header).
 */
export function readableHeader(head: Uint8Array): ControlUnit | undefined {
  if (head.length < 27 || head[0] !== 0x40 || head[1] !== 0x40) return undefined;
  const padded = head.length >= 30 ? Buffer.from(head) : Buffer.concat([head, Buffer.alloc(30 - head.length)]);
  const r = Gb26875Frame.from(padded);
  if (r.ok) return r.value.header;
  return r.error.header;
}
