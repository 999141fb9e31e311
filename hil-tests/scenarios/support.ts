import type { RigFile } from '../rig-file/schema.js';
import type { RigSession } from '../harness/rig.js';
import { check } from '../harness/rig-test.js';

/** Helpers the scenarios share: which devices and outputs play which part on a given rig. */
export const GAS = 'generic/combustible-gas';
export const EFM = 'generic/electrical-fire-monitor';

export function firstDevice(rig: RigFile, profile: string): string | undefined {
  return rig.devices.find((d) => d.profile === profile)?.name;
}

export function needsDevice(profile: string): (rig: RigFile) => string | null {
  return (rig) => (firstDevice(rig, profile) ? null : `the rig has no ${profile} device`);
}

/** The output that sounds for alarms (the first of kind sounder). */
export function sounderOf(rig: RigFile): string | undefined {
  return rig.outputs.find((o) => o.kind === 'sounder')?.name;
}

/** The first device of a profile; the scenario's `requires` has made sure there is one. */
export function deviceOf(rig: RigSession, profile: string): string {
  const d = firstDevice(rig.file, profile);
  if (!d) throw new Error(`the rig has no ${profile} device`);
  return d;
}

/** Fails unless the alarm is in one of `states` now. */
export async function checkAlarm(rig: RigSession, id: string, states: readonly string[]): Promise<void> {
  const state = await rig.alarmState(id);
  check(states.includes(state), `${id} is ${state}, expected ${states.join(' or ')}`);
}

/** Resets every latched alarm of a device through the API; fails on any refusal. */
export async function resetLatched(rig: RigSession, device: string): Promise<string[]> {
  const latched = (await rig.gateway.alarms()).filter((a) => a.device === device && a.state === 'latched');
  for (const a of latched) {
    const r = await rig.gateway.reset(a.id);
    check(r.ok, `reset of ${a.id} refused: ${r.message}`);
  }
  return latched.map((a) => a.id);
}
