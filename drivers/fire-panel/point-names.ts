/**
 * The point names a fire panel device gets. Panels report components as they change, so the
 * per-system and per-component names are discovered at run time; the aggregate names are fixed,
 * which is what lets the alarm engine (whose alarms are defined up front) watch a panel.
 *
 * Identity (GB/T 26875.3-2011 §8.2.1.1–3): a system is its type + address (one byte each); a
 * component is its system + its 4-byte address (zone u16 + position u16). The component *type*
 * is not part of the name: it is a property of the component (kept in componentInfo), and a
 * panel that corrects a component's type must not create a second point for the same detector.
 */
import type { ComponentAddress, ComponentRef, SystemRef } from '../gb26875/index.js';

/** Fixed points every panel device has; the alarms attach to these (alarms.ts). */
export const AGGREGATE_POINTS = {
  /** Any system or component of the panel reports a fire alarm (火警). */
  anyFire: 'any_fire',
  /** Any fault: component fault or power fault, system fault, main/backup power fault, bus fault (故障). */
  anyFault: 'any_fault',
  /** Any supervisory signal (监管), e.g. a sprinkler valve closed. */
  anySupervisory: 'any_supervisory',
  /** Any system or component shielded (屏蔽, disabled): it cannot report a fire while so. */
  anyShield: 'any_shield',
  /** How many components and systems report a fire. */
  fireCount: 'fire_count',
  /** How many components and systems report a fault. */
  faultCount: 'fault_count',
} as const;

export const AGGREGATE_POINT_NAMES: readonly string[] = Object.values(AGGREGATE_POINTS);

/**
 * System status flags mapped to points (SYSTEM_STATUS_BITS of the codec → point suffix).
 * Bit 0 (normal/test), 12 (configuration changed) and 13 (reset) are events, not states.
 */
export const SYSTEM_FLAG_POINTS = {
  fire: 'fire',
  fault: 'fault',
  shield: 'shield',
  supervisory: 'supervisory',
  started: 'started',
  feedback: 'feedback',
  delay: 'delay',
  mainPowerFault: 'main_power_fault',
  backupPowerFault: 'backup_power_fault',
  busFault: 'bus_fault',
  manual: 'manual_mode',
} as const;

/** Component status flags mapped to points (COMPONENT_STATUS_BITS → suffix). Bit 0 is not mapped: see points.ts. */
export const COMPONENT_FLAG_POINTS = {
  fire: 'fire',
  fault: 'fault',
  shield: 'shield',
  supervisory: 'supervisory',
  started: 'started',
  feedback: 'feedback',
  delay: 'delay',
  powerFault: 'power_fault',
} as const;

/** "system_1_1" for fire alarm system (type 1) at address 1. */
export function systemKey(s: SystemRef): string {
  return `system_${s.systemType}_${s.systemAddress}`;
}

/** "c_1_1_3_12": system type 1, system address 1, zone 3, position 12. */
export function componentKey(c: SystemRef & { readonly componentAddress: ComponentAddress }): string {
  return `c_${c.systemType}_${c.systemAddress}_${c.componentAddress.zone}_${c.componentAddress.position}`;
}

/** "a_1_1_3_12_6": the analog value of type 6 (gas %LEL) of component c_1_1_3_12. */
export function analogPoint(c: ComponentRef, analogType: number): string {
  return `a_${c.systemType}_${c.systemAddress}_${c.componentAddress.zone}_${c.componentAddress.position}_${analogType}`;
}

/**
 * A transmission card's own running status (type 21, GB/T 26875.3 §8.2.1.8) mapped to points
 * uitd_<suffix>: the card between the panel and the gateway reports its power and its lines.
 * Bit 0 (normal/test) is not mapped, for the same reason as a component's (points.ts).
 */
export const UITD_FLAG_POINTS = {
  fire: 'fire',
  fault: 'fault',
  mainPowerFault: 'main_power_fault',
  backupPowerFault: 'backup_power_fault',
  centreLinkFault: 'centre_link_fault',
  monitoredLineFault: 'monitored_line_fault',
} as const;

/** Point-name prefix of the transmission card's status points. */
export const UITD_KEY = 'uitd';
