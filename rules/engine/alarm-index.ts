import type { Logger } from 'pino';
import { VigilError } from '../../gateway/errors.js';
import type { Condition } from '../conditions/condition.js';
import type { CreateConditionOptions } from '../conditions/create-condition.js';
import { ALARM_STATES, type PersistedAlarmState, type ResolvedAlarm } from '../model.js';
import { AlarmInstance } from './alarm-instance.js';

export type ConditionFactory = (alarm: ResolvedAlarm, opts: CreateConditionOptions) => Condition;

/**
 * The engine's alarms, indexed for the alarm path: by id (commands, votes) and by device then
 * point (readings — two Map lookups per reading, no string building).
 *
 * The alarms arrive resolved and validated (rules/definitions). What is still wrong here is a
 * bug upstream, and a safety engine must not guess around it: duplicate ids, a point alarm
 * without a device or point, a vote naming an alarm that does not exist are refused together,
 * each named (DESIGN principle 7).
 */
export interface AlarmIndex {
  instances: AlarmInstance[];
  byId: Map<string, AlarmInstance>;
  byPoint: Map<string, Map<string, AlarmInstance[]>>;
  votes: AlarmInstance[];
}

const STATES: ReadonlySet<string> = new Set(ALARM_STATES);

export function buildAlarmIndex(opts: {
  alarms: readonly ResolvedAlarm[];
  restored: readonly PersistedAlarmState[];
  conditionFactory: ConditionFactory;
  now: number;
  mono: number;
  logger: Logger;
}): AlarmIndex {
  const { logger } = opts;
  const problems: string[] = [];
  const restoredById = new Map<string, PersistedAlarmState>();
  for (const s of opts.restored) {
    if (typeof s?.id !== 'string' || !STATES.has(s.state)) {
      logger.warn({ component: 'alarm-engine', state: s }, 'ignoring a persisted alarm state that is not well formed');
      continue;
    }
    restoredById.set(s.id, s);
  }

  const index: AlarmIndex = { instances: [], byId: new Map(), byPoint: new Map(), votes: [] };
  opts.alarms.forEach((alarm, i) => {
    if (index.byId.has(alarm.id)) return problems.push(`alarm ${alarm.id} (index ${i}) is defined twice`);
    if (alarm.def.enabled === false) {
      // Switched off in the site file: not evaluated at all (the resolver journals that as a config fact).
      logger.info({ component: 'alarm-engine', alarm: alarm.id }, 'alarm disabled by configuration; not evaluated');
      restoredById.delete(alarm.id);
      return;
    }
    const inst = new AlarmInstance(alarm, index.instances.length, restoredById.get(alarm.id), opts.now);
    restoredById.delete(alarm.id);
    if (alarm.def.kind === 'vote') {
      index.votes.push(inst);
    } else {
      if (alarm.device === undefined || inst.point === undefined) {
        return problems.push(`alarm ${alarm.id} (${alarm.def.kind}) needs a device and a point`);
      }
      inst.condition = opts.conditionFactory(alarm, { startMono: opts.mono, initiallyActive: inst.conditionActive });
      let points = index.byPoint.get(alarm.device);
      if (!points) index.byPoint.set(alarm.device, (points = new Map()));
      const list = points.get(inst.point);
      if (list) list.push(inst);
      else points.set(inst.point, [inst]);
    }
    index.byId.set(alarm.id, inst);
    index.instances.push(inst);
    return undefined;
  });

  for (const vote of index.votes) {
    if (vote.def.kind !== 'vote') continue;
    for (const id of vote.def.of) {
      const input = index.byId.get(id);
      if (!input) {
        problems.push(`vote ${vote.id} counts alarm ${id}, which is not defined (or is disabled)`);
        continue;
      }
      vote.inputs.push(input);
      input.dependents.push(vote);
    }
    if (vote.def.k > vote.def.of.length) problems.push(`vote ${vote.id} needs ${vote.def.k} of only ${vote.def.of.length} alarms: it could never activate`);
  }

  if (problems.length > 0) {
    throw new VigilError('CONFIG_INVALID', `alarm engine: ${problems.length} alarm definition problem(s): ${problems.join('; ')}`, { problems });
  }
  for (const id of restoredById.keys()) {
    // An alarm removed from the configuration since the last run: its old state means nothing now.
    logger.warn({ component: 'alarm-engine', alarm: id }, 'persisted state of an alarm that is no longer configured; ignored');
  }
  return index;
}
