import type { RigFile } from '../rig-file/schema.js';
import type { RigSession, SessionNeeds } from './rig.js';

/**
 * rigTest(): one HIL scenario as a sequence of named, timed steps, runnable on any rig.
 *
 *   rigTest('gas-ramp', { title: '…', requires: … }, async (rig, step, t) => {
 *     await step('first level at 30 %LEL', () => rig.apply('gas-1', 'gas_lel', 30));
 *     t.figure('time to second-level alarm', ms, 'ms');
 *   });
 *
 * Each step's duration goes in the report; the first failing step ends the scenario, and the
 * report says which step and why. Key figures (time-to-alarm, time-to-centre …) are recorded
 * with figure(). A scenario the rig cannot run (no fire panel) is skipped with the reason.
 */
export interface StepResult {
  name: string;
  ms: number;
  ok: boolean;
  error?: string;
}

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The bound it was checked against, for the report ("< 10000"). */
  bound?: string;
}

export interface ScenarioResult {
  name: string;
  title: string;
  status: 'passed' | 'failed' | 'skipped';
  ms: number;
  steps: StepResult[];
  figures: Figure[];
  /** Why it failed (the failing step's error) or why it was skipped. */
  message?: string;
}

export type Step = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

export interface ScenarioTools {
  figure(name: string, value: number, unit: string, bound?: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  /** What the session must arrange before the gateway starts. */
  needs?: SessionNeeds;
  /** A reason to skip on this rig (a missing device or panel), or null to run. */
  requires?: (rig: RigFile) => string | null;
  run(rig: RigSession, step: Step, tools: ScenarioTools): Promise<void>;
}

const registry: Scenario[] = [];

export function rigTest(name: string, opts: Omit<Scenario, 'name' | 'run'>, run: Scenario['run']): void {
  if (registry.some((s) => s.name === name)) throw new Error(`two scenarios named ${name}`);
  registry.push({ name, ...opts, run });
}

export function scenarios(): readonly Scenario[] {
  return registry;
}

/** Raised by a check inside a step: the message is what the report shows. */
export class CheckFailed extends Error {}

/** A check that says what was expected and what was seen. */
export function check(ok: boolean, message: string): void {
  if (!ok) throw new CheckFailed(message);
}

/**
 * Runs one scenario on a session that `open` starts (and this closes, also on failure). The
 * session is opened inside the first step, "start the rig and the gateway", so a rig that
 * cannot start is a failed scenario with its reason, not a crashed suite.
 */
export async function runScenario(scenario: Scenario, rigFile: RigFile, open: (needs: SessionNeeds) => Promise<RigSession>): Promise<ScenarioResult> {
  const result: ScenarioResult = { name: scenario.name, title: scenario.title, status: 'passed', ms: 0, steps: [], figures: [] };
  const skip = scenario.requires?.(rigFile) ?? null;
  if (skip !== null) return { ...result, status: 'skipped', message: skip };
  const t0 = performance.now();
  let session: RigSession | null = null;
  const step: Step = async (name, fn) => {
    const s0 = performance.now();
    try {
      const v = await fn();
      result.steps.push({ name, ms: performance.now() - s0, ok: true });
      return v;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      result.steps.push({ name, ms: performance.now() - s0, ok: false, error });
      throw new StepFailed(name, error);
    }
  };
  const tools: ScenarioTools = { figure: (name, value, unit, bound) => result.figures.push({ name, value, unit, ...(bound ? { bound } : {}) }) };
  try {
    session = await step('start the rig and the gateway', () => open(scenario.needs ?? {}));
    await scenario.run(session, step, tools);
  } catch (e) {
    result.status = 'failed';
    result.message = e instanceof StepFailed ? `step "${e.step}": ${e.error}` : e instanceof Error ? e.message : String(e);
  } finally {
    if (session) await session.close().catch((e: unknown) => result.steps.push({ name: 'stop the rig', ms: 0, ok: false, error: String(e) }));
    result.ms = performance.now() - t0;
  }
  return result;
}

class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly error: string,
  ) {
    super(`${step}: ${error}`);
  }
}
