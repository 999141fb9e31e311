import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';
import { reading } from './store-contract.js';

// What only the SQLite file shows: schema versioning, WAL, the persisted counter. The Store
// behaviour itself is covered by the contract suite (stores.test.ts).
describe('SqliteStore file and schema', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-sqlite-'));
    path = join(dir, 'outbox.db');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the schema at the current version, in WAL mode', async () => {
    const s = new SqliteStore({ path, budgetBytes: 1_000_000, durability: 'full' });
    await s.open();
    await s.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a database written by a newer Vigil, naming both versions, and leaves the file untouched', async () => {
    const db = new Database(path);
    db.exec('CREATE TABLE future (x)');
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(path);
    const s = new SqliteStore({ path, budgetBytes: 1_000_000, durability: 'full' });
    const err = await s.open().catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'VigilError', code: 'STORE_IO' });
    expect((err as Error).message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect((err as Error).message).toContain(`(${SCHEMA_VERSION})`);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
    await expect(s.stats()).rejects.toMatchObject({ code: 'STORE_IO' });
  });

  it('applies each migration step atomically: a failing step leaves the previous version', () => {
    const db = new Database(path);
    const steps = ['CREATE TABLE a (x);', 'CREATE TABLE b (x); INSERT INTO missing VALUES (1);'];
    expect(() => migrate(db, path, steps)).toThrow(/missing/);
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(['a']);
    // Fixing the step and running again continues from version 1.
    migrate(db, path, ['CREATE TABLE a (x);', 'CREATE TABLE b (x);']);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('reports a file that is not a database as STORE_IO with SQLite\'s reason', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, 'this is not a database, it is a text file that happens to be long enough'.repeat(20));
    const s = new SqliteStore({ path, budgetBytes: 1_000_000, durability: 'normal' });
    await expect(s.open()).rejects.toMatchObject({ code: 'STORE_IO', message: expect.stringMatching(/not a database/) });
  });

  it('persists the evicted count in the meta table, where an operator can read it with sqlite3', async () => {
    const s = new SqliteStore({ path, budgetBytes: 1, durability: 'full' });
    await s.open();
    await s.appendReadings([reading(), reading(), reading()]);
    await s.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'evicted'").pluck().get()).toBe(3);
    db.close();
  });

  it('rejects bad options when constructed', () => {
    expect(() => new SqliteStore({ path, budgetBytes: 0, durability: 'full' })).toThrow(/budgetBytes/);
    expect(() => new SqliteStore({ path, budgetBytes: 10, durability: 'fast' as never })).toThrow(/durability/);
  });
});
