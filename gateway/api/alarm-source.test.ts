import { describe, expect, it } from 'vitest';
import { createAlarmActionsSource } from './alarm-source.js';
import { alarm, fakeAlarms, interlock, journalEntry } from './testing/alarm-fixtures.js';

const alice = { kind: 'api', name: 'alice' } as const;

function engine() {
  return fakeAlarms([
    alarm({ id: 'gas-1/gas_high', state: 'unacknowledged' }),
    alarm({ id: 'gas-1/gas_high_high', state: 'acknowledged' }),
    alarm({ id: 'gas-2/gas_high', state: 'rtn-unacknowledged', conditionActive: false }),
    alarm({ id: 'gas-3/gas_high', state: 'latched', conditionActive: false }),
  ]);
}

describe('createAlarmActionsSource', () => {
  it('acknowledge-all acknowledges exactly the alarms waiting for it, with the actor and note', () => {
    const e = engine();
    const src = createAlarmActionsSource({ engine: e, readJournal: async () => [] });
    const results = src.acknowledgeAll(alice, 'hand-over');
    expect(results.map((r) => r.ok && `${r.transition.alarmId}:${r.transition.to}`)).toEqual(['gas-1/gas_high:acknowledged', 'gas-2/gas_high:latched']);
    expect(e.received.map((r) => [r.target, r.actor, r.note])).toEqual([
      ['gas-1/gas_high', alice, 'hand-over'],
      ['gas-2/gas_high', alice, 'hand-over'],
    ]);
  });

  it('a site without outputs or interlocks refuses silence and interlock resets, and says why', () => {
    const src = createAlarmActionsSource({ engine: engine(), readJournal: async () => [] });
    expect(src.silence(alice)).toEqual({ ok: false, refusal: 'not-applicable', message: 'this gateway has no sounders (no outputs section in the site file)' });
    expect(src.interlocks()).toEqual([]);
    expect(src.resetInterlock('fan', alice)).toEqual({ ok: false, refusal: 'unknown-interlock', message: 'no interlock named "fan" (the site file has no interlocks)' });
    expect(src.bypassInterlock('fan', alice)).toMatchObject({ ok: false, refusal: 'unknown-interlock' });
    expect(src.recoverOutputs(alice)).toEqual({ ok: false, refusal: 'not-applicable', message: 'this gateway has no outputs (no outputs section in the site file)' });
  });

  it('passes silence, interlocks and the journal through to their owners', async () => {
    const calls: unknown[] = [];
    const src = createAlarmActionsSource({
      engine: engine(),
      readJournal: async (q) => (calls.push(q), [journalEntry(7, 'gas-1/gas_high')]),
      silence: (actor, note) => (calls.push(['silence', actor, note]), { ok: true, message: 'silenced' }),
      interlocks: {
        status: () => [interlock({ name: 'fan' })],
        reset: (name, actor) => (calls.push(['reset', name, actor]), { ok: true, state: 'ready' }),
        bypass: (name, actor) => (calls.push(['bypass', name, actor]), { ok: true, state: 'bypassed' }),
        removeBypass: (name, actor) => (calls.push(['remove-bypass', name, actor]), { ok: true, state: 'ready' }),
      },
      recoverOutputs: (actor) => (calls.push(['recover', actor]), { ok: true, message: 'outputs back to normal' }),
    });
    expect(src.silence(alice, 'checked')).toEqual({ ok: true, message: 'silenced' });
    expect(src.interlocks().map((i) => i.name)).toEqual(['fan']);
    expect(src.resetInterlock('fan', alice)).toEqual({ ok: true, state: 'ready' });
    expect(src.bypassInterlock('fan', alice)).toEqual({ ok: true, state: 'bypassed' });
    expect(src.removeInterlockBypass('fan', alice)).toEqual({ ok: true, state: 'ready' });
    expect(src.recoverOutputs(alice)).toEqual({ ok: true, message: 'outputs back to normal' });
    expect((await src.journal({ limit: 5, subject: 'gas-1/gas_high' })).map((e) => e.seq)).toEqual([7]);
    expect(calls).toEqual([['silence', alice, 'checked'], ['reset', 'fan', alice], ['bypass', 'fan', alice], ['remove-bypass', 'fan', alice], ['recover', alice], { limit: 5, subject: 'gas-1/gas_high' }]);
  });
});
