import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { AlarmTransition, ResolvedAlarm } from '../../model.js';
import { AlarmDefSchemaForTests } from './alarm-def.js';
import { EngineHarness } from './harness.js';

/**
 * A scenario folder (rules/testcases/<name>/), the regression format of Telegraf's testcases:
 *
 * - alarms.yaml: a list of `{ id, def }` (device = the id's part before "/" for device alarms);
 * - input.yaml: a time series, `at` in ms from the start, non-decreasing:
 *     { at, point: "device/point", value, quality?: good, unit? }       a reading
 *     { at, command: acknowledge|reset|shelve|…, alarm, by, durationMs?, note? }   a person's command (actor api)
 *     { at, restart: true, downMs?, trusted? }   power cut: the engine restarts from what it persisted,
 *                                                downMs later, with the wall clock trusted or not
 *     { at }                                     time passes until here (timers fire)
 * - expected.yaml: everything that happened, in order:
 *     { at, alarm, event, from, to, by? }     a journaled transition (`by` for commands: the user, or system)
 *     { at, alarm, command, refused }         a refused command and its refusal
 *     { at, kpi, alarm? }                     an ISA-18.2 KPI event (alarm.chattering, alarm.flood …)
 */
const AlarmsFile = z.array(z.strictObject({ id: z.string().min(3), def: z.record(z.string(), z.unknown()) }));

const Reading = z.strictObject({ at: z.number().int().min(0), point: z.string().regex(/^[^/]+\/.+$/), value: z.union([z.number(), z.boolean(), z.string(), z.null()]), quality: z.enum(['good', 'bad', 'stale', 'comm-fault']).default('good'), unit: z.string().optional() });
const Command = z.strictObject({
  at: z.number().int().min(0),
  command: z.enum(['acknowledge', 'reset', 'shelve', 'unshelve', 'suppress', 'unsuppress', 'remove-from-service', 'return-to-service']),
  alarm: z.string(),
  by: z.string(),
  durationMs: z.number().optional(),
  note: z.string().optional(),
});
const Restart = z.strictObject({ at: z.number().int().min(0), restart: z.literal(true), downMs: z.number().int().min(0).default(0), trusted: z.boolean().default(true) });
const Wait = z.strictObject({ at: z.number().int().min(0) });
const InputFile = z.array(z.union([Reading, Command, Restart, Wait]));

const Observed = z.union([
  z.strictObject({ at: z.number(), alarm: z.string(), event: z.string(), from: z.string(), to: z.string(), by: z.string().optional() }),
  z.strictObject({ at: z.number(), alarm: z.string(), command: z.string(), refused: z.string() }),
  z.strictObject({ at: z.number(), kpi: z.string(), alarm: z.string().optional() }),
]);
const ExpectedFile = z.array(Observed);
export type ObservedItem = z.infer<typeof Observed>;

export interface Scenario {
  name: string;
  alarms: ResolvedAlarm[];
  input: z.infer<typeof InputFile>;
  expected: ObservedItem[];
}

function load<T>(dir: string, file: string, schema: z.ZodType<T>): T {
  const path = join(dir, file);
  const result = schema.safeParse(parse(readFileSync(path, 'utf8')));
  if (!result.success) throw new Error(`${path}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return result.data;
}

export function loadScenario(dir: string, name: string): Scenario {
  const alarms = load(dir, 'alarms.yaml', AlarmsFile).map(({ id, def }, i): ResolvedAlarm => {
    const parsed = AlarmDefSchemaForTests.safeParse(def);
    if (!parsed.success) throw new Error(`${join(dir, 'alarms.yaml')}[${i}] ${id}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return parsed.data.kind === 'vote' ? { id, def: parsed.data } : { id, device: id.split('/')[0] as string, def: parsed.data };
  });
  const input = load(dir, 'input.yaml', InputFile);
  input.forEach((item, i) => {
    const before = input[i - 1];
    if (before && item.at < before.at) throw new Error(`${join(dir, 'input.yaml')}[${i}]: at ${item.at} is before the previous item's ${before.at}`);
  });
  return { name, alarms, input, expected: load(dir, 'expected.yaml', ExpectedFile) };
}

/** Runs a scenario (inside vi.useFakeTimers()) and returns what a person would have seen, in order. */
export function runScenario(s: Scenario): ObservedItem[] {
  const h = new EngineHarness(s.alarms);
  const observed: ObservedItem[] = [];
  let journalSeen = 0;
  const collect = (): void => {
    for (; journalSeen < h.journal.length; journalSeen++) {
      const e = h.journal[journalSeen];
      if (!e) continue;
      if (e.subject === 'kpi') {
        const alarmId = e.event.data?.['alarmId'];
        observed.push({ at: e.mono, kpi: e.event.type, ...(typeof alarmId === 'string' ? { alarm: alarmId } : {}) });
      } else if (e.subject !== 'engine') {
        const t = e.event.data as unknown as AlarmTransition;
        const command = t.event !== 'activate' && t.event !== 'clear';
        observed.push({ at: e.mono, alarm: t.alarmId, event: t.event, from: t.from, to: t.to, ...(command ? { by: t.actor.name ?? t.actor.kind } : {}) });
      } else {
        throw new Error(`engine fault during the scenario: ${e.event.message}`);
      }
    }
  };
  h.engine.start();
  for (const item of s.input) {
    h.advance(item.at - h.clock.monotonic());
    collect();
    if ('point' in item) {
      const slash = item.point.indexOf('/');
      h.read(item.point.slice(0, slash), item.point.slice(slash + 1), item.value, item.quality, item.unit);
    } else if ('command' in item) {
      const actor = { kind: 'api' as const, name: item.by };
      const base = { alarmId: item.alarm, actor, ...(item.note !== undefined ? { note: item.note } : {}) };
      const r = item.command === 'shelve' ? h.engine.command({ ...base, action: 'shelve', durationMs: item.durationMs ?? Number.NaN }) : h.engine.command({ ...base, action: item.command });
      collect();
      if (!r.ok) observed.push({ at: h.clock.monotonic(), alarm: item.alarm, command: item.command, refused: r.refusal });
    } else if ('restart' in item) {
      h.clock.setTrusted(item.trusted);
      h.restart(item.downMs);
    }
    collect();
  }
  h.engine.stop();
  return observed;
}
