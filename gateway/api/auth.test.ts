import { describe, expect, it } from 'vitest';
import { createBearerAuth } from './auth.js';

describe('createBearerAuth', () => {
  const auth = createBearerAuth([
    { name: 'alice', token: 'alice-token-0123456789' },
    { name: 'bob', token: 'bob-token-9876543210ab' },
  ]);

  it('maps each token to its user as an api actor', () => {
    expect(auth.authenticate('Bearer alice-token-0123456789')).toEqual({ ok: true, actor: { kind: 'api', name: 'alice' } });
    expect(auth.authenticate('bearer bob-token-9876543210ab')).toEqual({ ok: true, actor: { kind: 'api', name: 'bob' } });
  });

  it.each([
    [undefined, 'missing'],
    ['', 'missing'],
    ['Bearer', 'missing'],
    ['Bearer ', 'missing'],
    ['Basic YWxpY2U6eA==', 'missing'],
    ['alice-token-0123456789', 'missing'],
    ['Bearer alice-token-012345678', 'invalid'], // one character short
    ['Bearer alice-token-01234567890', 'invalid'], // one character long
    ['Bearer ALICE-TOKEN-0123456789', 'invalid'], // tokens are case-sensitive
    ['Bearer alice-token-0123456789 extra', 'missing'],
  ])('refuses %j (%s)', (header, reason) => {
    expect(auth.authenticate(header)).toEqual({ ok: false, reason });
  });

  it('without users every request is refused as no-users, token or not', () => {
    for (const users of [undefined, []]) {
      const none = createBearerAuth(users);
      expect(none.enabled).toBe(false);
      expect(none.authenticate('Bearer anything')).toEqual({ ok: false, reason: 'no-users' });
    }
    expect(auth.enabled).toBe(true);
  });
});
