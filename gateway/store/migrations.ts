import type Database from 'better-sqlite3';
import { VigilError } from '../errors.js';

/**
 * Schema migrations, keyed by `PRAGMA user_version`: step i (0-based) takes the database from
 * version i to i+1. Steps are append-only — never edit a shipped step, add a new one — because
 * gateways in the field hold databases at every earlier version.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: the outbox and the persisted counters.
  `
  -- id is the per-gateway seq. AUTOINCREMENT (not a plain rowid) so an id is never handed out
  -- twice, even after the highest rows were acknowledged and deleted: the cloud dedupes on it.
  CREATE TABLE outbox (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    stream  TEXT    NOT NULL CHECK (stream IN ('telemetry', 'event')),
    ts      INTEGER NOT NULL,          -- ms since the epoch, as in the payload (for oldestTs)
    payload TEXT    NOT NULL,          -- the reading or event as JSON (codec.ts)
    bytes   INTEGER NOT NULL           -- what the record counts against the byte budget
  );
  -- readBatch reads one stream in seq order; eviction reads the oldest telemetry.
  CREATE INDEX outbox_stream_id ON outbox (stream, id);

  -- Counters that must survive restarts (the evicted count is part of the legal record:
  -- it says how many readings are missing, and since when it has been counted).
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('evicted', 0);
  `,
  // 2: the alarm journal and the persisted alarm state (issue 3; docs/store-and-forward.md).
  `
  -- Every alarm/interlock/schedule transition, kept on the gateway after the broker has
  -- acknowledged its outbox copy (acknowledge deletes from outbox only). seq is the outbox id
  -- the event was given in the same transaction — the number the cloud sees — so it is a plain
  -- INTEGER PRIMARY KEY (the rowid), handed out by the outbox's AUTOINCREMENT, not by this table.
  -- Never evicted and not counted against the outbox byte budget; nothing deletes rows yet.
  CREATE TABLE alarm_journal (
    seq     INTEGER PRIMARY KEY,
    subject TEXT    NOT NULL,          -- "gas-1/gas_high", "interlock:close-gas-valve", …
    ts      INTEGER NOT NULL,          -- the event's ts (ms since the epoch)
    event   TEXT    NOT NULL           -- the event as JSON, exactly the outbox payload (codec.ts)
  );
  -- readJournal pages one subject newest first.
  CREATE INDEX alarm_journal_subject_seq ON alarm_journal (subject, seq);

  -- The latest persisted state of each alarm (rules/model.ts PersistedAlarmState), replaced
  -- per id in the same transaction as the journal entries that led to it.
  CREATE TABLE alarm_state (
    id         TEXT    PRIMARY KEY,    -- the alarm id, e.g. "gas-1/gas_high"
    state      TEXT    NOT NULL,       -- PersistedAlarmState as JSON (alarm-codec.ts)
    updated_ts INTEGER NOT NULL        -- its updatedTs, for an operator reading the table
  ) WITHOUT ROWID;
  `,
  // 3: the UITD link's durable send queue (issue 4; gateway/forward/uitd/queue-store.ts).
  `
  -- Messages waiting for the fire remote-monitoring centre's confirm. Not outbox records: not
  -- counted against the byte budget, never evicted; a row is deleted only when the link says
  -- so (the centre confirmed it). A rowid table on purpose: uitdQueueLoad reads ORDER BY rowid,
  -- and a new rowid is always above every existing one, so that is insertion order.
  CREATE TABLE uitd_queue (
    id         TEXT    PRIMARY KEY,    -- the link's item id, stable across restarts
    priority   TEXT    NOT NULL CHECK (priority IN ('fire', 'status', 'other')),
    adu        BLOB    NOT NULL,       -- the application data unit, byte for byte
    created_ts INTEGER NOT NULL        -- ms since the epoch when the item was created
  );
  `,
  // 4: small runtime state that must survive a restart (issue 4; e.g. the electricity baseline).
  `
  -- One text value per key, replaced whole (getRuntimeState/putRuntimeState). Not outbox
  -- records: not counted against the byte budget, never evicted, never forwarded.
  CREATE TABLE runtime_state (
    key        TEXT    PRIMARY KEY,    -- dotted owner and name, e.g. "electricity.baseline"
    value      TEXT    NOT NULL,       -- the owner's document (JSON for the baseline)
    updated_ts INTEGER NOT NULL        -- ms since the epoch of the last put, for an operator
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Reads the version without writing anything, so a newer database is never touched. */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Throws if the database was written by a newer Vigil (a downgrade): running on would mean
 * writing rows the newer schema may not understand. The operator must upgrade or move the file.
 */
export function assertNotNewer(db: Database.Database, path: string, steps: readonly string[] = MIGRATIONS): void {
  const found = schemaVersion(db);
  if (found > steps.length) {
    throw new VigilError(
      'STORE_IO',
      `store: ${path} has schema version ${found}, newer than this Vigil supports (${steps.length}); ` +
        'refusing to open it. Upgrade Vigil or move the file aside.',
      { path, found, supported: steps.length },
    );
  }
}

/**
 * Applies the missing steps in order, each in its own transaction together with its version
 * bump: a step that fails (or a power cut mid-step) leaves the database at the previous version.
 * `steps` is a parameter only so tests can exercise a failing step.
 */
export function migrate(db: Database.Database, path: string, steps: readonly string[] = MIGRATIONS): void {
  assertNotNewer(db, path, steps);
  for (let v = schemaVersion(db); v < steps.length; v++) {
    const step = steps[v]!;
    db.transaction(() => {
      db.exec(step);
      // user_version lives in the database header and is part of the transaction.
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
