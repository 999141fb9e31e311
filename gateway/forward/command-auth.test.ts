import { describe, expect, it } from 'vitest';
import { canonicalJson, commandHmac, CommandVerifier, signCommand } from './command-auth.js';

const KEY = 'test-key-0123456789abcdef0123456789';
const NOW = 1_795_422_600_000;

/** The test vector in docs/messages.md; the Python snippet there produces the same hmac. */
const VECTOR = {
  id: '7f9c2b1e-3a4d-4e5f-8a6b-1c2d3e4f5a6b',
  ts: NOW,
  user: 'zhang.wei',
  action: 'acknowledge',
  alarm: 'gas-1/gas_high',
  note: '阀门已关闭 valve closed',
  site: 'plant-7',
  gateway: 'gw-a',
};
const VECTOR_HMAC = 'b8266cf019d4b9ebfe8f8aa22a4307524c07f55cc60176ad29ca12044ce969d3';

function verifier(over: { key?: string | undefined; maxSkewMs?: number; rememberIds?: number } = {}) {
  return new CommandVerifier({ key: 'key' in over ? over.key : KEY, maxSkewMs: over.maxSkewMs ?? 300_000, site: 'plant-7', gateway: 'gw-a', ...(over.rememberIds !== undefined ? { rememberIds: over.rememberIds } : {}) });
}

let n = 0;
const command = (over: Record<string, unknown> = {}) => signCommand({ id: `cmd-${++n}`, ts: NOW, user: 'zhang.wei', action: 'acknowledge', alarm: 'gas-1/gas_high', ...over }, KEY);

describe('canonicalJson and the HMAC', () => {
  it('sorts keys at every level and adds no whitespace (RFC 8785 for these values)', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 'x'], c: null }, e: true })).toBe('{"a":{"c":null,"d":[2,"x"]},"b":1,"e":true}');
    expect(canonicalJson({ z: 'é\n"', a: undefined })).toBe('{"z":"é\\n\\""}');
  });

  it('matches the documented test vector (what a cloud implementation checks itself against)', () => {
    expect(canonicalJson(VECTOR)).toBe(
      '{"action":"acknowledge","alarm":"gas-1/gas_high","gateway":"gw-a","id":"7f9c2b1e-3a4d-4e5f-8a6b-1c2d3e4f5a6b","note":"阀门已关闭 valve closed","site":"plant-7","ts":1795422600000,"user":"zhang.wei"}',
    );
    expect(commandHmac(VECTOR, KEY)).toBe(VECTOR_HMAC);
    expect(commandHmac({ ...VECTOR, hmac: 'anything' }, KEY)).toBe(VECTOR_HMAC); // hmac itself is not signed
  });
});

describe('CommandVerifier', () => {
  it('accepts a well-signed, fresh, new command and returns it parsed', () => {
    const r = verifier().verify({ ...VECTOR, hmac: VECTOR_HMAC }, NOW + 1_000, true);
    expect(r).toEqual({ ok: true, command: { ...VECTOR, hmac: VECTOR_HMAC } });
  });

  it('accepts the hmac in upper-case hex, and key order on the wire does not matter', () => {
    const c = command();
    const reordered = Object.fromEntries(Object.entries({ ...c, hmac: c.hmac.toUpperCase() }).reverse());
    expect(verifier().verify(reordered, NOW, true).ok).toBe(true);
  });

  it('refuses everything when no key is configured', () => {
    expect(verifier({ key: undefined }).verify(command(), NOW, true)).toMatchObject({
      ok: false,
      error: 'not-enabled',
      message: 'cloud commands are not enabled (no cloud.mqtt.commands.key in the site file)',
    });
    expect(verifier({ key: '' }).enabled).toBe(false);
  });

  it.each([
    ['a missing hmac', (c: Record<string, unknown>) => ({ ...c, hmac: undefined }), 'hmac is missing or is not 64 hex digits'],
    ['a short hmac', (c: Record<string, unknown>) => ({ ...c, hmac: 'abc123' }), 'hmac is missing or is not 64 hex digits'],
    ['a changed action', (c: Record<string, unknown>) => ({ ...c, action: 'reset' }), 'hmac does not match (wrong key, or the command was altered)'],
    ['a changed alarm', (c: Record<string, unknown>) => ({ ...c, alarm: 'gas-2/gas_high' }), 'hmac does not match (wrong key, or the command was altered)'],
    ['an added field', (c: Record<string, unknown>) => ({ ...c, durationMinutes: 60 }), 'hmac does not match (wrong key, or the command was altered)'],
    ['a stripped target', (c: Record<string, unknown>) => ({ ...c, gateway: undefined }), 'hmac does not match (wrong key, or the command was altered)'],
  ])('refuses %s as bad-signature, with the id for the reply', (_what, tamper, message) => {
    const c = command({ gateway: 'gw-a' });
    const tampered = JSON.parse(JSON.stringify(tamper(c))) as unknown;
    expect(verifier().verify(tampered, NOW, true)).toEqual({ ok: false, error: 'bad-signature', message, id: c.id });
  });

  it('refuses a command signed with another key', () => {
    const c = signCommand({ id: 'x-1', ts: NOW, user: 'u', action: 'silence' }, 'another-key-0123456789abcdef012345');
    expect(verifier().verify(c, NOW, true)).toMatchObject({ ok: false, error: 'bad-signature' });
  });

  it('refuses a signed command that is not a valid command, naming the field', () => {
    const v = verifier();
    expect(v.verify(command({ action: 'shelve' }), NOW, true)).toMatchObject({ ok: false, error: 'bad-request', message: 'command.durationMinutes: required' });
    expect(v.verify(command({ action: 'explode' }), NOW, true)).toMatchObject({ ok: false, error: 'bad-request', message: expect.stringMatching(/^command\.action: /) });
    expect(v.verify(command({ colour: 'red' }), NOW, true)).toMatchObject({ ok: false, error: 'bad-request', message: 'command.colour: unknown field' });
    expect(v.verify(command({ alarm: 'gas_high' }), NOW, true)).toMatchObject({ ok: false, error: 'bad-request', message: 'command.alarm: an alarm id is "<device>/<alarm>" (site-level alarms: "site/<alarm>")' });
    expect(v.verify(signCommand({ id: 'r-1', ts: NOW, user: 'u', action: 'reset-interlock' }, KEY), NOW, true)).toMatchObject({ error: 'bad-request', message: 'command.interlock: required' });
    expect(v.verify([1, 2], NOW, true)).toMatchObject({ ok: false, error: 'bad-request', id: null });
  });

  it('refuses a command for another site or gateway', () => {
    expect(verifier().verify(command({ site: 'plant-7', gateway: 'gw-b' }), NOW, true)).toMatchObject({
      ok: false,
      error: 'wrong-gateway',
      message: 'addressed to plant-7/gw-b, this is plant-7/gw-a',
    });
  });

  it('refuses a ts outside ±maxSkewMs of a trusted clock as a possible replay', () => {
    const v = verifier({ maxSkewMs: 60_000 });
    expect(v.verify(command({ ts: NOW - 60_000 }), NOW, true).ok).toBe(true); // the edge is inside
    expect(v.verify(command({ ts: NOW - 60_001 }), NOW, true)).toMatchObject({
      ok: false,
      error: 'stale',
      message: 'ts is 60001 ms old, beyond ±60000 ms of the gateway clock; refused as a possible replay',
    });
    expect(v.verify(command({ ts: NOW + 120_000 }), NOW, true)).toMatchObject({ error: 'stale', message: expect.stringMatching(/^ts is 120000 ms in the future/) });
  });

  it('does not judge ts while the gateway clock is untrusted (a Pi booted at 1970 must still take commands)', () => {
    expect(verifier().verify(command({ ts: NOW }), 0, false).ok).toBe(true);
  });

  it('refuses an id seen before, even with a fresh ts and a valid signature', () => {
    const v = verifier();
    const c = command();
    expect(v.verify(c, NOW, true).ok).toBe(true);
    expect(v.verify(c, NOW + 10, true)).toEqual({ ok: false, error: 'replay', message: `id "${c.id}" was already used; refused as a replay`, id: c.id });
    const resigned = signCommand({ ...c, hmac: undefined, ts: NOW + 20 }, KEY);
    expect(v.verify(resigned, NOW + 20, true)).toMatchObject({ error: 'replay' });
  });

  it('remembers the last rememberIds accepted ids (and only accepted ones)', () => {
    const v = verifier({ rememberIds: 3 });
    const refused = command({ ts: 0 }); // stale: not remembered
    expect(v.verify(refused, NOW, true)).toMatchObject({ error: 'stale' });
    const cs = [command(), command(), command(), command()];
    for (const c of cs) expect(v.verify(c, NOW, true).ok).toBe(true);
    expect(v.verify(cs[0]!, NOW, true).ok).toBe(true); // forgotten: the oldest of four with room for three
    expect(v.verify(cs[3]!, NOW, true)).toMatchObject({ error: 'replay' });
    expect(v.verify(signCommand({ ...refused, hmac: undefined, ts: NOW }, KEY), NOW, true).ok).toBe(true);
  });
});
