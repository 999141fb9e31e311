import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { gatewayEvent, reading } from './store-contract.js';
import { alarmState, transition } from './testcases/alarm-journal-contract.js';
import { compiledPath } from './testcases/compiled.js';
import { WorkerStore } from './worker-store.js';
import { useSqliteFile } from './testcases/sqlite-file.js';

// What only the SQLite file shows about the alarm journal and state: the upgrade of a
// database from before they existed, all-or-nothing commits when SQLite itself fails
// mid-transaction, and tables an operator can read. The Store behaviour is in the contract
// suite (testcases/alarm-journal-contract.ts).
describe('SQLite alarm journal and state', () => {
  const { path: file, sqlite, track } = useSqliteFile('vigil-alarms-');
  const worker = () => {
    compiledPath('gateway/store/worker-entry.js'); // WorkerStore runs the compiled worker: fail on a stale build
    return track(new WorkerStore({ path: file(), budgetBytes: 1_000_000, durability: 'full' }));
  };

  it('upgrades a version-1 database in place: its outbox, seqs and evicted count stay, the alarm tables appear', async () => {
    // A gateway in the field, written by the Vigil before the alarm journal existed.
    const db = new Database(file());
    db.pragma('journal_mode = WAL');
    db.exec(MIGRATIONS[0]!);
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO outbox (stream, ts, payload, bytes) VALUES ('telemetry', 1, '{\"device\":\"gd-01\",\"point\":\"ch4\",\"value\":1,\"quality\":\"good\",\"ts\":1,\"clockTrusted\":true}', 100)").run();
    db.prepare("UPDATE meta SET value = 7 WHERE key = 'evicted'").run();
    db.close();

    const s = sqlite();
    await s.open();
    expect(await s.stats()).toMatchObject({ depth: { telemetry: 1, event: 0 }, evicted: 7, lastSeq: 1, bytes: 100 });
    const [e] = await s.commitAlarms([transition('gd-01/ch4_high')], [alarmState()]);
    expect(e!.seq).toBe(2);
    expect(await s.loadAlarmStates()).toEqual([alarmState()]);
    await s.close();

    const check = new Database(file(), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(check.prepare('SELECT seq, subject FROM alarm_journal').all()).toEqual([{ seq: 2, subject: 'gd-01/ch4_high' }]);
    check.close();
  });

  // A trigger makes SQLite refuse the second state, after the events, their journal rows and
  // the first state were written inside the transaction: the whole commit must roll back.
  for (const [name, make] of [
    ['SqliteStore', sqlite],
    ['WorkerStore', worker],
  ] as const) {
    it(`${name}: a commit that SQLite fails half-way leaves no event, no journal entry and no state behind`, async () => {
      const s0 = sqlite();
      await s0.open();
      await s0.commitAlarms([transition('gd-01/ch4_high', { message: 'before' })], [alarmState({ state: 'unacknowledged', updatedTs: 1 })]);
      await s0.close();
      const db = new Database(file());
      db.exec("CREATE TRIGGER refuse_boom BEFORE INSERT ON alarm_state WHEN NEW.id = 'boom' BEGIN SELECT RAISE(ABORT, 'state boom refused'); END");
      db.close();

      const s = make();
      await s.open();
      const [r] = await s.appendReadings([reading()]);
      const before = { stats: await s.stats(), journal: await s.readJournal({ limit: 10 }), states: await s.loadAlarmStates() };
      const err = await s
        .commitAlarms(
          [transition('gd-01/ch4_high', { message: 'lost 1' }), transition('gd-02/ch4_high', { message: 'lost 2' })],
          [alarmState({ state: 'acknowledged', updatedTs: 2 }), alarmState({ id: 'boom' })],
        )
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'VigilError', code: 'STORE_IO', message: expect.stringMatching(/failed: state boom refused/) });

      expect(await s.stats()).toEqual(before.stats);
      expect(before.stats).toMatchObject({ depth: { telemetry: 1, event: 1 }, lastSeq: r!.seq });
      expect((await s.readBatch('event', { afterSeq: 0, limit: 10 })).map((x) => x.stream === 'event' && x.event.message)).toEqual(['before']);
      expect(await s.readJournal({ limit: 10 })).toEqual(before.journal);
      expect(await s.loadAlarmStates()).toEqual(before.states);
      // The rolled-back seqs were never handed out: the next commit continues from the reading.
      const [next] = await s.commitAlarms([transition('gd-01/ch4_high', { message: 'after' })], [alarmState({ updatedTs: 3 })]);
      expect(next!.seq).toBe(r!.seq + 1);
      expect((await s.readJournal({ limit: 10 })).map((e) => e.event.message)).toEqual(['after', 'before']);
    });
  }

  it('keeps the tables readable with sqlite3 on the device, and pages a subject through its index', async () => {
    const s = sqlite();
    await s.open();
    await s.appendEvents([gatewayEvent()]);
    const [e] = await s.commitAlarms([transition('interlock:close-gas-valve', { type: 'interlock.tripped', ts: 1_700_000_000_123 })], [alarmState({ updatedTs: 1_700_000_000_456 })]);
    await s.close();
    const db = new Database(file(), { readonly: true });
    const row = db.prepare('SELECT seq, subject, ts, event FROM alarm_journal').get() as { seq: number; subject: string; ts: number; event: string };
    expect(row).toMatchObject({ seq: e!.seq, subject: 'interlock:close-gas-valve', ts: 1_700_000_000_123 });
    expect(JSON.parse(row.event)).toMatchObject({ type: 'interlock.tripped', severity: 'alarm' });
    // The journal's event text is the outbox payload the cloud was sent under the same seq.
    expect(db.prepare('SELECT payload FROM outbox WHERE id = ?').pluck().get(e!.seq)).toBe(row.event);
    expect(db.prepare('SELECT id, updated_ts, json_extract(state, \'$.state\') AS state FROM alarm_state').get()).toEqual({
      id: 'gd-01/ch4_high',
      updated_ts: 1_700_000_000_456,
      state: 'unacknowledged',
    });
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT seq FROM alarm_journal WHERE subject = ? AND seq < ? ORDER BY seq DESC LIMIT 10')
      .all('x', 5) as { detail: string }[];
    expect(plan.map((p) => p.detail).join('; ')).toMatch(/USING (COVERING )?INDEX alarm_journal_subject_seq/);
    expect(plan.map((p) => p.detail).join('; ')).not.toMatch(/TEMP B-TREE/); // no sort: the index gives the order
    db.close();
  });
});
