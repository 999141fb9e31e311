/**
 * Analog types (模拟量类型, GB/T 26875.3-2011 §8.2.1.3 表6), from the transcription in
 * ActorLancer/GB-T-26875.3.2011-rs (GB26875文档.md), tagged [C*] in standards.md §3.2.
 * The value on the wire is an i16 (LE) counted in the resolution: value = raw × resolution.
 * 0 is "not used", 13–127 are reserved, 128–255 user-defined: for those no unit is known, and
 * analogValue() says so by returning undefined rather than guessing.
 */
import { Gb26875EncodeError } from './errors.js';

export interface AnalogType {
  readonly code: number;
  readonly name: string;
  readonly unit: string;
  /** Engineering units per raw count. */
  readonly resolution: number;
  /** Valid range in engineering units (有效值范围). */
  readonly min: number;
  readonly max: number;
}

function t(code: number, name: string, unit: string, resolution: number, min: number, max: number): AnalogType {
  return { code, name, unit, resolution, min, max };
}

export const ANALOG_TYPES: ReadonlyMap<number, AnalogType> = new Map(
  [
    t(1, '事件计数 event count', '件', 1, 0, 32000),
    t(2, '高度 height', 'm', 0.01, 0, 320),
    t(3, '温度 temperature', '℃', 0.1, -273, 3200),
    t(4, '压力 pressure', 'MPa', 0.1, 0, 3200),
    // The transcription prints the resolution as "0.1Mpa" — read as 0.1 kPa, the type's own unit
    // (standards.md §3.2 reads it the same way). Check against the purchased standard.
    t(5, '压力 pressure', 'kPa', 0.1, 0, 3200),
    t(6, '气体浓度 gas concentration', '%LEL', 0.1, 0, 100),
    t(7, '时间 time', 's', 1, 0, 32000),
    t(8, '电压 voltage', 'V', 0.1, 0, 3200),
    t(9, '电流 current', 'A', 0.1, 0, 3200),
    t(10, '流量 flow', 'L/s', 0.1, 0, 3200),
    t(11, '风量 air volume', 'm³/min', 0.1, 0, 3200),
    t(12, '风速 wind speed', 'm/s', 1, 0, 20),
  ].map((a) => [a.code, a] as const),
);

export interface AnalogReading {
  readonly value: number;
  readonly unit: string;
  readonly name: string;
  /** False when the value lies outside the type's valid range: a fault, not a measurement. */
  readonly withinRange: boolean;
}

function decimalsOf(resolution: number): number {
  return resolution >= 1 ? 0 : Math.round(-Math.log10(resolution));
}

/** The engineering value of a raw i16, or undefined for an analog type without a known unit. */
export function analogValue(analogType: number, raw: number): AnalogReading | undefined {
  const a = ANALOG_TYPES.get(analogType);
  if (!a) return undefined;
  // Rounded to the resolution's decimals so 0.1 × 253 reads 25.3, not 25.299999999999997.
  const value = Number((raw * a.resolution).toFixed(decimalsOf(a.resolution)));
  return { value, unit: a.unit, name: a.name, withinRange: value >= a.min && value <= a.max };
}

/**
 * The raw i16 for an engineering value, rounded to the nearest count. Throws for an unknown
 * analog type or a value that does not fit an i16 — never clamps (DESIGN principle 7).
 */
export function analogRaw(analogType: number, value: number): number {
  const a = ANALOG_TYPES.get(analogType);
  if (!a) throw new Gb26875EncodeError('analogType', `analog type ${analogType} has no unit in GB/T 26875.3 表6 (0 unused, 13–127 reserved, 128–255 user-defined)`);
  const raw = Math.round(value / a.resolution);
  if (!Number.isFinite(raw) || raw < -32768 || raw > 32767) {
    throw new Gb26875EncodeError('value', `${value} ${a.unit} at ${a.resolution} ${a.unit} per count is ${raw}, outside the i16 range`);
  }
  return raw;
}
