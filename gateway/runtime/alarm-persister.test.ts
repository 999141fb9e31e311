import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PersistedAlarmState } from '../../rules/model.js';
import type { JournalEntry } from '../store/store.js';
import { AlarmPersister } from './alarm-persister.js';

const entry = (n: number): JournalEntry => ({
  subject: 'gas-1/gas_high',
  event: { type: 'alarm.activated', severity: 'alarm', ts: 1_000 + n, clockTrusted: true, message: `entry ${n}` },
});
const state = (id: string, s: PersistedAlarmState['state']): PersistedAlarmState => ({
  id,
  state: s,
  conditionActive: s !== 'normal',
  latchPending: false,
  pendingSince: null,
  shelvedUntil: null,
  occurrence: null,
  updatedTs: 1_000,
});

function fakeStore() {
  let failing = false;
  const commits: { entries: JournalEntry[]; states: PersistedAlarmState[] }[] = [];
  const commitAlarms = vi.fn(async (entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]) => {
    if (failing) throw new Error('SQLITE_FULL: database or disk is full');
    commits.push({ entries: [...entries], states: [...states] });
    return [];
  });
  return { store: { commitAlarms }, commits, setFailing: (f: boolean) => (failing = f) };
}

describe('AlarmPersister', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('returns at once on the alarm path and commits one turn’s entries, with the latest state per alarm, together', async () => {
    const { store, commits } = fakeStore();
    const p = new AlarmPersister({ store, onCommitted: () => undefined, onError: () => undefined });
    p.persist([entry(1)], [state('gas-1/gas_high', 'unacknowledged')]);
    p.persist([entry(2)], [state('gas-1/gas_high', 'acknowledged'), state('gas-2/gas_high', 'unacknowledged')]);
    expect(store.commitAlarms).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(commits).toHaveLength(1);
    expect(commits[0]!.entries.map((e) => e.event.message)).toEqual(['entry 1', 'entry 2']);
    expect(commits[0]!.states.map((s) => [s.id, s.state])).toEqual([
      ['gas-1/gas_high', 'acknowledged'],
      ['gas-2/gas_high', 'unacknowledged'],
    ]);
  });

  it('holds everything while the store fails and commits it, in order, when it recovers', async () => {
    const { store, commits, setFailing } = fakeStore();
    const errors: unknown[] = [];
    const p = new AlarmPersister({ store, onCommitted: () => undefined, onError: (e) => errors.push(e), retryMs: 1_000 });
    setFailing(true);
    p.persist([entry(1)], [state('gas-1/gas_high', 'unacknowledged')]);
    await vi.advanceTimersByTimeAsync(0);
    p.persist([entry(2)], [state('gas-1/gas_high', 'acknowledged')]);
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    expect(p.pending()).toEqual({ entries: 2, states: 1 });
    setFailing(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(commits.flatMap((c) => c.entries.map((e) => e.event.message))).toEqual(['entry 1', 'entry 2']);
    // the newer state set while the first commit was failing wins
    expect(commits.at(-1)!.states.map((s) => s.state)).toEqual(['acknowledged']);
  });

  it('after drain() and close() on a failing store nothing tries again', async () => {
    const { store, setFailing } = fakeStore();
    const p = new AlarmPersister({ store, onCommitted: () => undefined, onError: () => undefined, retryMs: 1_000 });
    setFailing(true);
    p.persist([entry(1)], []);
    await vi.advanceTimersByTimeAsync(0);
    await p.drain();
    p.close();
    const calls = store.commitAlarms.mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.commitAlarms.mock.calls.length).toBe(calls);
  });
});
