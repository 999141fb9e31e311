import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations.js';
import { alarmState, transition } from './testcases/alarm-journal-contract.js';
import { seedOlderDatabase, useSqliteFile } from './testcases/sqlite-file.js';

// What only the SQLite file shows about runtime state: the upgrade of a database from before
// the table existed, and a table an operator can read. The Store behaviour is in the contract
// suite (testcases/runtime-state-contract.ts).
describe('SQLite runtime state', () => {
  const { path: file, sqlite } = useSqliteFile('vigil-runtime-state-');

  it('a version-3 database upgrades to 4 keeping its data: outbox, seqs, evicted count, journal, states, UITD queue', async () => {
    // A gateway in the field, written by the Vigil with the UITD queue and no runtime_state.
    const { reading: rd, event: ev, queued } = seedOlderDatabase(file(), 3);

    const s = sqlite();
    await s.open();
    expect(await s.stats()).toMatchObject({ depth: { telemetry: 1, event: 1 }, evicted: 7, lastSeq: 2, bytes: rd.bytes + ev.bytes });
    expect(await s.readJournal({ limit: 10 })).toEqual([{ subject: 'gd-01/ch4_high', seq: 2, event: { ...transition('gd-01/ch4_high').event, seq: 2 } }]);
    expect(await s.loadAlarmStates()).toEqual([alarmState()]);
    expect(await s.uitdQueueLoad()).toEqual([queued]);
    expect(await s.getRuntimeState('electricity.baseline')).toBeNull();
    await s.putRuntimeState('electricity.baseline', '{"version":1}');
    const [next] = await s.appendEvents([transition('x').event]);
    expect(next!.seq).toBe(3);
    await s.close();

    const check = new Database(file(), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBe(4);
    expect(check.prepare('SELECT key, value FROM runtime_state').all()).toEqual([{ key: 'electricity.baseline', value: '{"version":1}' }]);
    check.close();
  });

  it('keeps the table readable with sqlite3 on the device: key, value and when it was last put', async () => {
    const s = sqlite();
    await s.open();
    const before = Date.now();
    await s.putRuntimeState('electricity.baseline', '{"version":1}');
    await s.close();
    const db = new Database(file(), { readonly: true });
    const row = db.prepare('SELECT key, value, updated_ts FROM runtime_state').get() as { key: string; value: string; updated_ts: number };
    expect(row).toMatchObject({ key: 'electricity.baseline', value: '{"version":1}' });
    expect(row.updated_ts).toBeGreaterThanOrEqual(before);
    expect(row.updated_ts).toBeLessThanOrEqual(Date.now());
    db.close();
  });
});
