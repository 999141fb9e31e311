/**
 * One quarter hour of imported energy, for one meter or for the whole site (standards.md §5:
 * "Keep an enterprise-level sum"; "Forward quarter-hour records"). Small and flat so the lead
 * can turn it into a reading (value kWh at ts = end) or an event for the cloud.
 */

/** The device name used for the site sum (a device may not be named "site": see alarm-ids.ts). */
export const SITE = 'site';

/**
 * Why a record is not a plain measured quarter hour. Any flag makes `complete` false.
 * - partial: the first interval after start-up: energy from the first reading, not from the boundary.
 * - gap: readings on either side of a boundary were further apart than the allowed gap (the meter
 *   was silent); the boundary value is a linear estimate over the gap.
 * - clock-jump: the wall clock stepped (NTP or by hand) while the interval was open; see
 *   meter-series.ts for where the energy went.
 * - counter-reset: the counter went down (reset, rollover, meter swapped); the energy between the
 *   two readings on either side of the drop is unknown and not counted — never negative.
 * - implausible-jump: the counter rose faster than the meter's configured maximum power (a swap
 *   to a meter with a higher register, a garbled value); that rise is not counted.
 * - meters-missing: (site) some meters had not closed the interval when the grace period ended.
 */
export type EnergyFlag = 'partial' | 'gap' | 'clock-jump' | 'counter-reset' | 'implausible-jump' | 'meters-missing';

export const ENERGY_FLAGS: readonly EnergyFlag[] = ['partial', 'gap', 'clock-jump', 'counter-reset', 'implausible-jump', 'meters-missing'];

/** The flags of a set in their canonical order (records compare equal whatever order they were raised in). */
export function orderedFlags(flags: ReadonlySet<EnergyFlag>): EnergyFlag[] {
  return ENERGY_FLAGS.filter((f) => flags.has(f));
}

export interface EnergyRecord {
  /** The meter's device name, or "site" for the sum of every configured meter. */
  meter: string;
  /** Epoch ms of the quarter-hour boundaries (local :00/:15/:30/:45; see quarter-hours.ts). */
  start: number;
  end: number;
  /** Imported energy in the interval. null only for a site record that no meter reported. */
  kWh: number | null;
  /** True when no flag applies: a measured quarter hour. */
  complete: boolean;
  /** False when any reading behind the record was stamped by a clock the gateway did not trust. */
  clockTrusted: boolean;
  flags: EnergyFlag[];
  /** Site records: the meters not included (silent, or late past the grace period). */
  missing?: string[];
}

/** Flags under which the energy is an estimate of where it fell in time, not a measurement. */
export const ESTIMATED: readonly EnergyFlag[] = ['gap', 'clock-jump'];

export function isEstimated(r: EnergyRecord): boolean {
  return r.flags.some((f) => ESTIMATED.includes(f));
}

/** Energies are rounded to 1 Wh·10⁻³ so floating-point noise from large counters does not show. */
export function roundKWh(kWh: number): number {
  return Math.round(kWh * 1e6) / 1e6;
}
