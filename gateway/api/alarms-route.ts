import type { FastifyInstance, FastifyReply } from 'fastify';
import { PRIORITIES } from '../../rules/definitions/schema.js';
import { ALARM_STATES, type AlarmSnapshot, type AlarmState } from '../../rules/model.js';
import { requireAlarms, runAction, withNote, type ActionContext } from './action-http.js';
import { ALARM_ACTIONS, type AlarmAction } from './alarm-actions.js';
import { apiError } from './errors.js';
import type { AlarmsResponse, AlarmSummary, JournalResponse } from './types.js';

/**
 * /api/alarms: the alarm list with a summary, the journal, and the operator's actions on one
 * alarm or on all. Reading is open (like /api/points); acting needs a bearer token naming a
 * person (action-http.ts), who is journaled as the actor.
 */

export const JOURNAL_DEFAULT_LIMIT = 100;
export const JOURNAL_MAX_LIMIT = 1_000;

/** A parameter given twice (?state=a&state=b) arrives as an array. */
type Param = string | string[] | undefined;

interface AlarmsQuery {
  state?: Param;
  priority?: Param;
  device?: Param;
}

interface JournalQueryString {
  subject?: Param;
  before?: Param;
  limit?: Param;
}

export function registerAlarmsRoutes(app: FastifyInstance, ctx: ActionContext): void {
  app.get<{ Querystring: AlarmsQuery }>('/api/alarms', async (req, reply) => {
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    const states = listFilter(reply, 'state', req.query.state, ALARM_STATES);
    if (states === null) return reply;
    const priorities = listFilter(reply, 'priority', req.query.priority, PRIORITIES);
    if (priorities === null) return reply;
    const device = single(reply, 'device', req.query.device);
    if (device === null) return reply;
    if (device === '') return reply.code(400).send(apiError('bad_request', 'query.device: must not be empty'));
    const list = alarms
      .snapshot()
      .filter(
        (a) =>
          (states === undefined || states.has(a.state)) &&
          (priorities === undefined || priorities.has(a.priority)) &&
          (device === undefined || deviceOf(a) === device),
      );
    const body: AlarmsResponse = { summary: summarize(list), alarms: list };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.get<{ Querystring: JournalQueryString }>('/api/alarms/journal', async (req, reply) => {
    const alarms = requireAlarms(ctx, reply);
    if (!alarms) return reply;
    const limit = intParam(reply, 'limit', req.query.limit, JOURNAL_MAX_LIMIT);
    if (limit === null) return reply;
    const before = intParam(reply, 'before', req.query.before, Number.MAX_SAFE_INTEGER);
    if (before === null) return reply;
    const subject = single(reply, 'subject', req.query.subject);
    if (subject === null) return reply;
    if (subject === '') return reply.code(400).send(apiError('bad_request', 'query.subject: must not be empty'));
    const pageSize = limit ?? JOURNAL_DEFAULT_LIMIT;
    const entries = await alarms.journal({
      limit: pageSize,
      ...(subject !== undefined ? { subject } : {}),
      ...(before !== undefined ? { beforeSeq: before } : {}),
    });
    const last = entries.at(-1);
    const body: JournalResponse = { entries, nextBefore: entries.length === pageSize && last !== undefined ? last.seq : null };
    return reply.header('cache-control', 'no-store').send(body);
  });

  // Actions on every alarm at once: acknowledge-all, and silence (the sounders, not an alarm's state).
  for (const [route, action] of [['/api/alarms/acknowledge-all', 'acknowledge-all'], ['/api/silence', 'silence']] as const) {
    app.post(route, async (req, reply) => runAction(ctx, req, reply, (body) => ({ action, ...withNote(body.note) })));
  }

  // Site-level alarms have the id "site/<name>", so they are addressed as /api/alarms/site/<name>/….
  app.post<{ Params: { device: string; name: string; action: string } }>('/api/alarms/:device/:name/:action', async (req, reply) => {
    const { device, name, action } = req.params;
    if (!(ALARM_ACTIONS as readonly string[]).includes(action)) {
      return reply.code(404).send(apiError('not_found', `no alarm action "${action}"; one of ${ALARM_ACTIONS.join(', ')}`));
    }
    return runAction(
      ctx,
      req,
      reply,
      (body) => ({
        action: action as AlarmAction,
        alarmId: `${device}/${name}`,
        ...withNote(body.note),
        ...(body.durationMinutes !== undefined ? { durationMinutes: body.durationMinutes } : {}),
      }),
      { takesDuration: true },
    );
  });
}

/** Site-level alarms have no device; their ids start with "site/". */
const deviceOf = (a: AlarmSnapshot): string => a.device ?? 'site';

export function summarize(list: readonly AlarmSnapshot[]): AlarmSummary {
  const byState = Object.fromEntries(ALARM_STATES.map((s) => [s, 0])) as Record<AlarmState, number>;
  const byPriority = Object.fromEntries(PRIORITIES.map((p) => [p, { total: 0, annunciating: 0 }])) as AlarmSummary['byPriority'];
  let annunciating = 0;
  for (const a of list) {
    byState[a.state]++;
    byPriority[a.priority].total++;
    if (a.annunciating) {
      annunciating++;
      byPriority[a.priority].annunciating++;
    }
  }
  return { total: list.length, annunciating, byState, byPriority };
}

/** `?state=a,b`: the set, undefined when absent, or null after answering 400 naming the bad value. */
function listFilter<T extends string>(reply: FastifyReply, name: string, raw: Param, allowed: readonly T[]): Set<T> | undefined | null {
  if (raw === undefined) return undefined;
  const values = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => v.split(','));
  const bad = values.find((v) => !(allowed as readonly string[]).includes(v));
  if (bad !== undefined) {
    void reply.code(400).send(apiError('bad_request', `query.${name}: "${bad}" is not one of ${allowed.join(', ')}`));
    return null;
  }
  return new Set(values as T[]);
}

/** A parameter that may be given once; null after answering 400. */
function single(reply: FastifyReply, name: string, raw: Param): string | undefined | null {
  if (!Array.isArray(raw)) return raw;
  void reply.code(400).send(apiError('bad_request', `query.${name}: give it once (got ${raw.length} values)`));
  return null;
}

/** A positive integer query parameter up to max; null after answering 400. No coercion of "1e3" or "12abc". */
function intParam(reply: FastifyReply, name: string, raw: Param, max: number): number | undefined | null {
  const text = single(reply, name, raw);
  if (text === undefined || text === null) return text;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? 'a positive integer' : `an integer from 1 to ${max}`;
    void reply.code(400).send(apiError('bad_request', `query.${name}: must be ${range} (got "${text}")`));
    return null;
  }
  return n;
}
