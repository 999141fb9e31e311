import { checkAlarmPoint } from '../../rules/definitions/check-alarm.js';
import { COMMUNICATION_ALARM_NAME, type DeviceAlarmDef } from '../../rules/definitions/schema.js';
import { registerWidth, type ByteOrder, type IdentifyCheck, type IdentifyDef, type PointDef, type ValueType } from './schema.js';
import type { Finding } from './schema-issues.js';

/**
 * The semantic pass: rules the schema cannot express point by point. It runs on every point
 * that passed the schema on its own, so one broken point does not hide the others' problems.
 */

export interface CheckedPoint {
  /** Index in the file's `points` list. */
  index: number;
  point: PointDef;
}

export interface CheckedAlarm {
  /** Index in the file's `alarms` list. */
  index: number;
  alarm: DeviceAlarmDef;
}

export interface CheckedIdentify {
  /** Absent when `by` itself is wrong (the schema says so). */
  by?: IdentifyDef['by'];
  /** Checks that pass the schema, with their index in `identify.checks`. */
  checks: Array<{ index: number; check: IdentifyCheck }>;
  /** Every check passed the schema (only then is "model-code needs equals" judged). */
  allValid: boolean;
}

export interface SemanticInput {
  /** The `id` as written in the file (any type; only a string is compared). */
  id: unknown;
  /** The id the file's location demands: its path under the profile directory without .yaml. */
  expectedId: string;
  defaultByteOrder: ByteOrder;
  points: CheckedPoint[];
  /** `name` of every entry of `points` as written (a point with other problems still has a name). */
  names: unknown[];
  /** Alarms that pass the schema on their own. */
  alarms?: CheckedAlarm[];
  /** `name` of every entry of `alarms` as written. */
  alarmNames?: unknown[];
  /** The `identify` section's checks that pass the schema on their own. */
  identify?: CheckedIdentify;
  /** "line 12" for a path, to point at the other half of a pair. */
  lineOf: (path: PropertyKey[]) => number | undefined;
}

const INT_RANGES: Partial<Record<ValueType, [number, number]>> = {
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};

function span(p: PointDef): [number, number] {
  const bitTable = p.table === 'coil' || p.table === 'discrete';
  return [p.address, p.address + (bitTable ? 1 : registerWidth(p.type)) - 1];
}

function describe(p: PointDef): string {
  const [from, to] = span(p);
  const where = from === to ? `${from}` : `${from}–${to}`;
  const bit = p.bit !== undefined ? ` bit ${p.bit}` : '';
  return `"${p.name}" (${p.table} ${where}${bit}, ${p.type})`;
}

/** 16-bit values only see the byte swap: ABCD ≡ CDAB and BADC ≡ DCBA. */
function effectiveOrder(p: PointDef, dflt: ByteOrder): string {
  const order = p.byteOrder ?? dflt;
  if (registerWidth(p.type) === 2) return order;
  return order === 'ABCD' || order === 'CDAB' ? 'AB' : 'BA';
}

function sharingAllowed(a: PointDef, b: PointDef, dflt: ByteOrder): boolean {
  // Bits of one status word: each point picks its own bit of the same u16 register.
  const bothBits = a.bit !== undefined && b.bit !== undefined && a.address === b.address;
  if (bothBits) return true;
  // The same raw value decoded the same way (e.g. one register shown as a code and as a label).
  return (
    a.address === b.address &&
    a.type === b.type &&
    a.bit === b.bit &&
    effectiveOrder(a, dflt) === effectiveOrder(b, dflt)
  );
}

/** Names must be unique within a list; the duplicate points back at the first. */
function duplicateNames(list: 'points' | 'alarms', what: string, names: unknown[], lineOf: SemanticInput['lineOf']): Finding[] {
  const out: Finding[] = [];
  const firstByName = new Map<string, number>();
  names.forEach((name, index) => {
    if (typeof name !== 'string') return;
    const first = firstByName.get(name);
    if (first === undefined) {
      firstByName.set(name, index);
      return;
    }
    const line = lineOf([list, first, 'name']);
    out.push({
      path: [list, index, 'name'],
      message: `duplicate ${what} name; first defined at ${list}[${first}]${line ? ` (line ${line})` : ''}`,
      quote: true,
    });
  });
  return out;
}

/**
 * A profile's default alarms: unique names, the name of the automatic communication alarm kept
 * free, and each alarm fits the point it watches (rules/definitions/check-alarm.ts). An alarm on
 * a point that failed the schema is not judged further: that point's own error says enough.
 */
function alarmChecks(input: SemanticInput): Finding[] {
  const out = duplicateNames('alarms', 'alarm', input.alarmNames ?? [], input.lineOf);
  const checked = input.points.map((p) => p.point);
  input.alarmNames?.forEach((name, index) => {
    if (name === COMMUNICATION_ALARM_NAME) {
      out.push({ path: ['alarms', index, 'name'], message: 'is reserved: every device gets a communication fault alarm of this name; override it in the site file', quote: true });
    }
  });
  for (const { index, alarm } of input.alarms ?? []) {
    const written = input.names.includes(alarm.point);
    if (written && !checked.some((p) => p.name === alarm.point)) continue;
    for (const p of checkAlarmPoint(alarm, checked)) {
      out.push({ path: ['alarms', index, ...p.at], message: p.message, quote: p.value !== undefined });
    }
  }
  return out;
}

/**
 * `identify` checks read what they name: a point must exist, be a number in a register (the
 * scan reads FC03/FC04 only), and be compared the way its value is — raw codes with `equals`,
 * engineering values with `range` (an enumeration's value is a label, so it takes `equals`).
 */
function identifyChecks(input: SemanticInput): Finding[] {
  const ident = input.identify;
  if (!ident) return [];
  const out: Finding[] = [];
  const byName = new Map(input.points.map((p) => [p.point.name, p.point] as const));
  if (ident.by === 'model-code' && ident.allValid && !ident.checks.some((c) => c.check.equals !== undefined)) {
    out.push({ path: ['identify', 'by'], message: 'model-code needs at least one check with `equals` (the model code); use plausibility for ranges only', quote: true });
  }
  ident.checks.forEach(({ check: c, index: i }) => {
    const at = ['identify', 'checks', i] as const;
    let type: ValueType | undefined = c.register?.type;
    if (c.point !== undefined) {
      const p = byName.get(c.point);
      if (!p) {
        if (!input.names.includes(c.point)) out.push({ path: [...at, 'point'], message: `no point of this name in the profile (points: ${input.points.map((q) => q.point.name).join(', ')})`, quote: true });
        return;
      }
      if (p.table === 'coil' || p.table === 'discrete' || p.type === 'bool') {
        out.push({ path: [...at, 'point'], message: `${describe(p)} is a bit; identification reads numbers from holding/input registers (FC03/FC04)`, quote: true });
        return;
      }
      if (p.enum && c.range) out.push({ path: [...at, 'range'], message: `${describe(p)} is an enumeration; compare its raw codes with \`equals\``, quote: false });
      if (p.type === 'f32' && c.equals) out.push({ path: [...at, 'equals'], message: `${describe(p)} is an f32; compare it with \`range\``, quote: false });
      type = p.type;
    }
    const limits = type ? INT_RANGES[type] : undefined;
    c.equals?.forEach((v, j) => {
      if (limits && (v < limits[0] || v > limits[1])) {
        out.push({ path: [...at, 'equals', j], message: `cannot occur in a ${type} (${limits[0]} to ${limits[1]})`, quote: true });
      }
    });
  });
  return out;
}

export function semanticChecks(input: SemanticInput): Finding[] {
  const out: Finding[] = [];
  const { points } = input;

  if (typeof input.id === 'string' && input.id !== input.expectedId) {
    out.push({
      path: ['id'],
      message: `must equal the file's path under the profile directory without .yaml: "${input.expectedId}"`,
      quote: true,
    });
  }

  out.push(...duplicateNames('points', 'point', input.names, input.lineOf));

  for (let j = 0; j < points.length; j++) {
    const b = points[j] as CheckedPoint;
    const [bFrom, bTo] = span(b.point);
    for (let i = 0; i < j; i++) {
      const a = points[i] as CheckedPoint;
      if (a.point.table !== b.point.table) continue;
      const [aFrom, aTo] = span(a.point);
      if (aTo < bFrom || bTo < aFrom) continue;
      if (sharingAllowed(a.point, b.point, input.defaultByteOrder)) continue;
      out.push({
        path: ['points', b.index, 'address'],
        message:
          `${describe(b.point)} overlaps ${describe(a.point)} at points[${a.index}]; registers may be shared ` +
          'only by bit points of one u16 register or by identical definitions',
        quote: true,
      });
    }
  }

  for (const { index, point } of points) {
    if (point.access === 'readwrite' && point.table !== 'holding' && point.table !== 'coil') {
      out.push({
        path: ['points', index, 'access'],
        message: `${point.table} points are read-only; readwrite needs table holding or coil`,
        quote: true,
      });
    }
    const limits = INT_RANGES[point.type];
    if (point.enum && limits && point.bit === undefined) {
      for (const key of Object.keys(point.enum)) {
        const n = Number(key);
        if (n < limits[0] || n > limits[1]) {
          out.push({
            path: ['points', index, 'enum', key],
            message: `enum key ${key} cannot occur in a ${point.type} (${limits[0]} to ${limits[1]})`,
            atKey: true,
            quote: false,
          });
        }
      }
    }
  }
  out.push(...alarmChecks(input));
  out.push(...identifyChecks(input));
  return out;
}
