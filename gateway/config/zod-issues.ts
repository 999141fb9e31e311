import { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import { SecretRefSchema } from './schema.js';
import { SiteDeviceAlarmSchema } from '../../rules/definitions/schema.js';
import { didYouMean, quoteList } from './suggest.js';
import type { Finding } from './finding.js';

/**
 * Turns zod's issues into findings an installer can act on. zod's own messages are written
 * for programmers ("Invalid input: expected number, received string"); here every message
 * says what the key must be, and quotes what was found. One zod issue may become several
 * findings (one per unknown key), never fewer: nothing is dropped.
 */
export function issuesToFindings(issues: readonly $ZodIssue[], root: z.ZodType, data: unknown, prefix: (string | number)[] = []): Finding[] {
  return issues.flatMap((issue) => mapIssue(issue, root, data, [...prefix, ...(issue.path as (string | number)[])]));
}

function mapIssue(issue: $ZodIssue, root: z.ZodType, data: unknown, at: (string | number)[]): Finding[] {
  const value = valueAt(data, at);
  // devices[].alarms.<name> is "an override, or a new alarm with `kind`". zod reports a broken new
  // alarm against the override shape ("unknown key kind"); judge it as the alarm it is meant to be
  // instead ("kind: hihg", a missing setpoint).
  if (issue.code === 'unrecognized_keys' && issue.keys.includes('kind') && isDeviceAlarmEntry(at)) {
    const asAlarm = SiteDeviceAlarmSchema.safeParse(value);
    if (!asAlarm.success) return issuesToFindings(asAlarm.error.issues, root, data, at);
  }
  const leaf = schemaAt(root, at, data);
  const err = (message: string, quote = true): Finding => {
    const f: Finding = { severity: 'error', at, message };
    // Secrets must never be echoed, even when they were put in the wrong place.
    if (quote && value !== undefined && !maybeSecret(at)) f.value = value;
    return f;
  };
  const key = at[at.length - 1];
  const parent = valueAt(data, at.slice(0, -1));
  if (value === undefined && issue.code !== 'unrecognized_keys' && issue.code !== 'invalid_union' && isObject(parent)) {
    // zod words a missing key as a wrong value ("expected one of …, received undefined").
    const expect = issue.code === 'invalid_value' ? `: one of ${issue.values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ')}` : '';
    return [err(`missing required key "${String(key)}"${expect}`)];
  }

  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return [err(`missing: expected ${describeExpected(issue.expected, leaf)}`)];
      if (issue.expected === 'int') return [err('must be a whole number')];
      if (issue.expected === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
        // YAML `port: "502"` is text. Converting it would hide a typo elsewhere; say so instead.
        return [err(`must be a number, not text — write ${value.trim()} without quotes`)];
      }
      if (value === null) return [err(`is empty; expected ${describeExpected(issue.expected, leaf)}`, false)];
      return [err(`must be ${describeExpected(issue.expected, leaf)}, not ${describeValue(value)}`)];
    }
    case 'too_small':
    case 'too_big':
      return [err(sizeMessage(issue, leaf))];
    case 'invalid_value': {
      const allowed = issue.values.map((v) => (typeof v === 'string' ? `"${v}"` : String(v))).join(', ');
      const hint = typeof value === 'string' ? didYouMean(value, issue.values.filter((v): v is string => typeof v === 'string')) : '';
      return [err(issue.values.length === 1 ? `must be ${allowed}${hint}` : `must be one of ${allowed}${hint}`)];
    }
    case 'unrecognized_keys': {
      const allowed = objectKeys(leaf, value);
      return issue.keys.map((k) => ({
        severity: 'error' as const,
        at: [...at, k],
        atKey: true,
        // The value is not quoted: a misspelt `pasword:` must not put a password on screen.
        message: `unknown key "${k}"${allowed ? `${didYouMean(k, allowed)}; allowed keys here: ${allowed.join(', ')}` : ''}`,
      }));
    }
    case 'invalid_union':
      return unionFindings(issue, root, data, at, err);
    case 'invalid_format':
    case 'custom':
      // Our schemas give these their own wording ("a bus name is lower case letters …").
      return [err(issue.message)];
    default:
      return [err(issue.message)];
  }
}

function isDeviceAlarmEntry(at: readonly (string | number)[]): boolean {
  return at.length === 4 && at[0] === 'devices' && typeof at[1] === 'number' && at[2] === 'alarms';
}

function unionFindings(
  issue: Extract<$ZodIssue, { code: 'invalid_union' }>,
  root: z.ZodType,
  data: unknown,
  at: (string | number)[],
  err: (message: string, quote?: boolean) => Finding,
): Finding[] {
  // A discriminated union (buses: `type`) — zod puts the discriminator key in the path.
  if ((issue as { note?: string }).note === 'No matching discriminator') {
    const options = (issue as { options?: unknown[] }).options ?? [];
    const names = options.map(String);
    const value = valueAt(data, at);
    if (value === undefined) return [err(`missing required key "${String(at[at.length - 1])}": one of ${quoteList(names)}`)];
    return [err(`must be one of ${quoteList(names)}${typeof value === 'string' ? didYouMean(value, names) : ''}`)];
  }
  // If exactly one alternative got past the top level (the value had the right shape and only
  // something inside it is wrong), its issues are the useful ones.
  const rootless = issue.errors.filter((branch) => branch.every((i) => i.path.length > 0 && !isMissing(i, data, at)));
  if (rootless.length === 1) return issuesToFindings(rootless[0]!, root, data, at);

  const leaf = schemaAt(root, at, data);
  const options = unionOptions(leaf);
  if (options.includes(SecretRefSchema) || leaf === SecretRefSchema) {
    const text = options.some((o) => unwrap(o) instanceof z.ZodString) ? 'text, or ' : '';
    // Never quote the value: it is probably the secret itself.
    return [{ severity: 'error', at, message: `must be ${text}a secret reference — { secret: KEY } (a key of the secrets file) or { env: NAME } (an environment variable); a secret itself never goes in the site file` }];
  }
  return [err('does not match any of the allowed forms (see docs/configuration.md)')];
}

function isMissing(i: $ZodIssue, data: unknown, at: (string | number)[]): boolean {
  return i.code === 'invalid_type' && valueAt(data, [...at, ...(i.path as (string | number)[])]) === undefined;
}

function sizeMessage(issue: Extract<$ZodIssue, { code: 'too_small' | 'too_big' }>, leaf: z.ZodType | undefined): string {
  const small = issue.code === 'too_small';
  const bound = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'string':
      if (small && bound === 1) return 'must not be empty';
      return small ? `must be at least ${bound} characters long` : `must be at most ${bound} characters long`;
    case 'array':
      return small ? `needs at least ${bound} ${bound === 1 ? 'entry' : 'entries'}` : `allows at most ${bound} entries`;
    case 'number': {
      // Both ends of the range help more than the one that was crossed.
      const n = unwrap(leaf);
      // (.int() alone sets ±MAX_SAFE_INTEGER, which is no limit a person set.)
      if (n instanceof z.ZodNumber && bounded(n.minValue) && bounded(n.maxValue)) {
        return `must be from ${n.minValue} to ${n.maxValue}`;
      }
      return `must be ${small ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<'} ${bound}`;
    }
    default:
      return issue.message;
  }
}

const bounded = (v: number | null): v is number => v !== null && Math.abs(v) < Number.MAX_SAFE_INTEGER;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describeExpected(expected: string, leaf: z.ZodType | undefined): string {
  switch (expected) {
    case 'object': {
      const keys = objectKeys(leaf, undefined);
      return `a mapping${keys ? ` with keys ${keys.join(', ')}` : ''}`;
    }
    case 'array':
      return 'a list (lines starting with "- ")';
    case 'string':
      return 'text';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'a mapping';
  if (typeof v === 'string') return 'text';
  return `a ${typeof v}`;
}

function maybeSecret(at: readonly (string | number)[]): boolean {
  return at.some((s) => typeof s === 'string' && /pass|secret|token|username/i.test(s));
}

/** The value at a path in plain data; undefined where the path runs out. */
export function valueAt(data: unknown, at: readonly (string | number)[]): unknown {
  let cur = data;
  for (const seg of at) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Strip optional/default/nullable wrappers. */
function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault || cur instanceof z.ZodNullable) {
    cur = cur.unwrap() as z.ZodType;
  }
  return cur;
}

function unionOptions(s: z.ZodType | undefined): z.ZodType[] {
  const u = unwrap(s);
  return u instanceof z.ZodUnion ? ([...u.options] as z.ZodType[]) : [];
}

/**
 * The schema that describes a path, following the data through discriminated unions (a bus
 * of `type: tcp` has the TCP keys). Used for "allowed keys" lists and number ranges.
 */
export function schemaAt(root: z.ZodType, at: readonly (string | number)[], data: unknown): z.ZodType | undefined {
  let cur: z.ZodType | undefined = root;
  for (let i = 0; i <= at.length && cur; i++) {
    cur = pickUnionOption(unwrap(cur), valueAt(data, at.slice(0, i)));
    if (i === at.length) break;
    const seg = at[i]!;
    if (cur instanceof z.ZodObject) cur = (cur.shape as Record<string, z.ZodType>)[String(seg)];
    else if (cur instanceof z.ZodArray) cur = cur.element as z.ZodType;
    else if (cur instanceof z.ZodRecord) cur = cur.valueType as z.ZodType;
    else return undefined;
  }
  return cur;
}

function pickUnionOption(s: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  if (!(s instanceof z.ZodUnion)) return s;
  const options = [...s.options] as z.ZodType[];
  const disc = (s as unknown as { _zod: { def: { discriminator?: string } } })._zod.def.discriminator;
  if (disc && value && typeof value === 'object') {
    const tag = (value as Record<string, unknown>)[disc];
    const hit = options.find((o) => o instanceof z.ZodObject && (o.shape as Record<string, z.ZodType>)[disc]?.safeParse(tag).success);
    if (hit) return hit;
  }
  return s;
}

/** The keys a mapping may have at this place (all alternatives' keys for a union). */
function objectKeys(s: z.ZodType | undefined, value: unknown): string[] | undefined {
  const u = pickUnionOption(unwrap(s), value);
  if (u instanceof z.ZodObject) return Object.keys(u.shape);
  const objects = unionOptions(u).map(unwrap).filter((o): o is z.ZodObject => o instanceof z.ZodObject);
  if (objects.length === 0) return undefined;
  return [...new Set(objects.flatMap((o) => Object.keys(o.shape)))];
}
