import { z } from 'zod';
import type { Actor, AlarmCommand, AlarmSnapshot, AlarmTransition, CommandRefusal } from '../../rules/model.js';
import type { InterlockRefusal } from '../../rules/interlocks/types.js';
import type { AlarmActionsSource } from './types.js';
import { COMMAND_WORDS } from '../../rules/engine/journal.js';
import type { CloudShutdownWindows } from '../../rules/electricity/config-schema.js';

/**
 * The alarm actions a person can take, shared by the local API (alarms-route.ts) and cloud
 * commands (gateway/forward/command-handler.ts): one vocabulary, one set of limits, one
 * dispatcher — so a reset from the duty room's browser and one from the cloud platform are
 * judged the same way and journaled with their actor.
 */

/** Actions on one alarm; the names are AlarmCommand's (rules/model.ts) and the API's URL segments. */
export const ALARM_ACTIONS = [
  'acknowledge',
  'reset',
  'shelve',
  'unshelve',
  'suppress',
  'unsuppress',
  'remove-from-service',
  'return-to-service',
] as const satisfies readonly AlarmCommand['action'][];
export type AlarmAction = (typeof ALARM_ACTIONS)[number];

/** Every action a cloud command may carry. */
export const COMMAND_ACTIONS = [...ALARM_ACTIONS, 'silence', 'acknowledge-all', 'reset-interlock', 'set-shutdown-windows'] as const;
export type CommandAction = (typeof COMMAND_ACTIONS)[number];

/**
 * ISA-18.2 §10 / IEC 62682: shelving is temporary and time-limited. One day covers a shift and
 * a hand-over; an alarm that must stay hidden longer is removed from service instead, which is
 * a deliberate maintenance act and is reported as such.
 */
export const MAX_SHELVE_MINUTES = 24 * 60;
export const MAX_NOTE_LENGTH = 1_000;

export const NoteSchema = z
  .string()
  .min(1)
  .max(MAX_NOTE_LENGTH)
  .refine((s) => s.trim().length > 0, 'must not be blank')
  .describe('Handling note for the hazard ledger (处置 note); journaled with the transition');

export const DurationMinutesSchema = z
  .number()
  .int()
  .min(1)
  .max(MAX_SHELVE_MINUTES)
  .describe(`Shelve only: minutes until the shelve expires (1–${MAX_SHELVE_MINUTES}; ISA-18.2 shelving is time-limited)`);

/** What a caller asks for, once its input has been validated. */
export type ActionRequest =
  | { action: AlarmAction; alarmId: string; durationMinutes?: number; note?: string }
  | { action: 'acknowledge-all' | 'silence'; note?: string }
  | { action: 'reset-interlock' | 'bypass-interlock' | 'remove-interlock-bypass'; interlock: string; note?: string }
  | { action: 'recover-outputs'; note?: string }
  | { action: 'set-shutdown-windows'; windows: CloudShutdownWindows['windows']; note?: string };

/**
 * unknown-alarm / unknown-interlock → 404, bad-request → 400, the others → 409 (the request was
 * understood and refused because of the state things are in).
 */
export type ActionRefusal = CommandRefusal | InterlockRefusal | 'bad-request';

export type ActionOutcome =
  | {
      ok: true;
      message: string;
      /** The alarm's or interlock's state afterwards (absent for silence and acknowledge-all). */
      state?: string;
      /** The alarm transitions the action caused, in order (none for silence and interlock resets). */
      transitions: AlarmTransition[];
      /** The alarm after the action (single-alarm actions). */
      alarm?: AlarmSnapshot;
    }
  | { ok: false; error: ActionRefusal; message: string; state?: string };


const by = (actor: Actor): string => (actor.name === undefined ? actor.kind : `${actor.kind} user ${actor.name}`);

/** Applies one validated request. Synchronous; throws only if the source itself throws. */
export function performAction(source: AlarmActionsSource, req: ActionRequest, actor: Actor): ActionOutcome {
  switch (req.action) {
    case 'acknowledge-all': {
      const results = source.acknowledgeAll(actor, req.note);
      const transitions = results.flatMap((r) => (r.ok ? [r.transition] : []));
      const message = transitions.length === 0 ? 'no alarm was waiting for acknowledgement' : `${transitions.length} alarm(s) acknowledged by ${by(actor)}`;
      return { ok: true, message, transitions };
    }
    case 'silence': {
      const r = source.silence(actor, req.note);
      return r.ok ? { ok: true, message: r.message, transitions: [] } : { ok: false, error: r.refusal, message: r.message };
    }
    case 'reset-interlock':
    case 'bypass-interlock':
    case 'remove-interlock-bypass': {
      const act = { 'reset-interlock': source.resetInterlock, 'bypass-interlock': source.bypassInterlock, 'remove-interlock-bypass': source.removeInterlockBypass }[req.action];
      const r = act.call(source, req.interlock, actor, req.note);
      if (!r.ok) return { ok: false, error: r.refusal, message: r.message, ...(r.state !== undefined ? { state: r.state } : {}) };
      const done = { 'reset-interlock': 'reset', 'bypass-interlock': 'bypassed', 'remove-interlock-bypass': 'bypass removed' }[req.action];
      return { ok: true, message: `interlock ${req.interlock} ${done} by ${by(actor)} (now ${r.state})`, state: r.state, transitions: [] };
    }
    case 'set-shutdown-windows': {
      if (!source.setShutdownWindows) return { ok: false, error: 'not-applicable', message: 'this gateway has no electricity section: shutdown windows have nothing to apply to' };
      const r = source.setShutdownWindows(req.windows, actor, req.note);
      return r.ok ? { ok: true, message: r.message, transitions: [] } : { ok: false, error: r.refusal, message: r.message };
    }
    case 'recover-outputs': {
      const r = source.recoverOutputs(actor, req.note);
      return r.ok ? { ok: true, message: r.message, transitions: [] } : { ok: false, error: r.refusal, message: r.message };
    }
    default:
      return alarmCommand(source, req, actor);
  }
}

function alarmCommand(source: AlarmActionsSource, req: Extract<ActionRequest, { alarmId: string }>, actor: Actor): ActionOutcome {
  const { action, alarmId, durationMinutes, note } = req;
  if (action === 'shelve' && durationMinutes === undefined) {
    return { ok: false, error: 'bad-request', message: `durationMinutes is required to shelve (1–${MAX_SHELVE_MINUTES}; ISA-18.2 shelving is time-limited)` };
  }
  if (action !== 'shelve' && durationMinutes !== undefined) {
    return { ok: false, error: 'bad-request', message: `durationMinutes applies to shelve only, not to ${action}` };
  }
  const withNote = note === undefined ? {} : { note };
  const cmd: AlarmCommand =
    action === 'shelve' ? { action, alarmId, actor, durationMs: durationMinutes! * 60_000, ...withNote } : { action, alarmId, actor, ...withNote };
  const r = source.command(cmd);
  if (!r.ok) return { ok: false, error: r.refusal, message: r.message, ...(r.state !== undefined ? { state: r.state } : {}) };
  const t = r.transition;
  const what = action === 'shelve' ? `shelved for ${durationMinutes} min` : COMMAND_WORDS[action];
  const alarm = source.snapshot().find((a) => a.id === alarmId);
  return {
    ok: true,
    message: `${alarmId} ${what} by ${by(actor)} (${t.from} → ${t.to})`,
    state: t.to,
    transitions: [t],
    ...(alarm !== undefined ? { alarm } : {}),
  };
}

/** One zod issue as "<where>.<field>: <what>", naming the field a person got wrong. */
export function describeIssue(issue: z.core.$ZodIssue, where: string): string {
  const path = issue.path.map(String).join('.');
  const at = path === '' ? where : `${where}.${path}`;
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${at}.${k}: unknown field`).join('; ');
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `${at}: required`;
  return `${at}: ${issue.message}`;
}
