import type { core } from 'zod';
import { DeviceAlarmSchema } from '../../rules/definitions/schema.js';
import { PointSchema, ProfileSchema } from './schema.js';
import { valueAt } from './locate.js';

/**
 * Turning zod issues into what an installer reads. zod's defaults ("Invalid input: expected
 * number, received string") are rewritten in the file's own terms, unions are resolved to the
 * branch the author meant, and unknown keys get a "did you mean".
 */

export interface Finding {
  path: PropertyKey[];
  message: string;
  /** Locate the last path segment at its key, not its value (unknown keys, bad enum keys). */
  atKey?: boolean;
  /** Quote the value at `path` back to the user (false for unknown keys: the path names it). */
  quote: boolean;
}

type Issue = core.$ZodIssue;

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
  array: 'a list',
};

/** The keys an object at `path` may have, for "did you mean" on unknown keys. */
function knownKeys(path: readonly PropertyKey[]): string[] {
  const [first] = path;
  if (path.length === 0) return Object.keys(ProfileSchema.shape);
  if (first === 'modbus' && path.length === 1) return Object.keys(ProfileSchema.shape.modbus.unwrap().shape);
  if (first === 'source' && path.length === 1) return ['generic', 'manual', 'notes'];
  if (first === 'points' && path.length === 2) return Object.keys(PointSchema.shape);
  if (first === 'points' && path.length === 3 && path[2] === 'range') return ['min', 'max'];
  if (first === 'communicationAlarm' && path.length === 1) return Object.keys(ProfileSchema.shape.communicationAlarm.unwrap().shape);
  if (first === 'alarms' && path.length === 2) return [...new Set(DeviceAlarmSchema.options.flatMap((o) => Object.keys(o.shape)))];
  return [];
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min(tmp + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}

function unknownKeyMessage(key: string, path: readonly PropertyKey[]): string {
  const known = knownKeys(path);
  const close = known
    .map((k) => ({ k, d: k.toLowerCase() === key.toLowerCase() ? 0 : distance(k, key) }))
    .filter((c) => c.d <= 2)
    .sort((x, y) => x.d - y.d)[0];
  if (close) return `unknown key (did you mean "${close.k}"?)`;
  return known.length > 0 ? `unknown key (allowed: ${known.join(', ')})` : 'unknown key';
}

function show(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/**
 * A union reports every branch's failures. Pick the branch whose discriminating literal
 * (e.g. `generic: true|false`) matched; if none did, the discriminator itself is the problem.
 */
function resolveUnion(issue: Extract<Issue, { code: 'invalid_union' }>, data: unknown): Finding[] {
  const base = issue.path as PropertyKey[];
  // A discriminated union (alarm `kind`) whose discriminator matched no option names them all.
  const options = (issue as { options?: unknown[] }).options;
  if (issue.errors.length === 0 && Array.isArray(options)) {
    const missing = valueAt(data, base) === undefined;
    return [{ path: base, message: `${missing ? 'is required: ' : ''}expected one of ${options.map(show).join(', ')}`, quote: true }];
  }
  const literalMiss = (branch: Issue[]): Issue | undefined =>
    branch.find((i) => i.code === 'invalid_value' && i.path.length === 1);
  const matching = issue.errors.filter((b) => !literalMiss(b));
  if (matching.length === 1) {
    return (matching[0] as Issue[]).flatMap((inner) =>
      toFindings({ ...inner, path: [...base, ...inner.path] } as Issue, data),
    );
  }
  const discriminators = issue.errors.map(literalMiss).filter((i): i is Issue => i !== undefined);
  const first = discriminators[0];
  if (first && discriminators.every((d) => d.path[0] === first.path[0])) {
    const values = discriminators.flatMap((d) => (d.code === 'invalid_value' ? d.values : []));
    const path = [...base, first.path[0] as PropertyKey];
    const missing = valueAt(data, path) === undefined;
    return [
      {
        path,
        message: `${missing ? 'is required: ' : ''}expected one of ${values.map(show).join(', ')}`,
        quote: true,
      },
    ];
  }
  if (valueAt(data, base) === undefined) return [{ path: base, message: 'is required', quote: false }];
  return [{ path: base, message: 'does not match any allowed form', quote: true }];
}

/** One zod issue → the findings a user should read (usually one). */
export function toFindings(issue: Issue, data: unknown): Finding[] {
  const path = issue.path as PropertyKey[];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: [...path, k], message: unknownKeyMessage(k, path), atKey: true, quote: false }));
    case 'invalid_key': {
      const inner = issue.issues[0];
      const key = path[path.length - 1];
      return [{ path, message: `bad key ${show(key)}: ${inner?.message ?? issue.message}`, atKey: true, quote: false }];
    }
    case 'invalid_union':
      return resolveUnion(issue, data);
    case 'invalid_type': {
      const want = TYPE_WORDS[issue.expected] ?? issue.expected;
      const missing = valueAt(data, path) === undefined;
      return [{ path, message: missing ? `is required (${want})` : `expected ${want}`, quote: true }];
    }
    case 'invalid_value': {
      const values = issue.values.map(show);
      const want = values.length === 1 ? `must be ${values[0]}` : `expected one of ${values.join(', ')}`;
      return [{ path, message: valueAt(data, path) === undefined ? `is required: ${want}` : want, quote: true }];
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array') return [{ path, message: `needs at least ${min} item${min === 1 ? '' : 's'}`, quote: false }];
      if (issue.origin === 'string') return [{ path, message: 'must not be empty', quote: true }];
      return [{ path, message: `must be ${issue.inclusive ? '≥' : '>'} ${min}`, quote: true }];
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'string') return [{ path, message: issue.message, quote: false }];
      return [{ path, message: `must be ${issue.inclusive ? '≤' : '<'} ${max}`, quote: true }];
    }
    default:
      return [{ path, message: issue.message, quote: true }];
  }
}
