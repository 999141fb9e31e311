import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VERSION } from '../../gateway/runtime/version.js';
import type { RigFile } from '../rig-file/schema.js';
import '../scenarios/index.js';
import { junitXml } from './junit.js';
import { markdownReport } from './markdown-report.js';
import type { Operator } from './operator.js';
import { openSession } from './open-session.js';
import { runScenario, scenarios, type ScenarioResult } from './rig-test.js';

export interface SuiteOptions {
  rig: RigFile;
  rigFile: string;
  operator: Operator;
  reportDir: string;
  /** Scenario names to run (all when absent). */
  only?: readonly string[];
  /** Told after each scenario (the CLI prints a line). */
  onResult?: (r: ScenarioResult) => void;
}

export interface SuiteOutcome {
  results: ScenarioResult[];
  junitFile: string;
  reportFile: string;
}

/**
 * Runs the scenarios one after another, each on a fresh session (its own gateway, store and
 * temp dir, removed afterwards), and writes junit.xml and report.md into reportDir.
 */
export async function runSuite(o: SuiteOptions): Promise<SuiteOutcome> {
  const all = scenarios();
  const unknown = (o.only ?? []).filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`no scenario named ${unknown.join(', ')}; the scenarios are: ${all.map((s) => s.name).join(', ')}`);
  const chosen = o.only && o.only.length > 0 ? all.filter((s) => o.only!.includes(s.name)) : all;
  const date = new Date().toISOString();
  const results: ScenarioResult[] = [];
  for (const scenario of chosen) {
    const dir = mkdtempSync(join(tmpdir(), `vigil-hil-${scenario.name}-`));
    try {
      const r = await runScenario(scenario, o.rig, (needs) => openSession(o.rig, o.operator, needs, dir));
      results.push(r);
      o.onResult?.(r);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const reportDir = resolve(o.reportDir);
  mkdirSync(reportDir, { recursive: true });
  const junitFile = join(reportDir, 'junit.xml');
  const reportFile = join(reportDir, 'report.md');
  writeFileSync(junitFile, junitXml({ name: o.rig.name, timestamp: date, hostname: hostname() }, results));
  writeFileSync(reportFile, markdownReport({ rigName: o.rig.name, rigKind: o.rig.kind, rigFile: o.rigFile, gatewayVersion: VERSION, date, host: hostname() }, results));
  return { results, junitFile, reportFile };
}
