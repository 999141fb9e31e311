import { describe, expect, it } from 'vitest';
import { FakeClock } from '../clock/fake-clock.js';
import { alarm, fakeAlarms, interlock, type FakeAlarms } from '../api/testing/alarm-fixtures.js';
import { signCommand } from './command-auth.js';
import { createCommandHandler, type CommandHandlerOptions } from './command-handler.js';
import { CommandReplySchema, type CommandReply } from './command-payloads.js';

const KEY = 'cloud-key-0123456789abcdef0123456789';
const clock = () => new FakeClock();

interface Logged {
  level: string;
  obj: Record<string, unknown>;
  msg: string | undefined;
}

/** alarms null: no engine running. */
function harness(over: Partial<CommandHandlerOptions> = {}, alarms: FakeAlarms | null = plant()) {
  const logs: Logged[] = [];
  const at = (level: string) => (obj: object, msg?: string) => logs.push({ level, obj: obj as Record<string, unknown>, msg });
  const c = (over.clock as FakeClock | undefined) ?? clock();
  const handle = createCommandHandler({
    alarms: alarms ?? undefined,
    key: KEY,
    maxSkewMs: 300_000,
    site: 'plant-7',
    gateway: 'gw-a',
    clock: c,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    ...over,
  });
  /** Send a command as bytes; the reply must satisfy the published schema. */
  const send = async (payload: unknown): Promise<CommandReply> => {
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
    return CommandReplySchema.parse(await handle(bytes));
  };
  return { send, logs, clock: c, alarms };
}

function plant(): FakeAlarms {
  return fakeAlarms(
    [
      alarm({ id: 'gas-1/gas_high_high', priority: 'critical', state: 'unacknowledged', value: 60 }),
      alarm({ id: 'gas-2/gas_high', state: 'latched', conditionActive: false }),
    ],
    [interlock({ name: 'close-gas-valve', state: 'tripped' })],
  );
}

let n = 0;
const cmd = (fields: Record<string, unknown>, ts = new FakeClock().now()) => signCommand({ id: `c-${++n}`, ts, user: 'zhang.wei', ...fields }, KEY);

describe('cloud command handler', () => {
  it('carries out an acknowledge as the cloud user and replies with the new state', async () => {
    const h = harness();
    const c = cmd({ action: 'acknowledge', alarm: 'gas-1/gas_high_high', note: '已通知现场 site informed' });
    const r = await h.send(c);
    expect(r).toEqual({
      v: 1,
      site: 'plant-7',
      gateway: 'gw-a',
      id: c.id,
      ok: true,
      message: 'gas-1/gas_high_high acknowledged by cloud user zhang.wei (unacknowledged → acknowledged)',
      state: 'acknowledged',
      ts: h.clock.now(),
    });
    expect(h.alarms!.received).toEqual([{ action: 'acknowledge', target: 'gas-1/gas_high_high', actor: { kind: 'cloud', name: 'zhang.wei' }, note: '已通知现场 site informed' }]);
    expect(h.logs.find((l) => l.msg === 'cloud command carried out')?.obj).toMatchObject({ id: c.id, user: 'zhang.wei', action: 'acknowledge', target: 'gas-1/gas_high_high' });
  });

  it('dispatches every kind of action to the same source the API uses', async () => {
    const h = harness();
    await h.send(cmd({ action: 'shelve', alarm: 'gas-2/gas_high', durationMinutes: 45 }));
    await h.send(cmd({ action: 'silence' }));
    await h.send(cmd({ action: 'acknowledge-all' }));
    const reset = await h.send(cmd({ action: 'reset-interlock', interlock: 'close-gas-valve' }));
    expect(reset).toMatchObject({ ok: true, state: 'ready' });
    expect(h.alarms!.received.map((r) => [r.action, r.target, r.durationMs])).toEqual([
      ['shelve', 'gas-2/gas_high', 45 * 60_000],
      ['silence', undefined, undefined],
      ['acknowledge', 'gas-1/gas_high_high', undefined],
      ['reset-interlock', 'close-gas-valve', undefined],
    ]);
  });

  it('sets ordered shutdown windows for electricity monitoring, and says no where the site has none', async () => {
    const windows = [{ id: 'order-77', start: '2026-11-24T22:00:00+08:00', end: '2026-11-25T06:00:00+08:00', reason: '限电 ordered curtailment' }];
    const without = harness();
    expect(await without.send(cmd({ action: 'set-shutdown-windows', windows }))).toMatchObject({ ok: false, error: 'not-applicable' });
    const got: unknown[] = [];
    const alarms = plant();
    alarms.setShutdownWindows = (w, actor) => (got.push({ w, actor }), { ok: true, message: `${w.length} shutdown window(s) set` });
    const h = harness({}, alarms);
    expect(await h.send(cmd({ action: 'set-shutdown-windows', windows }))).toMatchObject({ ok: true, message: '1 shutdown window(s) set' });
    expect(got).toEqual([{ w: windows, actor: { kind: 'cloud', name: 'zhang.wei' } }]);
    // a window that ends before it starts is a bad request, refused before anything is set
    const bad = [{ id: 'x', start: '2026-11-25T06:00:00+08:00', end: '2026-11-24T22:00:00+08:00' }];
    expect(await h.send(cmd({ action: 'set-shutdown-windows', windows: bad }))).toMatchObject({ ok: false, error: 'bad-request' });
    expect(got).toHaveLength(1);
  });

  it('passes the engine\'s refusal back: a reset while the gas is present', async () => {
    const h = harness();
    const c = cmd({ action: 'reset', alarm: 'gas-1/gas_high_high' });
    expect(await h.send(c)).toMatchObject({
      id: c.id,
      ok: false,
      error: 'condition-present',
      message: 'gas-1/gas_high_high: reset refused, the condition is still present (value 60)',
      state: 'unacknowledged',
    });
    expect(h.logs.find((l) => l.msg === 'cloud command refused')?.obj).toMatchObject({ error: 'condition-present', user: 'zhang.wei' });
  });

  it('an unknown alarm is refused as unknown-alarm', async () => {
    expect(await harness().send(cmd({ action: 'acknowledge', alarm: 'gas-9/gas_high' }))).toMatchObject({ ok: false, error: 'unknown-alarm' });
  });

  it('refuses without a key, and nothing reaches the engine', async () => {
    const h = harness({ key: undefined });
    const c = cmd({ action: 'silence' });
    expect(await h.send(c)).toMatchObject({ id: c.id, ok: false, error: 'not-enabled', message: 'cloud commands are not enabled (no cloud.mqtt.commands.key in the site file)' });
    expect(h.alarms!.received).toEqual([]);
  });

  it('refuses a forged command and logs who it claimed to be, never the signature or note', async () => {
    const h = harness();
    const forged = { ...cmd({ action: 'shelve', alarm: 'gas-1/gas_high_high', durationMinutes: 60, note: 'secret-note' }), durationMinutes: 1440 };
    expect(await h.send(forged)).toMatchObject({ ok: false, error: 'bad-signature' });
    expect(h.alarms!.received).toEqual([]);
    const warn = h.logs.find((l) => l.msg === 'cloud command refused');
    expect(warn?.obj).toMatchObject({ user: 'zhang.wei', action: 'shelve', error: 'bad-signature' });
    expect(JSON.stringify(h.logs)).not.toContain(forged.hmac);
    expect(JSON.stringify(h.logs)).not.toContain('secret-note');
  });

  it('refuses a replayed command: the same bytes twice act once', async () => {
    const h = harness();
    const c = cmd({ action: 'acknowledge-all' });
    expect((await h.send(c)).ok).toBe(true);
    expect(await h.send(c)).toMatchObject({ ok: false, error: 'replay' });
    expect(h.alarms!.received.filter((r) => r.action === 'acknowledge')).toHaveLength(1);
  });

  it('refuses a command captured and sent again later (stale), judged by the gateway clock', async () => {
    const h = harness();
    const c = cmd({ action: 'silence' }, h.clock.now());
    h.clock.advance(300_001);
    expect(await h.send(c)).toMatchObject({ ok: false, error: 'stale' });
  });

  it('accepts with an untrusted clock, and says the ts was not checked', async () => {
    const c = new FakeClock({ wall: 0, trusted: false });
    const h = harness({ clock: c });
    expect((await h.send(cmd({ action: 'silence' }))).ok).toBe(true);
    expect(h.logs.some((l) => l.level === 'warn' && /clock is not trusted/.test(l.msg ?? ''))).toBe(true);
  });

  it('answers bytes that are not JSON, with a null id', async () => {
    expect(await harness().send(Buffer.from('ack gas-1 please'))).toMatchObject({ id: null, ok: false, error: 'bad-request', message: 'the command is not JSON' });
  });

  it('answers unavailable while the engine is not running (also through a getter)', async () => {
    expect(await harness({}, null).send(cmd({ action: 'silence' }))).toMatchObject({ ok: false, error: 'unavailable', message: 'alarm engine not running' });
    let engine: FakeAlarms | undefined;
    const h = harness({ alarms: () => engine });
    expect((await h.send(cmd({ action: 'silence' }))).error).toBe('unavailable');
    engine = plant();
    expect((await h.send(cmd({ action: 'silence' }))).ok).toBe(true);
  });

  it('never rejects: an engine that throws becomes an internal error reply with the id', async () => {
    const alarms = plant();
    alarms.command = () => {
      throw new Error('transition table has no cell');
    };
    const h = harness({}, alarms);
    const c = cmd({ action: 'acknowledge', alarm: 'gas-1/gas_high_high' });
    const r = await h.send(c);
    expect(r).toMatchObject({ id: c.id, ok: false, error: 'internal' });
    expect(r.message).toBe('the gateway failed while carrying out the command: transition table has no cell; check the alarm events for its effect');
    expect(h.logs.some((l) => l.level === 'error')).toBe(true);
  });
});
