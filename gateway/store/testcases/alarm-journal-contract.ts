import { describe, expect, it } from 'vitest';
import type { PersistedAlarmState } from '../../../rules/model.js';
import type { Reading } from '../../readings.js';
import type { GatewayEvent, JournalEntry, Store } from '../store.js';

/**
 * The alarm journal and alarm state part of the Store contract (commitAlarms,
 * loadAlarmStates, readJournal); store-contract.ts calls it inside each store's suite. What a
 * user relies on: an alarm transition reaches the cloud through the outbox like any event,
 * stays in the local journal after the broker acknowledged it, and the alarm's state is
 * there after a restart — all from one commit.
 */

export interface AlarmJournalContractHooks {
  /** A fresh, opened store over the suite's directory (the same data for a persistent store). */
  open: (budgetBytes?: number) => Promise<Store>;
  /** Counted bytes of one reading, as this store measures it. */
  bytesOf: (r: Reading) => Promise<number>;
  persistent: boolean;
}

const STORE_IO = { name: 'VigilError', code: 'STORE_IO' };
const T0 = 1_732_300_000_000;

function reading(overrides: Partial<Reading> = {}): Reading {
  return { device: 'gd-01', point: 'ch4', value: 12.5, unit: '%LEL', quality: 'good', ts: T0, clockTrusted: true, ...overrides };
}

/** A journal entry shaped like the alarm engine's (its data is an AlarmTransition). */
export function transition(subject: string, overrides: Partial<GatewayEvent> = {}): JournalEntry {
  return {
    subject,
    event: {
      type: 'alarm.transition',
      severity: 'alarm',
      ts: T0,
      clockTrusted: true,
      message: `${subject}: normal → unacknowledged`,
      device: subject.split('/')[0],
      data: { alarmId: subject, event: 'activate', from: 'normal', to: 'unacknowledged', actor: { kind: 'sensor', name: 'gd-01' }, value: 26.4 },
      ...overrides,
    },
  };
}

export function alarmState(overrides: Partial<PersistedAlarmState> = {}): PersistedAlarmState {
  return {
    id: 'gd-01/ch4_high',
    state: 'unacknowledged',
    conditionActive: true,
    latchPending: true,
    pendingSince: null,
    shelvedUntil: null,
    occurrence: { id: `gd-01/ch4_high@${T0}`, detectedTs: T0, firstValue: 26.4, peakValue: 31, notes: [] },
    updatedTs: T0,
    ...overrides,
  };
}

const byId = (a: PersistedAlarmState, b: PersistedAlarmState) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function describeAlarmJournalContract({ open, bytesOf, persistent }: AlarmJournalContractHooks): void {
  describe('alarm journal and state', () => {
    it('commitAlarms puts each event on the outbox event stream with the next seqs, ready to forward', async () => {
      const s = await open();
      const [r] = await s.appendReadings([reading()]);
      const entries = [transition('gd-01/ch4_high'), transition('gd-02/h2s_high', { ts: T0 + 1 })];
      const stored = await s.commitAlarms(entries, [alarmState()]);
      expect(stored).toEqual(entries.map((e, i) => ({ ...e.event, seq: stored[i]!.seq })));
      expect(stored[0]!.seq).toBeGreaterThan(r!.seq);
      expect(stored[1]!.seq).toBeGreaterThan(stored[0]!.seq);
      const events = await s.readBatch('event', { afterSeq: 0, limit: 10 });
      expect(events.map((x) => (x.stream === 'event' ? x.event : null))).toEqual(stored);
      expect((await s.readBatch('telemetry', { afterSeq: 0, limit: 10 })).map((x) => x.seq)).toEqual([r!.seq]);
      expect((await s.readMessage('event', { afterSeq: 0, limit: 10 }, { site: 's', gateway: 'g', historical: false }))?.seqs).toEqual(
        stored.map((e) => e.seq),
      );
      expect(await s.stats()).toMatchObject({ depth: { telemetry: 1, event: 2 }, lastSeq: stored[1]!.seq });
    });

    it('acknowledge removes the events from the outbox but keeps them in the journal', async () => {
      const s = await open();
      const stored = await s.commitAlarms([transition('gd-01/ch4_high'), transition('gd-01/ch4_high', { ts: T0 + 5 })], []);
      await s.acknowledge(stored.map((e) => e.seq));
      expect(await s.readBatch('event', { afterSeq: 0, limit: 10 })).toEqual([]);
      expect((await s.stats()).depth.event).toBe(0);
      const journal = await s.readJournal({ limit: 10 });
      expect(journal).toEqual([...stored].reverse().map((event) => ({ subject: 'gd-01/ch4_high', seq: event.seq, event })));
    });

    it('readJournal: newest first, by subject, paged with beforeSeq and limit; plain appendEvents are not journaled', async () => {
      const s = await open();
      const a1 = await s.commitAlarms([transition('a/x', { message: 'a1' })], []);
      const [plain] = await s.appendEvents([{ type: 'gateway.started', severity: 'info', ts: T0, clockTrusted: true, message: '' }]);
      const b1 = await s.commitAlarms([transition('b/y', { message: 'b1' })], []);
      const mixed = await s.commitAlarms([transition('a/x', { message: 'a2' }), transition('b/y', { message: 'b2' }), transition('a/x', { message: 'a3' })], []);
      const all = [...a1, ...b1, ...mixed];
      const seqsOf = async (q: Parameters<Store['readJournal']>[0]) => (await s.readJournal(q)).map((e) => e.seq);

      const journal = await s.readJournal({ limit: 100 });
      expect(journal.map((e) => e.event.message)).toEqual(['a3', 'b2', 'a2', 'b1', 'a1']);
      expect(journal.map((e) => e.seq)).toEqual(all.map((e) => e.seq).reverse());
      expect(journal.map((e) => e.seq)).not.toContain(plain!.seq);
      expect(journal[0]).toEqual({ subject: 'a/x', seq: mixed[2]!.seq, event: mixed[2] });

      expect((await s.readJournal({ subject: 'a/x', limit: 100 })).map((e) => e.event.message)).toEqual(['a3', 'a2', 'a1']);
      expect(await seqsOf({ subject: 'b/y', beforeSeq: mixed[1]!.seq, limit: 100 })).toEqual([b1[0]!.seq]);
      expect(await seqsOf({ beforeSeq: mixed[1]!.seq, limit: 2 })).toEqual([mixed[0]!.seq, b1[0]!.seq]);
      expect(await seqsOf({ subject: 'nobody', limit: 100 })).toEqual([]);
      expect(await seqsOf({ beforeSeq: a1[0]!.seq, limit: 100 })).toEqual([]);
      expect(await seqsOf({ limit: 0 })).toEqual([]);

      // Paging backwards two at a time visits every entry once, newest first.
      const paged: number[] = [];
      for (let before: number | undefined; ; ) {
        const page = await seqsOf({ limit: 2, ...(before === undefined ? {} : { beforeSeq: before }) });
        if (page.length === 0) break;
        paged.push(...page);
        before = page[page.length - 1];
      }
      expect(paged).toEqual(journal.map((e) => e.seq));
    });

    it('each state replaces the stored state of its id; loadAlarmStates returns the latest of each', async () => {
      const s = await open();
      expect(await s.loadAlarmStates()).toEqual([]);
      const a = (state: PersistedAlarmState['state'], updatedTs: number) => alarmState({ id: 'a/x', state, updatedTs });
      const b = alarmState({ id: 'b/y', state: 'acknowledged' });
      expect(await s.commitAlarms([], [a('unacknowledged', 1), b])).toEqual([]);
      expect((await s.stats()).lastSeq).toBe(0); // a states-only commit adds nothing to the outbox
      await s.commitAlarms([], [a('acknowledged', 2)]);
      // Within one call the last state of an id wins.
      await s.commitAlarms([transition('a/x')], [a('rtn-unacknowledged', 3), a('latched', 4)]);
      await s.commitAlarms([transition('b/y')], []); // entries only: states untouched
      expect((await s.loadAlarmStates()).sort(byId)).toEqual([a('latched', 4), b]);
    });

    it('keeps call order for commits issued without awaiting: the last call\'s state is what stays', async () => {
      const s = await open();
      const calls = Array.from({ length: 20 }, (_, i) =>
        s.commitAlarms([transition('a/x', { message: `m${i}` })], [alarmState({ id: 'a/x', updatedTs: i })]),
      );
      const seqs = (await Promise.all(calls)).map(([e]) => e!.seq);
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(await s.loadAlarmStates()).toEqual([alarmState({ id: 'a/x', updatedTs: 19 })]);
      expect((await s.readJournal({ limit: 1 }))[0]!.event.message).toBe('m19');
    });

    it('returns states exactly as committed (every field, NaN/-0/Infinity values, notes) and hands out copies', async () => {
      const s = await open();
      const full = alarmState({
        id: 'site/gas_vote',
        state: 'latched',
        conditionActive: false,
        pendingSince: T0 - 5_000,
        shelvedUntil: T0 + 3_600_000,
        occurrence: {
          id: `site/gas_vote@${T0}`,
          detectedTs: T0,
          firstValue: NaN,
          peakValue: -0,
          acknowledgedTs: T0 + 60_000,
          acknowledgedBy: { kind: 'api', name: '值班员 "Li"' },
          notes: [
            { ts: T0 + 61_000, by: { kind: 'button' }, text: '阀门已关闭\n' },
            { ts: T0 + 62_000, by: { kind: 'cloud', name: 'ops' }, text: '' },
          ],
          clearedTs: T0 + 120_000,
          closedTs: T0 + 180_000,
          closedBy: { kind: 'schedule', name: 'weekly' },
        },
      });
      const bare = alarmState({ id: 'gd-01/stale', state: 'normal', latchPending: false, conditionActive: false, occurrence: null });
      const odd = alarmState({ id: 'gd-02/ch4_high', occurrence: { id: 'o', detectedTs: T0, firstValue: Infinity, peakValue: -Infinity, notes: [] } });
      await s.commitAlarms([], [full, bare, odd]);
      const loaded = (await s.loadAlarmStates()).sort(byId);
      expect(loaded).toEqual([bare, odd, full].sort(byId));
      const got = loaded.find((x) => x.id === 'site/gas_vote')!;
      expect(Number.isNaN(got.occurrence!.firstValue)).toBe(true);
      expect(Object.is(got.occurrence!.peakValue, -0)).toBe(true);
      // Changing what went in or what came out does not change the store.
      full.state = 'normal';
      got.occurrence!.notes.push({ ts: 0, by: { kind: 'system' }, text: 'x' });
      expect((await s.loadAlarmStates()).find((x) => x.id === 'site/gas_vote')).toMatchObject({ state: 'latched', occurrence: { notes: { length: 2 } } });
    });

    it('journal entries are neither evicted nor counted against the budget; their outbox events count and evict as events do', async () => {
      const one = await bytesOf(reading());
      const s = await open(2 * one + Math.floor(one / 2)); // room for two readings
      await s.appendReadings([reading(), reading()]);
      const entries = ['a', 'b', 'c'].map((x) => transition(`gd-01/${x}`));
      const stored = await s.commitAlarms(entries, [alarmState()]);
      let st = await s.stats();
      expect(st).toMatchObject({ evicted: 2, depth: { telemetry: 0, event: 3 } }); // the telemetry made room, as for appendEvents
      const items = await s.readBatch('event', { afterSeq: 0, limit: 10 });
      expect(st.bytes).toBe(items.reduce((n, x) => n + x.bytes, 0));
      // An alarm event costs what the same event costs through appendEvents.
      const [same] = await s.appendEvents([entries[0]!.event]);
      const [sameItem] = await s.readBatch('event', { afterSeq: stored[2]!.seq, limit: 1 });
      expect(sameItem).toMatchObject({ seq: same!.seq, bytes: items[0]!.bytes });

      await s.acknowledge([...stored.map((e) => e.seq), same!.seq]);
      st = await s.stats();
      expect(st).toMatchObject({ bytes: 0, depth: { telemetry: 0, event: 0 } });
      await s.appendReadings([reading(), reading()]); // the budget is all there again
      expect(await s.stats()).toMatchObject({ evicted: 2, depth: { telemetry: 2, event: 0 } });
      expect((await s.readJournal({ limit: 10 })).map((e) => e.seq)).toEqual(stored.map((e) => e.seq).reverse());
      expect(await s.loadAlarmStates()).toEqual([alarmState()]);
    });

    it('refuses a bad entry, state or query, naming what is wrong, and stores nothing of that call', async () => {
      const s = await open();
      const ok = transition('gd-01/ch4_high');
      const st = alarmState();
      const refuse = (entries: unknown[], states: unknown[]) => s.commitAlarms(entries as JournalEntry[], states as PersistedAlarmState[]);
      await expect(refuse([ok, { ...ok, subject: '' }], [st])).rejects.toThrow(/journal entry at index 1 needs a subject/);
      await expect(refuse([{ ...ok, subject: 42 }], [])).rejects.toThrow(/subject.*got 42/);
      await expect(refuse([{ subject: 'x' }], [])).rejects.toThrow(/"x" at index 0 has no event/);
      await expect(refuse([transition('x', { severity: 'loud' as never })], [])).rejects.toThrow(/severity/);
      await expect(refuse([ok], [st, { ...st, id: undefined }])).rejects.toThrow(/alarm state at index 1 needs an id/);
      await expect(refuse([ok], [{ ...st, state: 'paused' }])).rejects.toThrow(/"gd-01\/ch4_high" \(index 0\): state must be one of normal, /);
      await expect(refuse([ok], [{ ...st, pendingSince: NaN }])).rejects.toThrow(/pendingSince must be a finite number or null, got NaN/);
      await expect(refuse([ok], [{ ...st, latchPending: 'yes' }])).rejects.toThrow(/latchPending must be a boolean/);
      const note = (ts: unknown) => ({ ...st, occurrence: { ...st.occurrence!, notes: [{ ts, by: { kind: 'api' }, text: '' }] } });
      await expect(refuse([ok], [note(10n)])).rejects.toThrow(/occurrence\.notes\[0\]\.ts is a bigint, which cannot be stored/);
      await expect(refuse([ok], [note(() => 1)])).rejects.toThrow(/occurrence\.notes\[0\]\.ts is a function/);
      await expect(refuse([ok], [note(new Date(T0))])).rejects.toThrow(/occurrence\.notes\[0\]\.ts is a Date/);
      const cyclic = structuredClone(st) as PersistedAlarmState & { occurrence: { self?: unknown } };
      cyclic.occurrence.self = cyclic;
      await expect(refuse([ok], [cyclic])).rejects.toThrow(/occurrence\.self refers back to itself/);
      await expect(refuse(ok as never, [])).rejects.toThrow(/journal entries must be an array/);
      await expect(refuse([ok], [st, { ...st, id: 'b', updatedTs: Infinity }])).rejects.toThrow(TypeError);

      await expect(s.readJournal({ subject: '', limit: 1 })).rejects.toThrow(/journal query subject must be a non-empty string/);
      await expect(s.readJournal({ subject: 7 as never, limit: 1 })).rejects.toThrow(/subject.*got 7/);
      await expect(s.readJournal({ limit: 1.5 })).rejects.toThrow(/journal query limit must be an integer >= 0, got 1.5/);
      await expect(s.readJournal({} as never)).rejects.toThrow(/limit.*got undefined/);
      await expect(s.readJournal({ beforeSeq: -1, limit: 1 })).rejects.toThrow(RangeError);

      expect(await s.stats()).toMatchObject({ lastSeq: 0, depth: { telemetry: 0, event: 0 } });
      expect(await s.readJournal({ limit: 10 })).toEqual([]);
      expect(await s.loadAlarmStates()).toEqual([]);
    });

    it('rejects alarm calls after close with STORE_IO', async () => {
      const s = await open();
      await s.close();
      await expect(s.commitAlarms([transition('a/x')], [alarmState()])).rejects.toMatchObject(STORE_IO);
      await expect(s.loadAlarmStates()).rejects.toMatchObject(STORE_IO);
      await expect(s.readJournal({ limit: 1 })).rejects.toMatchObject(STORE_IO);
    });

    if (persistent) {
      it('keeps journal entries, states and their outbox events across close and reopen', async () => {
        const s1 = await open();
        const stored = await s1.commitAlarms(
          [transition('gd-01/ch4_high'), transition('interlock:close-gas-valve', { type: 'interlock.tripped', severity: 'warning' })],
          [alarmState(), alarmState({ id: 'gd-02/ch4_high', state: 'shelved', shelvedUntil: T0 + 1, occurrence: null })],
        );
        await s1.acknowledge([stored[0]!.seq]);
        const journal = await s1.readJournal({ limit: 10 });
        const states = (await s1.loadAlarmStates()).sort(byId);
        const events = await s1.readBatch('event', { afterSeq: 0, limit: 10 });
        await s1.close();

        const s2 = await open();
        expect(await s2.readJournal({ limit: 10 })).toEqual(journal);
        expect((await s2.loadAlarmStates()).sort(byId)).toEqual(states);
        expect(await s2.readBatch('event', { afterSeq: 0, limit: 10 })).toEqual(events);
        const [next] = await s2.commitAlarms([transition('gd-01/ch4_high')], []);
        expect(next!.seq).toBe(stored[1]!.seq + 1);
        expect((await s2.readJournal({ subject: 'gd-01/ch4_high', limit: 10 })).map((e) => e.seq)).toEqual([next!.seq, stored[0]!.seq]);
      });
    }
  });
}
