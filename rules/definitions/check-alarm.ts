import type { PointDef } from '../../drivers/profiles/schema.js';
import { didYouMean } from '../../gateway/config/suggest.js';
import type { AlarmDef } from './schema.js';

/**
 * The checks an alarm definition needs against the points it watches — shared by the profile
 * loader (a profile's default alarms) and the site file's semantic pass (a device's own alarms,
 * and profile alarms after the site's overrides). Each problem's path is relative to the alarm.
 *
 * A kind must watch a point it can judge: limits and rates a number, a status alarm a bool or
 * an enumeration whose labels it names. A set point outside the measuring range is never met
 * by a valid reading, and a deadband reaching past the range end means the alarm never
 * returns — both are mistakes, not preferences, so they are errors (DESIGN principle 7).
 */
export interface AlarmPointProblem {
  /** Relative to the alarm, e.g. ["point"], ["activeWhen", 1], ["deadband"]. */
  at: (string | number)[];
  message: string;
  /** The offending value, quoted back to the user. */
  value?: unknown;
}

/** How a point's value arrives in a reading (gateway/readings.ts PointValue). */
export function pointValueKind(p: PointDef): 'number' | 'bool' | 'enum' {
  if (p.type === 'bool') return 'bool';
  return p.enum ? 'enum' : 'number';
}

function describePoint(p: PointDef): string {
  const kind = pointValueKind(p);
  if (kind === 'bool') return `"${p.name}" is a bool point`;
  if (kind === 'enum') return `"${p.name}" is an enumeration (${Object.values(p.enum ?? {}).join(', ')})`;
  return `"${p.name}" is a number (${p.type}${p.unit ? `, ${p.unit}` : ''})`;
}

const fmt = (n: number) => String(Number(n.toPrecision(12)));

export function checkAlarmPoint(def: AlarmDef, points: readonly PointDef[]): AlarmPointProblem[] {
  if (def.kind === 'vote' || def.point === undefined) return [];
  const point = points.find((p) => p.name === def.point);
  if (!point) {
    const names = points.map((p) => p.name);
    return [{ at: ['point'], message: `no point "${def.point}"${didYouMean(def.point, names)}; points: ${names.join(', ')}`, value: def.point }];
  }
  const kind = pointValueKind(point);
  switch (def.kind) {
    case 'high':
    case 'low':
    case 'rate': {
      if (kind !== 'number') {
        return [{ at: ['point'], message: `a ${def.kind} alarm needs a numeric point; ${describePoint(point)} — use a state alarm`, value: def.point }];
      }
      return def.kind === 'rate' ? [] : limitInRange(def, point);
    }
    case 'state':
      return stateValues(def.activeWhen, point, kind);
    default:
      // stale, quality, communication judge any point
      return [];
  }
}

function limitInRange(def: { kind: 'high' | 'low'; setpoint: number; deadband: number }, point: PointDef): AlarmPointProblem[] {
  const range = point.range;
  if (!range) return [];
  const where = `the point's measuring range ${fmt(range.min)}–${fmt(range.max)}${point.unit ? ` ${point.unit}` : ''}`;
  if (def.setpoint < range.min || def.setpoint > range.max) {
    return [{ at: ['setpoint'], message: `set point ${fmt(def.setpoint)} is outside ${where}; no valid reading reaches it`, value: def.setpoint }];
  }
  // high returns once value < setpoint − deadband; low once value > setpoint + deadband.
  const back = def.kind === 'high' ? def.setpoint - def.deadband : def.setpoint + def.deadband;
  const never = def.kind === 'high' ? back <= range.min : back >= range.max;
  if (never) {
    const op = def.kind === 'high' ? `below ${fmt(back)}` : `above ${fmt(back)}`;
    return [{ at: ['deadband'], message: `the alarm could never return: it needs a reading ${op} (set point ${def.kind === 'high' ? '−' : '+'} deadband), outside ${where}`, value: def.deadband }];
  }
  return [];
}

function stateValues(activeWhen: readonly (boolean | string)[], point: PointDef, kind: 'number' | 'bool' | 'enum'): AlarmPointProblem[] {
  if (kind === 'number') {
    return [{ at: ['point'], message: `a state alarm needs a bool or enumeration point; ${describePoint(point)} — use a high or low alarm`, value: point.name }];
  }
  const labels = Object.values(point.enum ?? {});
  const out: AlarmPointProblem[] = [];
  activeWhen.forEach((v, j) => {
    if (kind === 'bool' && typeof v !== 'boolean') {
      out.push({ at: ['activeWhen', j], message: `"${point.name}" is a bool point: activeWhen lists true or false`, value: v });
    } else if (kind === 'enum' && typeof v !== 'string') {
      out.push({ at: ['activeWhen', j], message: `"${point.name}" is an enumeration: activeWhen lists its labels (${labels.join(', ')})`, value: v });
    } else if (kind === 'enum' && !labels.includes(v as string)) {
      out.push({ at: ['activeWhen', j], message: `"${point.name}" has no label "${String(v)}"${didYouMean(String(v), labels)}; its labels: ${labels.join(', ')}`, value: v });
    }
  });
  return out;
}
