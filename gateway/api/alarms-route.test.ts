import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../health/metrics.js';
import { point, report } from './testing/fixtures.js';
import { alarm, fakeAlarms, interlock, journalEntry, type FakeAlarms } from './testing/alarm-fixtures.js';
import { createApiServer, type ApiServer } from './server.js';
import type { AlarmActionsSource, GatewaySource } from './types.js';

const ALICE = 'alice-token-0123456789';
const BOB = 'bob-token-9876543210ab';
const USERS = [
  { name: 'alice', token: ALICE },
  { name: 'bob', token: BOB },
];

const servers: ApiServer[] = [];
function server(alarms: AlarmActionsSource | undefined, opts: { users?: typeof USERS; logger?: pino.Logger } = { users: USERS }): ApiServer {
  const source: GatewaySource = { health: async () => report(), points: () => [point({ device: 'gas-1', point: 'concentration' })] };
  if (alarms) source.alarms = alarms;
  const s = createApiServer({ source, metrics: createMetrics(), port: 0, ...opts });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** gas-1 at 60 %LEL (second level, unacknowledged), gas-2 latched after clearing, a site vote waiting, a CO alarm quiet. */
function plant(): FakeAlarms {
  return fakeAlarms(
    [
      alarm({ id: 'gas-1/gas_high_high', priority: 'critical', state: 'unacknowledged', value: 60, setpoint: 50 }),
      alarm({ id: 'gas-2/gas_high', priority: 'high', state: 'latched', conditionActive: false }),
      alarm({ id: 'site/two_of_three', priority: 'critical', state: 'rtn-unacknowledged', conditionActive: false }),
      alarm({ id: 'co-1/co_high', priority: 'medium', state: 'normal', class: 'gas' }),
    ],
    [interlock({ name: 'close-gas-valve', state: 'tripped', activeTriggers: ['gas-1/gas_high_high'] }), interlock({ name: 'exhaust-fan', state: 'tripped' })],
  );
}

describe('GET /api/alarms', () => {
  it('lists every alarm with a summary by state and priority', async () => {
    const res = await server(plant()).app.inject({ method: 'GET', url: '/api/alarms' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.alarms.map((a: { id: string }) => a.id)).toEqual(['gas-1/gas_high_high', 'gas-2/gas_high', 'site/two_of_three', 'co-1/co_high']);
    expect(body.summary).toEqual({
      total: 4,
      annunciating: 3,
      byState: { normal: 1, unacknowledged: 1, acknowledged: 0, 'rtn-unacknowledged': 1, latched: 1, shelved: 0, suppressed: 0, 'out-of-service': 0 },
      byPriority: { critical: { total: 2, annunciating: 2 }, high: { total: 1, annunciating: 1 }, medium: { total: 1, annunciating: 0 }, low: { total: 0, annunciating: 0 } },
    });
  });

  it('filters by state (a comma list), priority and device; "site" selects site-level alarms', async () => {
    const s = server(plant());
    const ids = async (q: string) => (await s.app.inject({ method: 'GET', url: `/api/alarms?${q}` })).json().alarms.map((a: { id: string }) => a.id);
    expect(await ids('state=unacknowledged,rtn-unacknowledged')).toEqual(['gas-1/gas_high_high', 'site/two_of_three']);
    expect(await ids('priority=critical&state=latched')).toEqual([]);
    expect(await ids('device=gas-2')).toEqual(['gas-2/gas_high']);
    expect(await ids('device=site')).toEqual(['site/two_of_three']);
    const filtered = await s.app.inject({ method: 'GET', url: '/api/alarms?priority=critical' });
    expect(filtered.json().summary).toMatchObject({ total: 2, annunciating: 2 });
  });

  it('says which filter value is wrong', async () => {
    const s = server(plant());
    const res = await s.app.inject({ method: 'GET', url: '/api/alarms?state=active' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'bad_request',
      message: 'query.state: "active" is not one of normal, unacknowledged, acknowledged, rtn-unacknowledged, latched, shelved, suppressed, out-of-service',
    });
    const both = await s.app.inject({ method: 'GET', url: '/api/alarms?state=nope&priority=urgent' });
    expect(both.statusCode).toBe(400);
    expect(both.json().message).toMatch(/^query\.state:/);
    expect((await s.app.inject({ method: 'GET', url: '/api/alarms?priority=urgent' })).json().message).toBe(
      'query.priority: "urgent" is not one of critical, high, medium, low',
    );
  });

  it('answers 503 while the alarm engine is not running; the rest of the API still works', async () => {
    const s = server(undefined);
    for (const url of ['/api/alarms', '/api/alarms/journal', '/api/interlocks']) {
      const res = await s.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(503);
      expect(res.json()).toEqual({ error: 'unavailable', message: 'alarm engine not running' });
    }
    expect((await s.app.inject({ method: 'GET', url: '/api/points' })).statusCode).toBe(200);
  });
});

describe('GET /api/alarms/journal', () => {
  function withJournal(): FakeAlarms {
    const f = plant();
    f.journalEntries = [1, 2, 3, 4, 5].map((seq) => journalEntry(seq, seq % 2 === 0 ? 'gas-2/gas_high' : 'gas-1/gas_high_high'));
    return f;
  }

  it('pages newest first and says where the next page starts', async () => {
    const s = server(withJournal());
    const first = (await s.app.inject({ method: 'GET', url: '/api/alarms/journal?limit=2' })).json();
    expect(first.entries.map((e: { seq: number }) => e.seq)).toEqual([5, 4]);
    expect(first.nextBefore).toBe(4);
    const second = (await s.app.inject({ method: 'GET', url: '/api/alarms/journal?limit=2&before=4' })).json();
    expect(second.entries.map((e: { seq: number }) => e.seq)).toEqual([3, 2]);
    const last = (await s.app.inject({ method: 'GET', url: '/api/alarms/journal?limit=2&before=2' })).json();
    expect(last).toMatchObject({ nextBefore: null });
    expect(last.entries.map((e: { seq: number }) => e.seq)).toEqual([1]);
  });

  it('filters by subject', async () => {
    const res = await server(withJournal()).app.inject({ method: 'GET', url: '/api/alarms/journal?subject=gas-2/gas_high' });
    expect(res.json().entries.map((e: { subject: string; seq: number }) => `${e.subject}#${e.seq}`)).toEqual(['gas-2/gas_high#4', 'gas-2/gas_high#2']);
    expect(res.json().nextBefore).toBeNull();
  });

  it.each([
    ['limit=0', 'query.limit: must be an integer from 1 to 1000 (got "0")'],
    ['limit=1001', 'query.limit: must be an integer from 1 to 1000 (got "1001")'],
    ['limit=1e2', 'query.limit: must be an integer from 1 to 1000 (got "1e2")'],
    ['before=-3', 'query.before: must be a positive integer (got "-3")'],
    ['limit=5&limit=6', 'query.limit: give it once (got 2 values)'],
  ])('refuses %s', async (q, message) => {
    const res = await server(withJournal()).app.inject({ method: 'GET', url: `/api/alarms/journal?${q}` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', message });
  });
});

describe('alarm actions: authentication', () => {
  const post = (s: ApiServer, headers: Record<string, string> = {}) =>
    s.app.inject({ method: 'POST', url: '/api/alarms/gas-1/gas_high_high/acknowledge', headers });

  it('401 without a token, with WWW-Authenticate: Bearer, and nothing reaches the engine', async () => {
    const f = plant();
    const res = await post(server(f));
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="vigil"');
    expect(res.json()).toEqual({ error: 'unauthorized', message: 'alarm actions need a token: Authorization: Bearer <token> (api.users in the site file)' });
    expect(f.received).toEqual([]);
  });

  it('401 with a wrong token (or a near miss, or another scheme), logged without the token', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const f = plant();
    const s = server(f, { users: USERS, logger });
    for (const authorization of [`Bearer ${ALICE}x`, `Bearer ${ALICE.slice(0, -1)}`, 'Bearer nope', `Basic ${Buffer.from(`alice:${ALICE}`).toString('base64')}`]) {
      const res = await post(s, { authorization });
      expect(res.statusCode, authorization).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="vigil"/);
    }
    expect((await post(s, { authorization: 'Bearer nope' })).json()).toEqual({ error: 'unauthorized', message: 'the bearer token is not one of api.users' });
    expect((await post(s, { authorization: 'Bearer nope' })).headers['www-authenticate']).toBe('Bearer realm="vigil", error="invalid_token"');
    expect(f.received).toEqual([]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('')).not.toContain(ALICE.slice(0, 10));
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'local API: alarm action refused (authentication)', reason: 'invalid' });
  });

  it('403 for every action when api.users is not configured: nobody acts anonymously', async () => {
    const f = plant();
    const s = server(f, {});
    for (const url of ['/api/alarms/gas-1/gas_high_high/acknowledge', '/api/alarms/acknowledge-all', '/api/silence', '/api/interlocks/exhaust-fan/reset']) {
      const res = await s.app.inject({ method: 'POST', url, headers: bearer(ALICE) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toEqual({ error: 'forbidden', message: 'alarm actions need api.users in the site file (a name and a token per person); none are configured' });
    }
    expect(f.received).toEqual([]);
    expect((await s.app.inject({ method: 'GET', url: '/api/alarms' })).statusCode).toBe(200); // reading stays open
  });

  it('the token names the person journaled as the actor', async () => {
    const f = plant();
    const s = server(f);
    expect((await post(s, bearer(BOB))).statusCode).toBe(200);
    expect((await s.app.inject({ method: 'POST', url: '/api/silence', headers: { authorization: `bearer ${ALICE}` } })).statusCode).toBe(200);
    expect(f.received.map((r) => r.actor)).toEqual([
      { kind: 'api', name: 'bob' },
      { kind: 'api', name: 'alice' },
    ]);
  });

  it('an authenticated action answers 503 while the engine is not running', async () => {
    const res = await post(server(undefined), bearer(ALICE));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ error: 'unavailable', message: 'alarm engine not running' });
  });
});

describe('POST /api/alarms/:device/:name/:action', () => {
  const act = (s: ApiServer, url: string, payload?: unknown) =>
    s.app.inject({ method: 'POST', url, headers: bearer(ALICE), ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('acknowledges, with the handling note, and answers with the alarm as it is now', async () => {
    const f = plant();
    const res = await act(server(f), '/api/alarms/gas-1/gas_high_high/acknowledge', { note: 'valve closed, area evacuated' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      ok: true,
      message: 'gas-1/gas_high_high acknowledged by api user alice (unacknowledged → acknowledged)',
      state: 'acknowledged',
      alarm: { id: 'gas-1/gas_high_high', state: 'acknowledged' },
    });
    expect(body.transitions).toHaveLength(1);
    expect(body.transitions[0]).toMatchObject({ event: 'acknowledge', from: 'unacknowledged', to: 'acknowledged', actor: { kind: 'api', name: 'alice' }, note: 'valve closed, area evacuated' });
    expect(f.received).toEqual([{ action: 'acknowledge', target: 'gas-1/gas_high_high', actor: { kind: 'api', name: 'alice' }, note: 'valve closed, area evacuated' }]);
  });

  it('refuses a reset while the gas is still there: 409 with the refusal and the state', async () => {
    const res = await act(server(plant()), '/api/alarms/gas-1/gas_high_high/reset');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'condition-present', message: 'gas-1/gas_high_high: reset refused, the condition is still present (value 60)', state: 'unacknowledged' });
  });

  it('resets a latched alarm whose condition has gone', async () => {
    const res = await act(server(plant()), '/api/alarms/gas-2/gas_high/reset', { note: 'detector checked, area ventilated' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ state: 'normal', message: 'gas-2/gas_high reset by api user alice (latched → normal)' });
  });

  it('409 not-applicable for an action that does not fit the state', async () => {
    const res = await act(server(plant()), '/api/alarms/co-1/co_high/acknowledge');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'not-applicable', message: 'co-1/co_high: cannot acknowledge an alarm that is normal', state: 'normal' });
  });

  it('404 for an unknown alarm or action', async () => {
    const s = server(plant());
    const unknown = await act(s, '/api/alarms/gas-9/gas_high/acknowledge');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no alarm "gas-9/gas_high"' });
    const action = await act(s, '/api/alarms/gas-1/gas_high_high/ack');
    expect(action.statusCode).toBe(404);
    expect(action.json().message).toBe(
      'no alarm action "ack"; one of acknowledge, reset, shelve, unshelve, suppress, unsuppress, remove-from-service, return-to-service',
    );
  });

  it('addresses site-level alarms as site/<name>', async () => {
    const f = plant();
    const res = await act(server(f), '/api/alarms/site/two_of_three/acknowledge');
    expect(res.statusCode).toBe(200);
    expect(f.received[0]).toMatchObject({ action: 'acknowledge', target: 'site/two_of_three' });
  });

  it('shelves for the given minutes; a shelve needs a duration', async () => {
    const f = plant();
    const s = server(f);
    const missing = await act(s, '/api/alarms/gas-2/gas_high/shelve', { note: 'sensor swap' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toEqual({ error: 'bad_request', message: 'durationMinutes is required to shelve (1–1440; ISA-18.2 shelving is time-limited)' });
    const ok = await act(s, '/api/alarms/gas-2/gas_high/shelve', { durationMinutes: 30, note: 'sensor swap' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ state: 'shelved', message: 'gas-2/gas_high shelved for 30 min by api user alice (latched → shelved)' });
    expect(f.received.at(-1)).toMatchObject({ action: 'shelve', durationMs: 30 * 60_000, note: 'sensor swap' });
  });

  it.each([
    [{ durationMinutes: '30' }, 'shelve', 'body.durationMinutes: Invalid input: expected number, received string'],
    [{ durationMinutes: 1441 }, 'shelve', 'body.durationMinutes: Too big: expected number to be <=1440'],
    [{ durationMinutes: 2.5 }, 'shelve', 'body.durationMinutes: Invalid input: expected int, received number'],
    [{ durationMinutes: 10 }, 'acknowledge', 'durationMinutes applies to shelve only, not to acknowledge'],
    [{ notes: 'typo' }, 'acknowledge', 'body.notes: unknown field'],
    [{ note: '   ' }, 'acknowledge', 'body.note: must not be blank'],
    [{ note: 'x'.repeat(1001) }, 'acknowledge', 'body.note: Too big: expected string to have <=1000 characters'],
    [['note'], 'acknowledge', 'body: must be a JSON object such as {"note": "…"}'],
  ])('400 naming the field for %j (%s), and nothing reaches the engine', async (payload, action, message) => {
    const f = plant();
    const res = await act(server(f), `/api/alarms/gas-2/gas_high/${action}`, payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', message });
    expect(f.received).toEqual([]);
  });

  it('400 for a body that is not JSON', async () => {
    const res = await server(plant()).app.inject({
      method: 'POST',
      url: '/api/alarms/gas-1/gas_high_high/acknowledge',
      headers: { ...bearer(ALICE), 'content-type': 'application/json' },
      payload: '{"note": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('bad_request');
  });

  it('500 when the engine throws; the API keeps serving', async () => {
    const f = plant();
    f.command = () => {
      throw new Error('state table has no cell');
    };
    const s = server(f);
    const res = await act(s, '/api/alarms/gas-1/gas_high_high/acknowledge');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'POST /api/alarms/gas-1/gas_high_high/acknowledge failed: state table has no cell' });
    expect((await s.app.inject({ method: 'GET', url: '/api/alarms' })).statusCode).toBe(200);
  });
});

describe('POST /api/alarms/acknowledge-all and /api/silence', () => {
  it('acknowledges every alarm waiting for it, and says how many', async () => {
    const f = plant();
    const s = server(f);
    const res = await s.app.inject({ method: 'POST', url: '/api/alarms/acknowledge-all', headers: bearer(ALICE), payload: { note: 'shift hand-over' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, message: '2 alarm(s) acknowledged by api user alice' });
    expect(res.json().transitions.map((t: { alarmId: string }) => t.alarmId)).toEqual(['gas-1/gas_high_high', 'site/two_of_three']);
    const again = await s.app.inject({ method: 'POST', url: '/api/alarms/acknowledge-all', headers: bearer(ALICE) });
    expect(again.json()).toMatchObject({ ok: true, message: 'no alarm was waiting for acknowledgement', transitions: [] });
  });

  it('silences, with the actor', async () => {
    const f = plant();
    const res = await server(f).app.inject({ method: 'POST', url: '/api/silence', headers: bearer(ALICE) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, message: 'sounders silenced by alice', transitions: [] });
    expect(f.received).toEqual([{ action: 'silence', actor: { kind: 'api', name: 'alice' } }]);
  });

  it('a refused silence (no sounders) is a 409', async () => {
    const f = plant();
    f.silence = () => ({ ok: false, refusal: 'not-applicable', message: 'this gateway has no sounders (no outputs section in the site file)' });
    const res = await server(f).app.inject({ method: 'POST', url: '/api/silence', headers: bearer(ALICE) });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'not-applicable', message: 'this gateway has no sounders (no outputs section in the site file)' });
  });

  it('durationMinutes is refused here', async () => {
    const res = await server(plant()).app.inject({ method: 'POST', url: '/api/silence', headers: bearer(ALICE), payload: { durationMinutes: 5 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('body.durationMinutes: applies to shelve only');
  });
});

describe('/api/interlocks', () => {
  it('lists the interlocks (open, like every GET)', async () => {
    const res = await server(plant()).app.inject({ method: 'GET', url: '/api/interlocks' });
    expect(res.statusCode).toBe(200);
    expect(res.json().interlocks.map((i: { name: string; state: string }) => `${i.name}:${i.state}`)).toEqual(['close-gas-valve:tripped', 'exhaust-fan:tripped']);
  });

  it('resets a tripped interlock whose triggers have cleared', async () => {
    const f = plant();
    const res = await server(f).app.inject({ method: 'POST', url: '/api/interlocks/exhaust-fan/reset', headers: bearer(BOB), payload: { note: 'area clear' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, message: 'interlock exhaust-fan reset by api user bob (now ready)', state: 'ready', transitions: [] });
    expect(f.received).toEqual([{ action: 'reset-interlock', target: 'exhaust-fan', actor: { kind: 'api', name: 'bob' }, note: 'area clear' }]);
  });

  it('refuses while a trigger is still active (409), 404 for an unknown one, 401 without a token', async () => {
    const s = server(plant());
    const busy = await s.app.inject({ method: 'POST', url: '/api/interlocks/close-gas-valve/reset', headers: bearer(ALICE) });
    expect(busy.statusCode).toBe(409);
    expect(busy.json()).toEqual({ error: 'condition-present', message: 'close-gas-valve: reset refused while gas-1/gas_high_high is active', state: 'tripped' });
    const unknown = await s.app.inject({ method: 'POST', url: '/api/interlocks/nope/reset', headers: bearer(ALICE) });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no interlock named "nope"' });
    expect((await s.app.inject({ method: 'POST', url: '/api/interlocks/exhaust-fan/reset' })).statusCode).toBe(401);
  });
  it('bypasses an interlock and takes the bypass off, journaled with the person; never without a token', async () => {
    const f = plant();
    const s = server(f);
    expect((await s.app.inject({ method: 'POST', url: '/api/interlocks/exhaust-fan/bypass' })).statusCode).toBe(401);
    const on = await s.app.inject({ method: 'POST', url: '/api/interlocks/exhaust-fan/bypass', headers: bearer(BOB), payload: { note: 'fan motor replaced' } });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ ok: true, message: 'interlock exhaust-fan bypassed by api user bob (now bypassed)', state: 'bypassed' });
    const again = await s.app.inject({ method: 'POST', url: '/api/interlocks/exhaust-fan/bypass', headers: bearer(BOB) });
    expect(again.statusCode).toBe(409);
    const off = await s.app.inject({ method: 'POST', url: '/api/interlocks/exhaust-fan/remove-bypass', headers: bearer(ALICE) });
    expect(off.json()).toMatchObject({ ok: true, message: 'interlock exhaust-fan bypass removed by api user alice (now ready)' });
    expect(f.received.map((r) => [r.action, r.actor.name])).toEqual([
      ['bypass-interlock', 'bob'],
      ['bypass-interlock', 'bob'],
      ['remove-interlock-bypass', 'alice'],
    ]);
  });

  it('brings the outputs out of their safe state on a person’s request', async () => {
    const f = plant();
    const res = await server(f).app.inject({ method: 'POST', url: '/api/outputs/recover', headers: bearer(ALICE), payload: { note: 'engine restarted' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: true, message: 'outputs back to normal' });
    expect(f.received).toEqual([{ action: 'recover-outputs', actor: { kind: 'api', name: 'alice' }, note: 'engine restarted' }]);
  });
});
