/**
 * A reading is one value of one point at one moment. It is the unit that flows from a
 * driver through the alarm path to the store and on to the cloud.
 */

/**
 * - good: the device answered and the value is inside the point's valid range.
 * - bad: the device answered but the value cannot be trusted (out of measuring range,
 *   a sensor fault code, a Modbus exception for that register).
 * - stale: no fresh value arrived within the point's staleness limit.
 * - comm-fault: the device did not answer (timeout, CRC error, port gone) — a 故障 fault, never silence.
 */
export type Quality = 'good' | 'bad' | 'stale' | 'comm-fault';

export const QUALITIES: readonly Quality[] = ['good', 'bad', 'stale', 'comm-fault'];

/** Decoded value: numbers for analog points, booleans for bits/coils, strings for enumerations. */
export type PointValue = number | boolean | string | null;

export interface Reading {
  device: string;
  point: string;
  /** null when the quality is not good and no value could be decoded. */
  value: PointValue;
  unit?: string;
  quality: Quality;
  /** Wall-clock time in ms since the epoch when the value was taken. */
  ts: number;
  /**
   * Whether the wall clock was trustworthy when `ts` was taken. A Pi without an RTC boots
   * with a wrong clock until NTP syncs; readings taken before that say so instead of lying.
   */
  clockTrusted: boolean;
}

/** A reading once committed to the store: it now carries the per-gateway sequence number. */
export interface StoredReading extends Reading {
  /** Per-gateway, strictly increasing, never reused (survives restarts and power cuts). */
  seq: number;
}
