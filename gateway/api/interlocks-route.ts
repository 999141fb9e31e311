import type { FastifyInstance } from 'fastify';
import { requireAlarms, runAction, withNote, type ActionContext } from './action-http.js';

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
    app.post<{ Params: { name: string } }>(`/api/interlocks/:name/${segment}`, async (req, reply) =>
      runAction(ctx, req, reply, (body) => ({ action, interlock: req.params.name, ...withNote(body.note) })),
    );
  }

  // The outputs leave their safe state only by a person's decision, once the engine is sound again.
  app.post('/api/outputs/recover', async (req, reply) => runAction(ctx, req, reply, (body) => ({ action: 'recover-outputs', ...withNote(body.note) })));
}
