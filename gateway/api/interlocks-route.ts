import type { FastifyInstance } from 'fastify';
import { parseActionBody, requireActor, requireAlarms, sendOutcome, type ActionContext } from './action-http.js';
import { performAction } from './alarm-actions.js';
import { apiError } from './errors.js';

/**
 * /api/interlocks: the safety interlocks (安全联锁) and their manual reset. Releasing an
 * interlock needs a person (issue 3), and the controller refuses while a trigger is still
 * active — a 409 that says so, not a silent no-op.
 */
export function registerInterlocksRoutes(app: FastifyInstance, ctx: ActionContext): void {
  app.get('/api/interlocks', async (_req, reply) => {
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    return reply.header('cache-control', 'no-store').send({ interlocks: alarms.interlocks() });
  });

  // reset: release after a trip (refused while a trigger is active); bypass / remove-bypass:
  // maintenance, local only (no cloud command can disable a safety function).
  for (const [segment, action] of [['reset', 'reset-interlock'], ['bypass', 'bypass-interlock'], ['remove-bypass', 'remove-interlock-bypass']] as const) {
    app.post<{ Params: { name: string } }>(`/api/interlocks/:name/${segment}`, async (req, reply) => {
      const actor = requireActor(ctx, req, reply);
      if (!actor) return reply;
      const alarms = requireAlarms(ctx, reply);
      if (!alarms) return reply;
      const body = parseActionBody(req, reply);
      if (!body) return reply;
      if (body.durationMinutes !== undefined) return reply.code(400).send(apiError('bad_request', 'body.durationMinutes: applies to shelve only'));
      const request = { action, interlock: req.params.name, ...(body.note !== undefined ? { note: body.note } : {}) };
      return sendOutcome(reply, performAction(alarms, request, actor));
    });
  }

  // The outputs left their safe state only by a person's decision, once the engine is sound again.
  app.post('/api/outputs/recover', async (req, reply) => {
    const actor = requireActor(ctx, req, reply);
    if (!actor) return reply;
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    const body = parseActionBody(req, reply);
    if (!body) return reply;
    if (body.durationMinutes !== undefined) return reply.code(400).send(apiError('bad_request', 'body.durationMinutes: applies to shelve only'));
    return sendOutcome(reply, performAction(alarms, { action: 'recover-outputs', ...(body.note !== undefined ? { note: body.note } : {}) }, actor));
  });
}
