import { createHash, timingSafeEqual } from 'node:crypto';
import type { Actor } from '../../rules/model.js';

/**
 * Bearer-token authentication for alarm actions (issue 3: "acknowledge, silence, shelve, reset,
 * with a token — 401 without it"). Tokens come from the secrets file through api.users; each
 * one names a person, who becomes the actor in the alarm journal.
 *
 * Comparison is constant-time: both sides are hashed to 32 bytes (so lengths never differ and
 * timingSafeEqual applies) and every configured user is compared, match or not, so the time
 * taken says nothing about which token came close or which user matched.
 */
export interface ApiUser {
  name: string;
  token: string;
}

export type AuthResult =
  | { ok: true; actor: Actor }
  /** missing: no `Authorization: Bearer …`; invalid: a token that is no user's; no-users: api.users is empty. */
  | { ok: false; reason: 'missing' | 'invalid' | 'no-users' };

export interface BearerAuth {
  readonly enabled: boolean;
  authenticate(authorization: string | undefined): AuthResult;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export function createBearerAuth(users: readonly ApiUser[] | undefined): BearerAuth {
  const table = (users ?? []).map((u) => ({ name: u.name, hash: digest(u.token) }));
  return {
    enabled: table.length > 0,
    authenticate(authorization) {
      if (table.length === 0) return { ok: false, reason: 'no-users' };
      // RFC 6750 §2.1: the scheme is case-insensitive; one space, then the token.
      const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
      if (!m) return { ok: false, reason: 'missing' };
      const presented = digest(m[1]!);
      let match: string | undefined;
      for (const u of table) {
        if (timingSafeEqual(u.hash, presented) && match === undefined) match = u.name;
      }
      return match === undefined ? { ok: false, reason: 'invalid' } : { ok: true, actor: { kind: 'api', name: match } };
    },
  };
}
