import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Actor } from '../../rules/model.js';
import { describeIssue, DurationMinutesSchema, NoteSchema, performAction, type ActionOutcome, type ActionRequest } from './alarm-actions.js';
import type { BearerAuth } from './auth.js';
import { apiError } from './errors.js';
import type { AlarmActionsSource, GatewaySource } from './types.js';

/**
 * The HTTP side every alarm/interlock action shares: who is asking (bearer token → actor),
 * whether the engine is there, what the body says, and how an outcome becomes a status code.
 */

export interface ActionContext {
  source: GatewaySource;
  auth: BearerAuth;
  log?: Logger | undefined;
}

/** The body of every action: a note, and the shelve duration. Unknown fields are refused, not dropped. */
export const ActionBodySchema = z.strictObject({ note: NoteSchema.optional(), durationMinutes: DurationMinutesSchema.optional() });
export type ActionBody = z.infer<typeof ActionBodySchema>;

/**
 * The actor behind a POST, or undefined after answering 401/403. RFC 6750 §3: a 401 carries
 * `WWW-Authenticate: Bearer`, with error="invalid_token" when a token was presented.
 */
export function requireActor(ctx: ActionContext, req: FastifyRequest, reply: FastifyReply): Actor | undefined {
  const r = ctx.auth.authenticate(req.headers.authorization);
  if (r.ok) return r.actor;
  if (r.reason === 'no-users') {
    void reply.code(403).send(apiError('forbidden', 'alarm actions need api.users in the site file (a name and a token per person); none are configured'));
    return undefined;
  }
  // An audit trail of refused attempts; never the token itself.
  ctx.log?.warn({ method: req.method, url: req.url, ip: req.ip, reason: r.reason }, 'local API: alarm action refused (authentication)');
  const invalid = r.reason === 'invalid';
  void reply
    .code(401)
    .header('www-authenticate', invalid ? 'Bearer realm="vigil", error="invalid_token"' : 'Bearer realm="vigil"')
    .send(apiError('unauthorized', invalid ? 'the bearer token is not one of api.users' : 'alarm actions need a token: Authorization: Bearer <token> (api.users in the site file)'));
  return undefined;
}

/** The alarm source, or undefined after answering 503 (the engine is not running). */
export function requireAlarms(ctx: ActionContext, reply: FastifyReply): AlarmActionsSource | undefined {
  if (ctx.source.alarms) return ctx.source.alarms;
  void reply.code(503).send(apiError('unavailable', 'alarm engine not running'));
  return undefined;
}

/** The parsed body, or undefined after answering 400 naming the field. No body at all is `{}`. */
export function parseActionBody(req: FastifyRequest, reply: FastifyReply): ActionBody | undefined {
  const raw = req.body === undefined ? {} : req.body;
  const r = ActionBodySchema.safeParse(raw);
  if (r.success) return r.data;
  const message =
    raw === null || typeof raw !== 'object' || Array.isArray(raw)
      ? 'body: must be a JSON object such as {"note": "…"}'
      : r.error.issues.map((i) => describeIssue(i, 'body')).join('; ');
  void reply.code(400).send(apiError('bad_request', message));
  return undefined;
}

/**
 * 200 with the outcome; refusals: unknown alarm/interlock 404, a bad combination 400, anything
 * else 409 with the refusal code and the state it is in (a reset while the gas is still there
 * is a conflict with the world, not a malformed request).
 */
export function sendOutcome(reply: FastifyReply, outcome: ActionOutcome): FastifyReply {
  if (outcome.ok) return reply.code(200).send(outcome);
  if (outcome.error === 'unknown-alarm' || outcome.error === 'unknown-interlock') return reply.code(404).send(apiError('not_found', outcome.message));
  if (outcome.error === 'bad-request') return reply.code(400).send(apiError('bad_request', outcome.message));
  return reply.code(409).send({ error: outcome.error, message: outcome.message, ...(outcome.state !== undefined ? { state: outcome.state } : {}) });
}

/**
 * The steps every action route shares, in order: a person (401/403), the engine (503), a valid
 * body (400) — `durationMinutes` only where the route can shelve — then the action and its answer.
 */
export function runAction(
  ctx: ActionContext,
  req: FastifyRequest,
  reply: FastifyReply,
  toRequest: (body: ActionBody) => ActionRequest,
  opts: { takesDuration?: boolean } = {},
): FastifyReply {
  const actor = requireActor(ctx, req, reply);
  if (!actor) return reply;
  const alarms = requireAlarms(ctx, reply);
  if (!alarms) return reply;
  const body = parseActionBody(req, reply);
  if (!body) return reply;
  if (!opts.takesDuration && body.durationMinutes !== undefined) return reply.code(400).send(apiError('bad_request', 'body.durationMinutes: applies to shelve only'));
  return sendOutcome(reply, performAction(alarms, toRequest(body), actor));
}

export const withNote = (n: string | undefined): { note?: string } => (n === undefined ? {} : { note: n });
