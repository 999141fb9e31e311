import { checkAlarmPoint } from '../../rules/definitions/check-alarm.js';
import { COMMUNICATION_ALARM_NAME, type DeviceAlarmDef } from '../../rules/definitions/schema.js';
import { registerWidth, type ByteOrder, type PointDef, type ValueType } from './schema.js';
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
  return out;
}
