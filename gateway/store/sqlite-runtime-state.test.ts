import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeAlarmState } from './alarm-codec.js';
import { encodeEvent, encodeReading } from './codec.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';
import { alarmState, transition } from './testcases/alarm-journal-contract.js';
import { uitdItem } from './testcases/uitd-queue-contract.js';

// What only the SQLite file shows about runtime state: the upgrade of a database from before
// the table existed, and a table an operator can read. The Store behaviour is in the contract
// suite (testcases/runtime-state-contract.ts).
describe('SQLite runtime state', () => {
  let dir: string;
  let path: string;
  const stores: SqliteStore[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-runtime-state-'));
    path = join(dir, 'outbox.db');
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  const sqlite = () => {
    const s = new SqliteStore({ path, budgetBytes: 1_000_000, durability: 'full' });
    stores.push(s);
    return s;
  };

  it('a version-3 database upgrades to 4 keeping its data: outbox, seqs, evicted count, journal, states, UITD queue', async () => {
    // A gateway in the field, written by the Vigil with the UITD queue and no runtime_state.
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    migrate(db, path, MIGRATIONS.slice(0, 3));
    const ev = encodeEvent(transition('gd-01/ch4_high').event);
    const insert = db.prepare('INSERT INTO outbox (stream, ts, payload, bytes) VALUES (?, ?, ?, ?)');
    const rd = encodeReading({ device: 'gd-01', point: 'ch4', value: 1, quality: 'good', ts: 1, clockTrusted: true });
    insert.run(rd.stream, rd.ts, rd.payload, rd.bytes);
    insert.run(ev.stream, ev.ts, ev.payload, ev.bytes);
    db.prepare('INSERT INTO alarm_journal (seq, subject, ts, event) VALUES (2, ?, ?, ?)').run('gd-01/ch4_high', ev.ts, ev.payload);
    db.prepare('INSERT INTO alarm_state (id, state, updated_ts) VALUES (?, ?, ?)').run('gd-01/ch4_high', encodeAlarmState(alarmState()), 1);
    const queued = uitdItem('f1');
    db.prepare('INSERT INTO uitd_queue (id, priority, adu, created_ts) VALUES (?, ?, ?, ?)').run(queued.id, queued.priority, queued.adu, queued.createdTs);
    db.prepare("UPDATE meta SET value = 7 WHERE key = 'evicted'").run();
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    db.close();

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

    const check = new Database(path, { readonly: true });
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
    const db = new Database(path, { readonly: true });
    const row = db.prepare('SELECT key, value, updated_ts FROM runtime_state').get() as { key: string; value: string; updated_ts: number };
    expect(row).toMatchObject({ key: 'electricity.baseline', value: '{"version":1}' });
    expect(row.updated_ts).toBeGreaterThanOrEqual(before);
    expect(row.updated_ts).toBeLessThanOrEqual(Date.now());
    db.close();
  });
});
