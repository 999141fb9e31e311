import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from './migrations.js';
import { alarmState, transition } from './testcases/alarm-journal-contract.js';
import { uitdItem } from './testcases/uitd-queue-contract.js';
import { seedOlderDatabase, useSqliteFile } from './testcases/sqlite-file.js';

// What only the SQLite file shows about the UITD send queue: the upgrade of a database from
// before it existed, and a table an operator can read. The Store behaviour is in the contract
// suite (testcases/uitd-queue-contract.ts).
describe('SQLite UITD send queue', () => {
  const { path: file, sqlite } = useSqliteFile('vigil-uitd-');

  it('a version-2 database upgrades to 3 keeping its data: outbox, seqs, evicted count, journal, states', async () => {
    // A gateway in the field, written by the Vigil of issue 3 (alarm journal, no UITD queue).
    const { reading: rd, event: ev } = seedOlderDatabase(file(), 2);

    const s = sqlite();
    await s.open();
    expect(await s.stats()).toMatchObject({ depth: { telemetry: 1, event: 1 }, evicted: 7, lastSeq: 2, bytes: rd.bytes + ev.bytes });
    expect(await s.readJournal({ limit: 10 })).toEqual([{ subject: 'gd-01/ch4_high', seq: 2, event: { ...transition('gd-01/ch4_high').event, seq: 2 } }]);
    expect(await s.loadAlarmStates()).toEqual([alarmState()]);
    expect(await s.uitdQueueLoad()).toEqual([]);
    await s.uitdQueueAdd(uitdItem('f1'));
    const [next] = await s.appendEvents([transition('x').event]);
    expect(next!.seq).toBe(3);
    await s.close();

    const check = new Database(file(), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(check.prepare('SELECT id FROM uitd_queue').pluck().all()).toEqual(['f1']);
    check.close();
  });

  it('keeps the table readable with sqlite3 on the device, and refuses a priority outside the three', async () => {
    const s = sqlite();
    await s.open();
    await s.uitdQueueAdd(uitdItem('evt-42', { priority: 'status', adu: Buffer.from([0x02, 0x01, 0xab]), createdTs: 1_700_000_000_123 }));
    await s.close();
    const db = new Database(file());
    expect(db.prepare('SELECT id, priority, hex(adu) AS adu, created_ts FROM uitd_queue').get()).toEqual({
      id: 'evt-42',
      priority: 'status',
      adu: '0201AB',
      created_ts: 1_700_000_000_123,
    });
    // The CHECK is the last line of defence behind validate-uitd.ts (e.g. an operator's INSERT).
    expect(() => db.prepare("INSERT INTO uitd_queue VALUES ('y', 'urgent', x'01', 0)").run()).toThrow(/CHECK constraint failed/);
    db.close();
  });
});
