/**
 * Identifying a device that answered the scan, by the `identify:` sections of the profiles
 * (drivers/profiles/schema.ts IdentifySchema). Every distinct register a check names is read
 * once (FC03/FC04 only — never a write); each profile whose checks all pass is a match. Values
 * are decoded by the gateway's own codecs, so the scan judges a register exactly as the poller
 * would read it.
 */
import { decodeRegisters, resolvePoints, type ResolvedPoint } from '../../drivers/modbus/codecs.js';
import type { IdentifyCheck, IdentifyDef, Profile } from '../../drivers/profiles/schema.js';
import { registerWidth } from '../../drivers/profiles/schema.js';
import { isVigilError } from '../../gateway/errors.js';

export interface RegisterSpan {
  table: 'holding' | 'input';
  address: number;
  count: number;
}

/** What one span read gave: the words, or why not (an exception, a timeout …). */
export type SpanResult = { words: number[] } | { error: string };

export type ReadSpan = (span: RegisterSpan) => Promise<number[]>;

export interface ProfileMatch {
  profile: string;
  by: IdentifyDef['by'];
  /** The checks' `why`, in order. */
  why: string[];
}

export interface Identification {
  /** Empty: unknown model. More than one: ambiguous (see `verdict`). */
  matches: ProfileMatch[];
  verdict: 'identified' | 'ambiguous' | 'unknown';
  /** The registers read, for the table ("holding 0=2301") and for an unknown model. */
  raw: Array<{ span: RegisterSpan; result: SpanResult }>;
}

interface PlannedCheck {
  check: IdentifyCheck;
  span: RegisterSpan;
  /** Decodes the span's words to the value the check compares. */
  value(words: readonly number[]): number | undefined;
}

export const spanKey = (s: RegisterSpan) => `${s.table}:${s.address}:${s.count}`;

/** A point decoded raw: the same type and byte order, no scale, label or range. */
function rawPoint(p: ResolvedPoint): ResolvedPoint {
  const { enum: _enum, range: _range, ...rest } = p;
  return { ...rest, scale: 1, offset: 0 };
}

function numeric(p: ResolvedPoint, words: readonly number[]): number | undefined {
  const v = decodeRegisters(p, words).value;
  return typeof v === 'number' ? v : undefined;
}

function planCheck(profile: Profile, points: Map<string, ResolvedPoint>, check: IdentifyCheck): PlannedCheck {
  let point: ResolvedPoint;
  if (check.point !== undefined) {
    const p = points.get(check.point);
    // The loader's semantic pass guarantees the point exists; a profile built in code may not.
    if (!p) throw new Error(`profile ${profile.id}: identify names a missing point "${check.point}"`);
    point = p;
  } else {
    const r = check.register!;
    point = {
      name: 'identify',
      table: r.table,
      address: r.address,
      type: r.type,
      byteOrder: r.byteOrder ?? profile.modbus.byteOrder,
      scale: 1,
      offset: 0,
      width: registerWidth(r.type),
    };
  }
  const span: RegisterSpan = { table: point.table as 'holding' | 'input', address: point.address, count: point.width };
  // `equals` compares the raw integer (a model code or state code), `range` the engineering value.
  const decodeAs = check.equals ? rawPoint(point) : { ...point, range: undefined };
  return { check, span, value: (words) => numeric(decodeAs, words) };
}

/** The profiles that can be identified, with their checks planned. */
export interface IdentifyPlan {
  spans: RegisterSpan[];
  profiles: Array<{ profile: Profile; identify: IdentifyDef; checks: PlannedCheck[] }>;
}

export function planIdentification(profiles: readonly Profile[]): IdentifyPlan {
  const spans = new Map<string, RegisterSpan>();
  const out: IdentifyPlan['profiles'] = [];
  for (const profile of profiles) {
    if (!profile.identify) continue;
    const points = new Map(resolvePoints(profile).map((p) => [p.name, p] as const));
    const checks = profile.identify.checks.map((c) => planCheck(profile, points, c));
    for (const c of checks) spans.set(spanKey(c.span), c.span);
    out.push({ profile, identify: profile.identify, checks });
  }
  const order = { holding: 0, input: 1 } as const;
  const sorted = [...spans.values()].sort((a, b) => order[a.table] - order[b.table] || a.address - b.address || a.count - b.count);
  return { spans: sorted, profiles: out };
}

function passes(c: PlannedCheck, result: SpanResult | undefined): boolean {
  if (!result || !('words' in result)) return false;
  const v = c.value(result.words);
  if (v === undefined) return false;
  if (c.check.equals) return c.check.equals.includes(v);
  const r = c.check.range!;
  return v >= r.min && v <= r.max;
}

/** Judges the reads: pure, so the matching rules are unit-tested without a device. */
export function matchProfiles(plan: IdentifyPlan, results: ReadonlyMap<string, SpanResult>): ProfileMatch[] {
  const matches: ProfileMatch[] = [];
  for (const p of plan.profiles) {
    if (p.checks.every((c) => passes(c, results.get(spanKey(c.span))))) {
      matches.push({ profile: p.profile.id, by: p.identify.by, why: p.checks.map((c) => c.check.why) });
    }
  }
  // A model code outranks plausibility: one model-code match is the model even if another
  // profile's plausible ranges also fit; several model-code matches stay ambiguous.
  const coded = matches.filter((m) => m.by === 'model-code');
  return coded.length > 0 ? coded : matches;
}

function describeError(e: unknown): string {
  if (isVigilError(e)) {
    const code = e.details['modbusCode'];
    if (typeof code === 'number') return `exception ${String(code).padStart(2, '0')}`;
    return e.code === 'COMM_TIMEOUT' ? 'no answer' : e.code.toLowerCase().replace(/_/g, ' ');
  }
  return e instanceof Error ? e.message : String(e);
}

/** Reads every span the plan needs (one at a time, read-only) and judges them. */
export async function identifyDevice(plan: IdentifyPlan, read: ReadSpan): Promise<Identification> {
  const results = new Map<string, SpanResult>();
  const raw: Identification['raw'] = [];
  for (const span of plan.spans) {
    let result: SpanResult;
    try {
      result = { words: await read(span) };
    } catch (e) {
      result = { error: describeError(e) };
    }
    results.set(spanKey(span), result);
    raw.push({ span, result });
  }
  const matches = matchProfiles(plan, results);
  const verdict = matches.length === 0 ? 'unknown' : matches.length === 1 ? 'identified' : 'ambiguous';
  return { matches, verdict, raw };
}

/** "holding 0=2301 · input 0+2=0x4366,0x8000 · exception 02 at holding 7, input 70+2": values first, failures grouped. */
export function describeRaw(raw: Identification['raw']): string {
  const where = (span: RegisterSpan) => `${span.table} ${span.address}${span.count > 1 ? `+${span.count}` : ''}`;
  const values: string[] = [];
  const failures = new Map<string, string[]>();
  for (const { span, result } of raw) {
    if ('error' in result) failures.set(result.error, [...(failures.get(result.error) ?? []), where(span)]);
    else values.push(`${where(span)}=${result.words.map((w) => (span.count > 1 ? `0x${w.toString(16).padStart(4, '0')}` : String(w))).join(',')}`);
  }
  return [...values, ...[...failures].map(([error, spans]) => `${error} at ${spans.join(', ')}`)].join(' · ');
}
