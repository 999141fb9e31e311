/**
 * Decoded GB/T 26875.3 objects → Readings, as pure functions. One reading per status bit that
 * matters (point-names.ts); the panel's own time label is not used as the timestamp — panels
 * with an unset clock send zeros (codec README) — the gateway stamps the arrival time.
 */
import {
  analogValue,
  COMPONENT_STATUS_BITS,
  flagsOf,
  SYSTEM_STATUS_BITS,
  UITD_STATUS_BITS,
  type AnalogValue,
  type ComponentStatus,
  type Flags,
  type SystemStatus,
} from '../gb26875/index.js';
import type { Reading } from '../../gateway/readings.js';
import { analogPoint, COMPONENT_FLAG_POINTS, componentKey, SYSTEM_FLAG_POINTS, systemKey, UITD_FLAG_POINTS, UITD_KEY } from './point-names.js';

/** Who and when: the configured panel device name and the arrival time of the frame. */
export interface ReadingStamp {
  readonly device: string;
  readonly ts: number;
  readonly clockTrusted: boolean;
}

export type SystemFlags = Flags<typeof SYSTEM_STATUS_BITS>;
export type ComponentFlags = Flags<typeof COMPONENT_STATUS_BITS>;

function bool(stamp: ReadingStamp, point: string, value: boolean): Reading {
  return { device: stamp.device, point, value, quality: 'good', ts: stamp.ts, clockTrusted: stamp.clockTrusted };
}

/** The 11 boolean points of one system status (type 1): system_<type>_<addr>_<flag>. */
export function systemReadings(stamp: ReadingStamp, s: Pick<SystemStatus, 'systemType' | 'systemAddress' | 'status'>): Reading[] {
  const flags = flagsOf(SYSTEM_STATUS_BITS, s.status);
  const key = systemKey(s);
  return (Object.entries(SYSTEM_FLAG_POINTS) as [keyof typeof SYSTEM_FLAG_POINTS, string][]).map(([flag, suffix]) => bool(stamp, `${key}_${suffix}`, flags[flag]));
}

/**
 * The 8 boolean points of one component status (type 2): c_<type>_<addr>_<zone>_<position>_<flag>.
 * Bit 0 (1 = normal, 0 = test) is deliberately ignored: panels send a fire with bit 0 = 0 (the
 * transcription's own example does), and a fire read as "only a test" would be a missed fire.
 */
export function componentReadings(stamp: ReadingStamp, c: Pick<ComponentStatus, 'systemType' | 'systemAddress' | 'componentAddress' | 'status'>): Reading[] {
  const flags = flagsOf(COMPONENT_STATUS_BITS, c.status);
  const key = componentKey(c);
  return (Object.entries(COMPONENT_FLAG_POINTS) as [keyof typeof COMPONENT_FLAG_POINTS, string][]).map(([flag, suffix]) => bool(stamp, `${key}_${suffix}`, flags[flag]));
}

/** The 6 boolean points of a transmission card's running status (type 21): uitd_<flag>. */
export function uitdReadings(stamp: ReadingStamp, status: number): Reading[] {
  const flags = flagsOf(UITD_STATUS_BITS, status);
  return (Object.entries(UITD_FLAG_POINTS) as [keyof typeof UITD_FLAG_POINTS, string][]).map(([flag, suffix]) => bool(stamp, `${UITD_KEY}_${suffix}`, flags[flag]));
}

/**
 * A transmission card's fire and fault, as the aggregates count them: any power or line fault
 * is a fault (a card that cannot reach the centre or hear the panel is a hole in fire monitoring).
 */
export function uitdAlarmFlags(status: number): { fire: boolean; fault: boolean; supervisory: boolean; shield: boolean } {
  const f = flagsOf(UITD_STATUS_BITS, status);
  return { fire: f.fire, fault: f.fault || f.mainPowerFault || f.backupPowerFault || f.centreLinkFault || f.monitoredLineFault, supervisory: false, shield: false };
}

/**
 * One analog value (type 3) as a number in its unit (表6). A value outside the type's valid range
 * has quality `bad` (the panel sent something that cannot be a measurement). A reserved or
 * user-defined analog type (no unit known) is passed on as the raw i16 count, with no unit: the
 * codec does not guess a scale and neither does the driver.
 */
export function analogReading(stamp: ReadingStamp, a: AnalogValue): Reading {
  const point = analogPoint(a, a.analogType);
  const known = analogValue(a.analogType, a.raw);
  if (!known) return { device: stamp.device, point, value: a.raw, quality: 'good', ts: stamp.ts, clockTrusted: stamp.clockTrusted };
  return { device: stamp.device, point, value: known.value, unit: known.unit, quality: known.withinRange ? 'good' : 'bad', ts: stamp.ts, clockTrusted: stamp.clockTrusted };
}

/** A system's fire and fault, as the aggregates count them. */
export function systemAlarmFlags(status: number): { fire: boolean; fault: boolean; supervisory: boolean; shield: boolean } {
  const f = flagsOf(SYSTEM_STATUS_BITS, status);
  return { fire: f.fire, fault: f.fault || f.mainPowerFault || f.backupPowerFault || f.busFault, supervisory: f.supervisory, shield: f.shield };
}

/** A component's fire and fault, as the aggregates count them (a power fault is a fault). */
export function componentAlarmFlags(status: number): { fire: boolean; fault: boolean; supervisory: boolean; shield: boolean } {
  const f = flagsOf(COMPONENT_STATUS_BITS, status);
  return { fire: f.fire, fault: f.fault || f.powerFault, supervisory: f.supervisory, shield: f.shield };
}
