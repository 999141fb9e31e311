import type { PointSnapshot } from '../../gateway/api/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';

/**
 * Which detectors a walk-test steps through, and which alarm proves each one works: for every
 * gas and electrical-fire point with a set-point alarm, its FIRST level — the lowest `high` set
 * point (the highest `low` one, e.g. oxygen deficiency). GB/T 50493-2019 §5.3: the first level
 * is the one every detector must reach; a bump test need not drive the second level and its
 * interlocks. Pure, so the choice is table-tested.
 */
export interface DetectorStep {
  device: string;
  point: string;
  alarmId: string;
  kind: 'high' | 'low';
  class: string;
  setpoint: number;
  unit: string | null;
}

const DETECTOR_CLASSES = new Set(['gas', 'electrical-fire']);

export function planDetectorSteps(alarms: readonly AlarmSnapshot[], points: readonly PointSnapshot[]): DetectorStep[] {
  const first = new Map<string, DetectorStep>();
  for (const a of alarms) {
    if (!DETECTOR_CLASSES.has(a.class) || (a.kind !== 'high' && a.kind !== 'low')) continue;
    if (a.device === undefined || a.point === undefined || a.setpoint === undefined) continue;
    const key = `${a.device}/${a.point}`;
    const seen = first.get(key);
    const earlier = seen === undefined || (a.kind === 'high' ? a.setpoint < seen.setpoint : a.setpoint > seen.setpoint);
    if (!earlier) continue;
    const unit = points.find((p) => p.device === a.device && p.point === a.point)?.unit ?? null;
    first.set(key, { device: a.device, point: a.point, alarmId: a.id, kind: a.kind, class: a.class, setpoint: a.setpoint, unit });
  }
  return [...first.values()];
}

/** What the installer is asked to do: gas for a gas detector, a test signal for the rest. */
export function applyPrompt(step: DetectorStep): string {
  return step.class === 'gas' ? `apply test gas to ${step.device} now` : `apply the test signal to ${step.device} (${step.point}) now`;
}

export function removePrompt(step: DetectorStep): string {
  return step.class === 'gas' ? `remove the test gas from ${step.device} now` : `remove the test signal from ${step.device} (${step.point}) now`;
}
