import { createHmac, timingSafeEqual } from 'node:crypto';
import { describeIssue } from '../api/alarm-actions.js';
import { CommandPayloadSchema, type CommandError, type CommandPayload } from './command-payloads.js';

/**
 * Authentication of cloud commands. A command can shelve an alarm or reset an interlock, so
 * the broker's own access control is not enough (a broker is shared, its ACLs drift, its
 * credentials sit on many machines): every command carries an HMAC-SHA256 under a key only
 * the gateway and the cloud hold, and a command is refused unless
 *   1. commands are enabled (a key is configured),
 *   2. the HMAC over the canonical JSON of every other field is right (constant-time compare),
 *   3. it reads as a command (schema) addressed to this gateway, when it names one,
 *   4. its ts is within ±maxSkewMs of the gateway clock — checked only while that clock is
 *      trusted: a Pi without an RTC boots in 1970, and refusing every command then would cut
 *      the cloud off exactly when someone needs to act,
 *   5. its id has not been seen (the last `rememberIds` accepted ids are kept).
 * 4 and 5 together make a captured command useless after maxSkewMs and unrepeatable within it.
 *
 * Pure: time comes in as arguments and the only state is the id memory, so every rule is
 * unit-tested without a broker or a clock.
 */

/** RFC 8785 (JCS) canonical JSON for the JSON values a command holds: keys sorted, no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort(); // UTF-16 code-unit order, as RFC 8785 §3.2.3 asks
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The hex HMAC-SHA256 of a command's fields (everything but `hmac`) under the key (UTF-8). */
export function commandHmac(fields: Record<string, unknown>, key: string): string {
  const { hmac: _ignored, ...rest } = fields;
  return createHmac('sha256', key).update(canonicalJson(rest), 'utf8').digest('hex');
}

/** Signs a command as the cloud would (tests, tools, and the reference for cloud implementers). */
export function signCommand<T extends Record<string, unknown>>(fields: T, key: string): T & { hmac: string } {
  return { ...fields, hmac: commandHmac(fields, key) };
}

export interface CommandAuthOptions {
  /** cloud.mqtt.commands.key, resolved. Absent: every command is refused. */
  key: string | undefined;
  maxSkewMs: number;
  /** This gateway's ids: a command that names another target is refused. */
  site: string;
  gateway: string;
  /** Accepted ids remembered for replay detection. Default 1000. */
  rememberIds?: number;
}

export type VerifyResult =
  | { ok: true; command: CommandPayload }
  | { ok: false; error: CommandError; message: string; id: string | null };

export const DEFAULT_REMEMBERED_IDS = 1_000;

export class CommandVerifier {
  private readonly key: string | undefined;
  private readonly remember: number;
  /** Accepted ids, oldest first (Map keeps insertion order). */
  private readonly seen = new Map<string, true>();

  constructor(private readonly opts: CommandAuthOptions) {
    this.key = opts.key === '' ? undefined : opts.key;
    this.remember = opts.rememberIds ?? DEFAULT_REMEMBERED_IDS;
  }

  get enabled(): boolean {
    return this.key !== undefined;
  }

  /**
   * @param raw the parsed JSON payload
   * @param now the gateway's wall clock (ms)
   * @param clockTrusted whether `now` can be believed (Clock.isTrusted)
   */
  verify(raw: unknown, now: number, clockTrusted: boolean): VerifyResult {
    const id = idOf(raw);
    const refuse = (error: CommandError, message: string): VerifyResult => ({ ok: false, error, message, id });
    if (this.key === undefined) return refuse('not-enabled', 'cloud commands are not enabled (no cloud.mqtt.commands.key in the site file)');
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return refuse('bad-request', 'a command is a JSON object');
    const fields = raw as Record<string, unknown>;

    // The signature before anything else: an unauthenticated sender learns nothing about the schema.
    const presented = fields.hmac;
    if (typeof presented !== 'string' || !/^[0-9a-fA-F]{64}$/.test(presented)) return refuse('bad-signature', 'hmac is missing or is not 64 hex digits');
    const expected = Buffer.from(commandHmac(fields, this.key), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(presented, 'hex'))) return refuse('bad-signature', 'hmac does not match (wrong key, or the command was altered)');

    const parsed = CommandPayloadSchema.safeParse(raw);
    if (!parsed.success) return refuse('bad-request', parsed.error.issues.map((i) => describeIssue(i, 'command')).join('; '));
    const cmd = parsed.data;
    if ((cmd.site !== undefined && cmd.site !== this.opts.site) || (cmd.gateway !== undefined && cmd.gateway !== this.opts.gateway)) {
      return refuse('wrong-gateway', `addressed to ${cmd.site ?? this.opts.site}/${cmd.gateway ?? this.opts.gateway}, this is ${this.opts.site}/${this.opts.gateway}`);
    }
    if (clockTrusted && Math.abs(cmd.ts - now) > this.opts.maxSkewMs) {
      const age = now - cmd.ts;
      const how = age > 0 ? `${age} ms old` : `${-age} ms in the future`;
      return refuse('stale', `ts is ${how}, beyond ±${this.opts.maxSkewMs} ms of the gateway clock; refused as a possible replay`);
    }
    if (this.seen.has(cmd.id)) return refuse('replay', `id "${cmd.id}" was already used; refused as a replay`);
    this.seen.set(cmd.id, true);
    while (this.seen.size > this.remember) this.seen.delete(this.seen.keys().next().value as string);
    return { ok: true, command: cmd };
  }
}

/** The command's id when there is a readable one (for the reply), else null. */
function idOf(raw: unknown): string | null {
  if (raw === null || typeof raw !== 'object') return null;
  const id = (raw as Record<string, unknown>).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 ? id : null;
}
