import Database from 'better-sqlite3';
import { VigilError } from '../errors.js';
import type { Reading } from '../readings.js';
import type { PersistedAlarmState } from '../../rules/model.js';
import { decodeAlarmState, decodeJournalRow, encodeAlarmState, type JournalRow } from './alarm-codec.js';
import { decodeRow, encodeEvent, encodeReading, type NewRow, type OutboxRow } from './codec.js';
import { encodeMessage, type EncodedMessage, type MessageEnvelope } from './message.js';
import { assertNotNewer, migrate } from './migrations.js';
import { emptyTotals, type OutboxCore, type Totals } from './outbox-core.js';
import type {
  GatewayEvent,
  JournalEntry,
  JournalQuery,
  OutboxItem,
  StoreStats,
  StoredJournalEntry,
  StoredUitdItem,
  StoredUitdPriority,
  Stream,
} from './store.js';
import { checkBudget, type BatchOpts } from './validate.js';
import { asBuffer } from './validate-uitd.js';

export interface SqliteStoreOptions {
  /** Database file. Its directory must exist (the runtime owns the data directory). */
  path: string;
  /** Outbox size limit in counted bytes (codec.ts ROW_OVERHEAD_BYTES + payload). */
  budgetBytes: number;
  /**
   * 'full' (the gateway default): synchronous=FULL — a committed append survives kill -9 and
   * a power cut. 'normal': synchronous=NORMAL — survives kill -9; a power cut can lose the
   * last commits (never corrupts). See docs/store-and-forward.md.
   */
  durability: 'full' | 'normal';
}

/** How long a writer waits for a lock held by another connection (e.g. an operator's sqlite3 shell). */
const BUSY_TIMEOUT_MS = 5_000;

/** All SQL the store runs, prepared once per open. The only place SQL lives (plus migrations.ts). */
function prepare(db: Database.Database) {
  return {
    insert: db.prepare<[Stream, number, string, number]>(
      'INSERT INTO outbox (stream, ts, payload, bytes) VALUES (?, ?, ?, ?)',
    ),
    oldestTelemetry: db.prepare<[], { id: number; bytes: number }>(
      "SELECT id, bytes FROM outbox WHERE stream = 'telemetry' ORDER BY id",
    ),
    deleteTelemetryUpTo: db.prepare<[number]>("DELETE FROM outbox WHERE stream = 'telemetry' AND id <= ?"),
    addEvicted: db.prepare<[number]>("UPDATE meta SET value = value + ? WHERE key = 'evicted'"),
    // `LIMIT ? + 0`, not `LIMIT ?`: SQLite (3.53 here) lets the planner look at a bare bound
    // LIMIT, and a statement whose plan looked at a parameter is re-prepared (parsed and
    // planned again) every time that parameter is bound — every read, ~8 µs instead of ~1.5 µs
    // on an empty outbox, most of the forwarder's reads at a steady site. Same plan either way.
    readBatch: db.prepare<[Stream, number, number, number], OutboxRow>(
      'SELECT id AS seq, stream, ts, payload, bytes FROM outbox WHERE stream = ? AND id > ? AND id <= ? ORDER BY id LIMIT ? + 0',
    ),
    deleteOne: db.prepare<[number], { stream: Stream; bytes: number }>(
      'DELETE FROM outbox WHERE id = ? RETURNING stream, bytes',
    ),
    oldestTs: db.prepare<[], { ts: number }>('SELECT ts FROM outbox ORDER BY id LIMIT 1'),
    perStream: db.prepare<[], { stream: Stream; n: number; bytes: number }>(
      'SELECT stream, COUNT(*) AS n, COALESCE(SUM(bytes), 0) AS bytes FROM outbox GROUP BY stream',
    ),
    // sqlite_sequence holds the highest id AUTOINCREMENT ever handed out, even if deleted.
    lastSeq: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'"),
    evicted: db.prepare<[], { value: number }>("SELECT value FROM meta WHERE key = 'evicted'"),
    insertJournal: db.prepare<[number, string, number, string]>(
      'INSERT INTO alarm_journal (seq, subject, ts, event) VALUES (?, ?, ?, ?)',
    ),
    upsertState: db.prepare<[string, string, number]>(
      'INSERT INTO alarm_state (id, state, updated_ts) VALUES (?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_ts = excluded.updated_ts',
    ),
    allStates: db.prepare<[], { state: string }>('SELECT state FROM alarm_state ORDER BY id'),
    // Two statements rather than "subject = ? OR ? IS NULL", which would keep SQLite from
    // using the (subject, seq) index. Without a subject, seq is the rowid.
    // LIMIT ? + 0: see readBatch.
    journal: db.prepare<[number, number], JournalRow>(
      'SELECT seq, subject, ts, event FROM alarm_journal WHERE seq < ? ORDER BY seq DESC LIMIT ? + 0',
    ),
    journalOfSubject: db.prepare<[string, number, number], JournalRow>(
      'SELECT seq, subject, ts, event FROM alarm_journal WHERE subject = ? AND seq < ? ORDER BY seq DESC LIMIT ? + 0',
    ),
    // DO NOTHING: the first item added under an id stays, in its place (the link re-adds on retry).
    uitdAdd: db.prepare<[string, StoredUitdPriority, Buffer, number]>(
      'INSERT INTO uitd_queue (id, priority, adu, created_ts) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    ),
    uitdAll: db.prepare<[], { id: string; priority: StoredUitdPriority; adu: Buffer; createdTs: number }>(
      'SELECT id, priority, adu, created_ts AS createdTs FROM uitd_queue ORDER BY rowid',
    ),
    uitdRemove: db.prepare<[string]>('DELETE FROM uitd_queue WHERE id = ?'),
    getState: db.prepare<[string], string>('SELECT value FROM runtime_state WHERE key = ?').pluck(),
    putState: db.prepare<[string, string, number]>(
      'INSERT INTO runtime_state (key, value, updated_ts) VALUES (?, ?, ?) ' +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ts = excluded.updated_ts',
    ),
  };
}

type Statements = ReturnType<typeof prepare>;

/**
 * The SQLite outbox, synchronous. Used in-thread by SqliteStore and inside the worker by
 * WorkerStore. Running totals (bytes, depth, evicted, lastSeq) are loaded at open and then
 * updated only after a transaction commits, so they always describe what is on disk.
 */
export class SqliteOutbox implements OutboxCore {
  private db: Database.Database | null = null;
  private stmts: Statements | null = null;
  private totals: Totals = emptyTotals();

  constructor(private readonly opts: SqliteStoreOptions) {
    checkBudget(opts.budgetBytes);
    if (opts.durability !== 'full' && opts.durability !== 'normal') {
      throw new TypeError(`store: durability must be 'full' or 'normal', got ${JSON.stringify(opts.durability)}`);
    }
  }

  open(): void {
    if (this.db) return;
    const { path } = this.opts;
    const db = new Database(path);
    try {
      // Before any pragma that writes (journal_mode does): a newer database is never touched.
      assertNotNewer(db, path);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      // WAL: a commit appends to the log (one fsync) instead of rewriting pages, and readers
      // never block the writer. A filesystem without shared-memory support refuses it.
      if (mode !== 'wal' && path !== ':memory:') {
        throw new VigilError('STORE_IO', `store: ${path} could not be switched to WAL (journal_mode=${String(mode)})`);
      }
      db.pragma(`synchronous = ${this.opts.durability === 'full' ? 'FULL' : 'NORMAL'}`);
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      migrate(db, path);
      const stmts = prepare(db);
      this.totals = loadTotals(stmts);
      this.db = db;
      this.stmts = stmts;
    } catch (e) {
      db.close();
      throw e;
    }
  }

  close(): void {
    const db = this.db;
    this.db = null;
    this.stmts = null;
    // Closing the last connection checkpoints the WAL into the main file and removes it.
    db?.close();
  }

  appendReadings(readings: readonly Reading[]): number[] {
    return this.append(readings.map(encodeReading));
  }

  appendEvents(events: readonly GatewayEvent[]): number[] {
    return this.append(events.map(encodeEvent));
  }

  commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): number[] {
    if (entries.length === 0 && states.length === 0) return [];
    const rows = entries.map((e) => encodeEvent(e.event));
    const encoded = states.map((s) => ({ id: s.id, text: encodeAlarmState(s), ts: s.updatedTs }));
    // The journal rows and the states join the outbox rows' transaction: all of it commits
    // or none of it (a failed insert rolls back the events, their seqs and any eviction).
    return this.append(rows, (stmts, seqs) => {
      seqs.forEach((seq, i) => stmts.insertJournal.run(seq, entries[i]!.subject, rows[i]!.ts, rows[i]!.payload));
      for (const s of encoded) stmts.upsertState.run(s.id, s.text, s.ts);
    });
  }

  loadAlarmStates(): PersistedAlarmState[] {
    return this.handles().stmts.allStates.all().map((r) => decodeAlarmState(r.state));
  }

  readJournal(query: JournalQuery): StoredJournalEntry[] {
    if (query.limit === 0) return [];
    const { stmts } = this.handles();
    const before = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const rows =
      query.subject === undefined
        ? stmts.journal.all(before, query.limit)
        : stmts.journalOfSubject.all(query.subject, before, query.limit);
    return rows.map(decodeJournalRow);
  }

  uitdQueueLoad(): StoredUitdItem[] {
    // better-sqlite3 returns each BLOB as a fresh Buffer: the caller may keep or change it.
    return this.handles().stmts.uitdAll.all();
  }

  uitdQueueAdd(item: StoredUitdItem): void {
    // Single statements commit on their own (autocommit); no totals change: not an outbox record.
    this.handles().stmts.uitdAdd.run(item.id, item.priority, asBuffer(item.adu), item.createdTs);
  }

  uitdQueueRemove(id: string): void {
    this.handles().stmts.uitdRemove.run(id);
  }

  getRuntimeState(key: string): string | null {
    return this.handles().stmts.getState.get(key) ?? null;
  }

  putRuntimeState(key: string, value: string): void {
    // One autocommit statement; updated_ts is only for an operator reading the table.
    this.handles().stmts.putState.run(key, value, Date.now());
  }

  /**
   * One transaction: insert every row, run `alongside` (more writes that must commit with the
   * rows), then evict down to the budget. Totals change only after commit.
   */
  private append(rows: NewRow[], alongside?: (stmts: Statements, seqs: number[]) => void): number[] {
    if (rows.length === 0 && !alongside) return [];
    const { db, stmts } = this.handles();
    const result = db.transaction(() => {
      const seqs: number[] = [];
      const depth = { telemetry: 0, event: 0 };
      let bytes = this.totals.bytes;
      for (const row of rows) {
        seqs.push(Number(stmts.insert.run(row.stream, row.ts, row.payload, row.bytes).lastInsertRowid));
        depth[row.stream]++;
        bytes += row.bytes;
      }
      alongside?.(stmts, seqs);
      // Only new outbox rows can push it over the budget (a states-only commit evicts nothing).
      const evicted = rows.length > 0 ? this.evictOverBudget(stmts, bytes) : { rows: 0, bytes: 0 };
      depth.telemetry -= evicted.rows;
      return { seqs, depth, bytes: bytes - evicted.bytes, evicted: evicted.rows };
    })();
    this.totals.bytes = result.bytes;
    this.totals.depth.telemetry += result.depth.telemetry;
    this.totals.depth.event += result.depth.event;
    this.totals.evicted += result.evicted;
    if (result.seqs.length > 0) this.totals.lastSeq = result.seqs[result.seqs.length - 1]!;
    return result.seqs;
  }

  /**
   * Deletes the oldest telemetry until `bytes` fits the budget (or no telemetry is left:
   * events are never evicted, so the outbox may stay over budget — stats shows it), and
   * adds the count to the persisted counter. Runs inside the append's transaction.
   */
  private evictOverBudget(stmts: Statements, bytes: number): { rows: number; bytes: number } {
    const excess = bytes - this.opts.budgetBytes;
    if (excess <= 0) return { rows: 0, bytes: 0 };
    let rows = 0;
    let freed = 0;
    let cutoff = 0;
    for (const r of stmts.oldestTelemetry.iterate()) {
      rows++;
      freed += r.bytes;
      cutoff = r.id;
      if (freed >= excess) break; // leaving the loop ends the statement
    }
    if (rows === 0) return { rows: 0, bytes: 0 };
    stmts.deleteTelemetryUpTo.run(cutoff);
    stmts.addEvicted.run(rows);
    return { rows, bytes: freed };
  }

  readBatch(stream: Stream, opts: BatchOpts): OutboxItem[] {
    if (opts.limit === 0) return [];
    return this.rows(stream, opts).map(decodeRow);
  }

  readMessage(stream: Stream, opts: BatchOpts, envelope: MessageEnvelope): EncodedMessage | null {
    if (opts.limit === 0) return null;
    return encodeMessage(stream, this.rows(stream, opts), envelope);
  }

  private rows(stream: Stream, opts: BatchOpts): OutboxRow[] {
    const { stmts } = this.handles();
    const upTo = opts.upToSeq ?? Number.MAX_SAFE_INTEGER;
    return stmts.readBatch.all(stream, opts.afterSeq, upTo, opts.limit);
  }

  acknowledge(seqs: readonly number[]): void {
    if (seqs.length === 0) return;
    const { db, stmts } = this.handles();
    const removed = db.transaction(() => {
      const out = { telemetry: 0, event: 0, bytes: 0 };
      for (const seq of seqs) {
        const row = stmts.deleteOne.get(seq); // undefined for an unknown (or already deleted) seq
        if (!row) continue;
        out[row.stream]++;
        out.bytes += row.bytes;
      }
      return out;
    })();
    this.totals.bytes -= removed.bytes;
    this.totals.depth.telemetry -= removed.telemetry;
    this.totals.depth.event -= removed.event;
  }

  stats(): StoreStats {
    const { stmts } = this.handles();
    return {
      depth: { ...this.totals.depth },
      bytes: this.totals.bytes,
      budgetBytes: this.opts.budgetBytes,
      evicted: this.totals.evicted,
      // The record committed first (lowest seq), not the smallest ts — see MemoryOutbox.stats.
      oldestTs: stmts.oldestTs.get()?.ts ?? null,
      lastSeq: this.totals.lastSeq,
    };
  }

  private handles(): { db: Database.Database; stmts: Statements } {
    if (!this.db || !this.stmts) throw new VigilError('STORE_IO', 'store: the store is not open');
    return { db: this.db, stmts: this.stmts };
  }
}

function loadTotals(stmts: Statements): Totals {
  const totals = emptyTotals();
  for (const s of stmts.perStream.all()) {
    totals.depth[s.stream] = s.n;
    totals.bytes += s.bytes;
  }
  totals.evicted = stmts.evicted.get()?.value ?? 0;
  totals.lastSeq = stmts.lastSeq.get()?.seq ?? 0;
  return totals;
}
