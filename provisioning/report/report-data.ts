/**
 * Everything the commissioning report shows, gathered from a loaded site file (the same
 * loadSiteConfig → config + profile catalog the gateway starts from) and, optionally, a
 * walk-test record. Nothing is recomputed here: alarms come from resolveAlarms, read plans and
 * the bus budget from gateway/config/bus-budget.ts (which plans as the gateway does).
 */
import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import { computeBusBudgets, type BusBudget } from '../../gateway/config/bus-budget.js';
import type { Problem } from '../../gateway/config/problems.js';
import type { SiteConfig } from '../../gateway/config/schema.js';
import { resolveAlarms } from '../../rules/definitions/resolve.js';
import type { ResolvedAlarm } from '../../rules/model.js';
import { crossCheckWalkTest, type WalkTestRecord } from './walk-test-input.js';

export interface ReportData {
  /** The site file as named on the command line (shown, not opened again). */
  siteFile: string;
  generatedAt: Date;
  vigilVersion: string;
  config: SiteConfig;
  profiles: ProfileCatalog;
  alarms: ResolvedAlarm[];
  budgets: BusBudget[];
  /** Warnings of the site file (e.g. a bus with no headroom), as `vigil validate` prints them. */
  warnings: string[];
  walkTest?: { file: string; record: WalkTestRecord; mismatches: string[] };
}

export interface ReportInput {
  siteFile: string;
  config: SiteConfig;
  profiles: ProfileCatalog;
  warnings: readonly Problem[];
  formatProblem(p: Problem): string;
  generatedAt: Date;
  vigilVersion: string;
  walkTest?: { file: string; record: WalkTestRecord };
}

export function buildReportData(input: ReportInput): ReportData {
  const { config, profiles } = input;
  const alarms = resolveAlarms(config, profiles);
  const data: ReportData = {
    siteFile: input.siteFile,
    generatedAt: input.generatedAt,
    vigilVersion: input.vigilVersion,
    config,
    profiles,
    alarms,
    budgets: computeBusBudgets(config, profiles),
    warnings: input.warnings.map((w) => input.formatProblem(w)),
  };
  if (input.walkTest) {
    const mismatches = crossCheckWalkTest(input.walkTest.record, {
      devices: new Set(config.devices.map((d) => d.name)),
      outputs: new Set((config.outputs?.lines ?? []).map((o) => o.name)),
      alarmIds: new Set(alarms.map((a) => a.id)),
    });
    data.walkTest = { ...input.walkTest, mismatches };
  }
  return data;
}
