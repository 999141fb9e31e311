import type { Clock } from '../clock/clock.js';
import type { Actor } from '../../rules/model.js';
import { performAction, type ActionRequest } from '../api/alarm-actions.js';
import type { AlarmActionsSource } from '../api/types.js';
import { CommandVerifier } from './command-auth.js';
import type { CommandError, CommandPayload, CommandReply } from './command-payloads.js';
import { PAYLOAD_VERSION } from './payloads.js';
import type { ForwarderLogger } from './types.js';

/**
 * Cloud commands end to end, minus MQTT: bytes in, reply out. Parses, verifies
 * (command-auth.ts), and carries the command out through the same AlarmActionsSource and the
 * same dispatcher as the local API, with the actor {kind: 'cloud', name: user} — so the journal
 * and the alarm event say who acted from where. Never throws and never rejects: a bad command
 * gets a reply that says why, and the gateway carries on.
 */
export interface CommandHandlerOptions {
  /** The alarm actions; a function when the engine starts after the forwarder. Absent: 'unavailable'. */
  alarms: AlarmActionsSource | (() => AlarmActionsSource | undefined) | undefined;
  /** cloud.mqtt.commands.key resolved (ResolvedSecrets.commandKey); absent: commands refused. */
  key: string | undefined;
  /** cloud.mqtt.commands.maxSkewMs (default 300 000 in the schema). */
  maxSkewMs: number;
  site: string;
  gateway: string;
  clock: Clock;
  logger?: ForwarderLogger;
  /** Accepted ids remembered for replay detection (default 1000). */
  rememberIds?: number;
}

export type CommandHandler = (payload: Buffer) => Promise<CommandReply>;

export function createCommandHandler(opts: CommandHandlerOptions): CommandHandler {
  const verifier = new CommandVerifier({
    key: opts.key,
    maxSkewMs: opts.maxSkewMs,
    site: opts.site,
    gateway: opts.gateway,
    ...(opts.rememberIds !== undefined ? { rememberIds: opts.rememberIds } : {}),
  });
  const log = opts.logger ?? { debug() {}, info() {}, warn() {}, error() {} };
  const alarms = (): AlarmActionsSource | undefined => (typeof opts.alarms === 'function' ? opts.alarms() : opts.alarms);

  const reply = (id: string | null, r: { ok: boolean; error?: CommandError; message: string; state?: string }): CommandReply => ({
    v: PAYLOAD_VERSION,
    site: opts.site,
    gateway: opts.gateway,
    id,
    ok: r.ok,
    ...(r.error !== undefined ? { error: r.error } : {}),
    message: r.message,
    ...(r.state !== undefined ? { state: r.state } : {}),
    ts: now(),
  });
  // A reply must go out even if the clock misbehaves (the handler never throws).
  const now = (): number => {
    try {
      return opts.clock.now();
    } catch {
      return Date.now();
    }
  };

  /** `seen.id` is filled in as soon as the command's id is known, for the reply if something throws. */
  const handle = (payload: Buffer, seen: { id: string | null }): CommandReply => {
    let raw: unknown;
    try {
      raw = JSON.parse(payload.toString('utf8'));
    } catch {
      log.warn({ bytes: payload.length }, 'cloud command refused: not JSON');
      return reply(null, { ok: false, error: 'bad-request', message: 'the command is not JSON' });
    }
    seen.id = typeof field(raw, 'id') === 'string' ? (field(raw, 'id') as string) : null;
    const trusted = opts.clock.isTrusted();
    const v = verifier.verify(raw, opts.clock.now(), trusted);
    if (!v.ok) {
      // Who tried what, never the signature or the note.
      log.warn({ id: v.id, user: field(raw, 'user'), action: field(raw, 'action'), error: v.error, reason: v.message }, 'cloud command refused');
      return reply(v.id, v);
    }
    const cmd = v.command;
    if (!trusted) log.warn({ id: cmd.id }, 'cloud command accepted without a ts check: the gateway clock is not trusted (the id check still applies)');
    const source = alarms();
    if (!source) {
      log.warn({ id: cmd.id, user: cmd.user, action: cmd.action }, 'cloud command refused: alarm engine not running');
      return reply(cmd.id, { ok: false, error: 'unavailable', message: 'alarm engine not running' });
    }
    const actor: Actor = { kind: 'cloud', name: cmd.user };
    const outcome = performAction(source, toRequest(cmd), actor);
    const target = 'alarm' in cmd ? cmd.alarm : 'interlock' in cmd ? cmd.interlock : undefined;
    if (!outcome.ok) {
      log.warn({ id: cmd.id, user: cmd.user, action: cmd.action, target, error: outcome.error, reason: outcome.message }, 'cloud command refused');
      return reply(cmd.id, outcome);
    }
    log.info({ id: cmd.id, user: cmd.user, action: cmd.action, target, state: outcome.state }, 'cloud command carried out');
    return reply(cmd.id, { ok: true, message: outcome.message, ...(outcome.state !== undefined ? { state: outcome.state } : {}) });
  };

  return async (payload) => {
    const seen: { id: string | null } = { id: null };
    try {
      return handle(payload, seen);
    } catch (e) {
      // The engine or a listener threw: the command may or may not have taken effect, and the
      // alarm event stream is the truth. Say so rather than guess.
      const message = e instanceof Error ? e.message : String(e);
      log.error({ id: seen.id, err: message }, 'cloud command failed');
      return reply(seen.id, { ok: false, error: 'internal', message: `the gateway failed while carrying out the command: ${message}; check the alarm events for its effect` });
    }
  };
}

function toRequest(cmd: CommandPayload): ActionRequest {
  const note = cmd.note !== undefined ? { note: cmd.note } : {};
  switch (cmd.action) {
    case 'silence':
    case 'acknowledge-all':
      return { action: cmd.action, ...note };
    case 'reset-interlock':
      return { action: cmd.action, interlock: cmd.interlock, ...note };
    case 'set-shutdown-windows':
      return { action: cmd.action, windows: cmd.windows, ...note };
    case 'shelve':
      return { action: cmd.action, alarmId: cmd.alarm, durationMinutes: cmd.durationMinutes, ...note };
    default:
      return { action: cmd.action, alarmId: cmd.alarm, ...note };
  }
}

function field(raw: unknown, name: string): unknown {
  if (raw === null || typeof raw !== 'object') return undefined;
  const v = (raw as Record<string, unknown>)[name];
  return typeof v === 'string' ? v.slice(0, 128) : undefined;
}
