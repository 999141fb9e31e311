import type { AlarmEngineView } from '../../rules/engine/types.js';
import type { Actor, CommandResult } from '../../rules/model.js';
import type { JournalQuery, StoredJournalEntry } from '../store/store.js';
import type { AlarmActionsSource, InterlockCommandResult, InterlockStatus, OutputsReport, OutputTestResult, SilenceResult } from './types.js';

/**
 * Builds the AlarmActionsSource the API and cloud commands act through, from the parts the
 * runtime already has. Parts a site does not have (no outputs section, no interlocks) answer
 * with a refusal that says so, never with a silent success.
 */
export interface AlarmActionsParts {
  engine: Pick<AlarmEngineView, 'snapshot' | 'command'>;
  /** Store.readJournal (bound). */
  readJournal(query: JournalQuery): Promise<StoredJournalEntry[]>;
  /** The annunciator's silence; absent when the site has no outputs. */
  silence?(actor: Actor, note?: string): SilenceResult;
  /** The interlock controller; absent when the site has no interlocks. */
  interlocks?: {
    status(): InterlockStatus[];
    reset(name: string, actor: Actor, note?: string): InterlockCommandResult;
    bypass(name: string, actor: Actor, note?: string): InterlockCommandResult;
    removeBypass(name: string, actor: Actor, note?: string): InterlockCommandResult;
  };
  /** The annunciator's recover(); absent when the site has no outputs. */
  recoverOutputs?(actor: Actor): SilenceResult;
  /** The annunciator's status, testOutput and endOutputTest; absent when the site has no outputs. */
  outputs?: {
    status(): OutputsReport;
    test(req: { name: string; on: boolean; seconds: number }, actor: Actor): OutputTestResult;
    endTest(name: string, actor: Actor): OutputTestResult;
  };
}

/** States that wait for a person's acknowledgement (ISA-18.2: unacknowledged, and returned to normal unacknowledged). */
const NEEDS_ACK = new Set(['unacknowledged', 'rtn-unacknowledged']);

export function createAlarmActionsSource(parts: AlarmActionsParts): AlarmActionsSource {
  const { engine } = parts;
  return {
    snapshot: () => engine.snapshot(),
    command: (cmd) => engine.command(cmd),
    acknowledgeAll(actor, note) {
      const results: CommandResult[] = [];
      for (const a of engine.snapshot()) {
        if (!NEEDS_ACK.has(a.state)) continue;
        results.push(engine.command({ action: 'acknowledge', alarmId: a.id, actor, ...(note !== undefined ? { note } : {}) }));
      }
      return results;
    },
    silence(actor, note) {
      if (!parts.silence) return { ok: false, refusal: 'not-applicable', message: 'this gateway has no sounders (no outputs section in the site file)' };
      return parts.silence(actor, note);
    },
    interlocks: () => parts.interlocks?.status() ?? [],
    resetInterlock(name, actor, note) {
      if (!parts.interlocks) return { ok: false, refusal: 'unknown-interlock', message: `no interlock named "${name}" (the site file has no interlocks)` };
      return parts.interlocks.reset(name, actor, note);
    },
    bypassInterlock(name, actor, note) {
      if (!parts.interlocks) return { ok: false, refusal: 'unknown-interlock', message: `no interlock named "${name}" (the site file has no interlocks)` };
      return parts.interlocks.bypass(name, actor, note);
    },
    removeInterlockBypass(name, actor, note) {
      if (!parts.interlocks) return { ok: false, refusal: 'unknown-interlock', message: `no interlock named "${name}" (the site file has no interlocks)` };
      return parts.interlocks.removeBypass(name, actor, note);
    },
    recoverOutputs(actor) {
      if (!parts.recoverOutputs) return { ok: false, refusal: 'not-applicable', message: 'this gateway has no outputs (no outputs section in the site file)' };
      return parts.recoverOutputs(actor);
    },
    outputs: () => parts.outputs?.status() ?? null,
    testOutput(req, actor) {
      if (!parts.outputs) return { ok: false, refusal: 'unknown-output', message: `no output named "${req.name}" (the site file has no outputs section)` };
      return parts.outputs.test(req, actor);
    },
    endOutputTest(name, actor) {
      if (!parts.outputs) return { ok: false, refusal: 'unknown-output', message: `no output named "${name}" (the site file has no outputs section)` };
      return parts.outputs.endTest(name, actor);
    },
    journal: (query) => parts.readJournal(query),
  };
}
