import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { encodeAlarmState } from '../alarm-codec.js';
import { encodeEvent, encodeReading, type NewRow } from '../codec.js';
import { migrate, MIGRATIONS } from '../migrations.js';
import { SqliteStore } from '../sqlite-store.js';
import type { Store } from '../store.js';
import { alarmState, transition } from './alarm-journal-contract.js';
import { uitdItem } from './uitd-queue-contract.js';

/**
 * A fresh SQLite file per test for the SQLite-only tests (upgrades, what an operator sees with
 * sqlite3): its path, and stores on it that are closed, with the directory removed, afterwards.
 */
export function useSqliteFile(prefix: string): { path: () => string; sqlite: () => SqliteStore; track: <S extends Store>(store: S) => S } {
  let dir = '';
  let path = '';
  const stores: Store[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    path = join(dir, 'outbox.db');
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });
  const track = <S extends Store>(store: S): S => {
    stores.push(store);
    return store;
  };
  return { path: () => path, sqlite: () => track(new SqliteStore({ path, budgetBytes: 1_000_000, durability: 'full' })), track };
}

/**
 * A database as an older Vigil left it in the field, at schema `version` (2 or later): a reading
 * and an alarm event in the outbox, the event in the journal, one alarm state, a queued UITD item
 * from version 3 on, and 7 evicted readings counted.
 */
export function seedOlderDatabase(path: string, version: number): { reading: NewRow; event: NewRow; queued: ReturnType<typeof uitdItem> | null } {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  migrate(db, path, MIGRATIONS.slice(0, version));
  const event = encodeEvent(transition('gd-01/ch4_high').event);
  const reading = encodeReading({ device: 'gd-01', point: 'ch4', value: 1, quality: 'good', ts: 1, clockTrusted: true });
  const insert = db.prepare('INSERT INTO outbox (stream, ts, payload, bytes) VALUES (?, ?, ?, ?)');
  insert.run(reading.stream, reading.ts, reading.payload, reading.bytes);
  insert.run(event.stream, event.ts, event.payload, event.bytes);
  db.prepare('INSERT INTO alarm_journal (seq, subject, ts, event) VALUES (2, ?, ?, ?)').run('gd-01/ch4_high', event.ts, event.payload);
  db.prepare('INSERT INTO alarm_state (id, state, updated_ts) VALUES (?, ?, ?)').run('gd-01/ch4_high', encodeAlarmState(alarmState()), 1);
  let queued: ReturnType<typeof uitdItem> | null = null;
  if (version >= 3) {
    queued = uitdItem('f1');
    db.prepare('INSERT INTO uitd_queue (id, priority, adu, created_ts) VALUES (?, ?, ?, ?)').run(queued.id, queued.priority, queued.adu, queued.createdTs);
  }
  db.prepare("UPDATE meta SET value = 7 WHERE key = 'evicted'").run();
  const at = db.pragma('user_version', { simple: true });
  db.close();
  if (at !== version) throw new Error(`seeded database is at version ${String(at)}, expected ${version}`);
  return { reading, event, queued };
}
