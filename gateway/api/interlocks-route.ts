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

  app.post<{ Params: { name: string } }>('/api/interlocks/:name/reset', async (req, reply) => {
    const actor = requireActor(ctx, req, reply);
    if (!actor) return reply;
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    const body = parseActionBody(req, reply);
    if (!body) return reply;
    if (body.durationMinutes !== undefined) return reply.code(400).send(apiError('bad_request', 'body.durationMinutes: applies to shelve only'));
    const request = { action: 'reset-interlock' as const, interlock: req.params.name, ...(body.note !== undefined ? { note: body.note } : {}) };
    return sendOutcome(reply, performAction(alarms, request, actor));
  });
}
