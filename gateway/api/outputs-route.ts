import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { MAX_OUTPUT_TEST_SECONDS } from '../../rules/annunciator/output-test.js';
import { describeIssue } from './alarm-actions.js';
import { requireActor, requireAlarms, type ActionContext } from './action-http.js';
import { apiError } from './errors.js';
import type { OutputTestResult } from './types.js';

/**
 * /api/outputs: what the sounders, strobes, lamps and relays are doing, and the installer's
 * single-output test (walk-test, docs/alarms.md "Output test"). A test is a person's act on a
 * safety output, so it needs a bearer token and is journaled with the actor.
 */

/** `on` and `seconds` are required: a test that holds a sounder for an unstated time is not a test. */
const OutputTestBodySchema = z.strictObject({
  on: z.boolean(),
  seconds: z.number().positive().max(MAX_OUTPUT_TEST_SECONDS),
});

export function registerOutputsRoutes(app: FastifyInstance, ctx: ActionContext): void {
  app.get('/api/outputs', async (_req, reply) => {
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    const report = alarms.outputs?.() ?? null;
    if (!report) return reply.code(404).send(apiError('not_found', 'this gateway has no outputs (no outputs section in the site file)'));
    return reply.header('cache-control', 'no-store').send(report);
  });

  app.post<{ Params: { name: string } }>('/api/outputs/:name/test', async (req, reply) => {
    const actor = requireActor(ctx, req, reply);
    if (!actor) return reply;
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    const parsed = OutputTestBodySchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      return reply.code(400).send(apiError('bad_request', `${parsed.error.issues.map((i) => describeIssue(i, 'body')).join('; ')} (expected {"on": true, "seconds": more than 0, at most ${MAX_OUTPUT_TEST_SECONDS}})`));
    }
    if (!alarms.testOutput) return reply.code(503).send(apiError('unavailable', 'this gateway cannot test outputs'));
    return sendTestResult(reply, alarms.testOutput({ name: req.params.name, ...parsed.data }, actor));
  });

  app.post<{ Params: { name: string } }>('/api/outputs/:name/test/end', async (req, reply) => {
    const actor = requireActor(ctx, req, reply);
    if (!actor) return reply;
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    if (!alarms.endOutputTest) return reply.code(503).send(apiError('unavailable', 'this gateway cannot test outputs'));
    return sendTestResult(reply, alarms.endOutputTest(req.params.name, actor));
  });
}

/** 200; an unknown output 404; a refusal (an alarm standing, failsafe, a test running) 409 with the reason. */
function sendTestResult(reply: FastifyReply, r: OutputTestResult): FastifyReply {
  if (r.ok) return reply.code(200).send(r);
  if (r.refusal === 'unknown-output') return reply.code(404).send(apiError('not_found', r.message));
  if (r.refusal === 'bad-request') return reply.code(400).send(apiError('bad_request', r.message));
  return reply.code(409).send({ error: r.refusal, message: r.message });
}
