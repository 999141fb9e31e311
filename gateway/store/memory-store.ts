import type { Reading } from '../readings.js';
import type { PersistedAlarmState } from '../../rules/model.js';
import { decodeAlarmState, decodeJournalRow, encodeAlarmState, type JournalRow } from './alarm-codec.js';
import { decodeRow, encodeEvent, encodeReading, type NewRow, type OutboxRow } from './codec.js';
import { CoreBackedStore } from './core-store.js';
import { encodeMessage, type EncodedMessage, type MessageEnvelope } from './message.js';
import { emptyTotals, type OutboxCore, type Totals } from './outbox-core.js';
import type {
  GatewayEvent,
  JournalEntry,
  JournalQuery,
  OutboxItem,
  StoreStats,
  StoredJournalEntry,
  StoredUitdItem,
  Stream,
} from './store.js';
import { checkBudget, type BatchOpts } from './validate.js';

export interface MemoryStoreOptions {
  budgetBytes: number;
}

/**
 * The outbox in RAM, with the SQLite store's semantics: the same byte accounting (codec.ts),
 * the same eviction rule, seqs never reused. It holds encoded payloads, not the caller's
 * objects, so what comes out is what a SQLite store would return. Contents survive
 * close()/open() of the same instance but not the process — for tests and for the
 * forwarder's tests, never for the gateway's record.
 */
export class MemoryOutbox implements OutboxCore {
  // One Map per stream: insertion order is seq order, deletion by seq is O(1).
  private readonly rows: Record<Stream, Map<number, OutboxRow>> = { telemetry: new Map(), event: new Map() };
  private readonly totals: Totals = emptyTotals();
  /** Seq order (seqs only grow); never trimmed, like the alarm_journal table. */
  private readonly journal: JournalRow[] = [];
  /** Alarm id → encoded state (alarm-codec.ts), so reads hand out fresh copies. */
  private readonly states = new Map<string, string>();
  /** The UITD send queue: Map order is insertion order, as ORDER BY rowid is in SQLite. */
  private readonly uitd = new Map<string, StoredUitdItem>();
  /** Runtime state by key (strings are immutable: no copies needed). */
  private readonly runtimeState = new Map<string, string>();

  constructor(private readonly budgetBytes: number) {
    checkBudget(budgetBytes);
  }

  open(): void {}
  close(): void {}

  appendReadings(readings: readonly Reading[]): number[] {
    return this.append(readings.map(encodeReading));
  }

  appendEvents(events: readonly GatewayEvent[]): number[] {
    return this.append(events.map(encodeEvent));
  }

  commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): number[] {
    // Encode everything before changing anything: nothing after this line can throw, so the
    // commit is all or nothing, as SQLite's transaction is.
    const rows = entries.map((e) => encodeEvent(e.event));
    const encoded = states.map((s) => [s.id, encodeAlarmState(s)] as const);
    const seqs = rows.length > 0 ? this.append(rows) : [];
    seqs.forEach((seq, i) => this.journal.push({ seq, subject: entries[i]!.subject, ts: rows[i]!.ts, event: rows[i]!.payload }));
    for (const [id, text] of encoded) this.states.set(id, text);
    return seqs;
  }

  loadAlarmStates(): PersistedAlarmState[] {
    return [...this.states.values()].map(decodeAlarmState);
  }

  readJournal(query: JournalQuery): StoredJournalEntry[] {
    const before = query.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const out: StoredJournalEntry[] = [];
    for (let i = this.journal.length - 1; i >= 0 && out.length < query.limit; i--) {
      const row = this.journal[i]!;
      if (row.seq >= before || (query.subject !== undefined && row.subject !== query.subject)) continue;
      out.push(decodeJournalRow(row));
    }
    return out;
  }

  uitdQueueLoad(): StoredUitdItem[] {
    return [...this.uitd.values()].map(copyUitdItem);
  }

  uitdQueueAdd(item: StoredUitdItem): void {
    // A copy, so the caller changing its Buffer later does not change what is stored.
    if (!this.uitd.has(item.id)) this.uitd.set(item.id, copyUitdItem(item));
  }

  uitdQueueRemove(id: string): void {
    this.uitd.delete(id);
  }

  getRuntimeState(key: string): string | null {
    return this.runtimeState.get(key) ?? null;
  }

  putRuntimeState(key: string, value: string): void {
    this.runtimeState.set(key, value);
  }

  private append(rows: NewRow[]): number[] {
    const seqs = rows.map((row) => {
      const seq = ++this.totals.lastSeq;
      this.rows[row.stream].set(seq, { ...row, seq });
      this.totals.depth[row.stream]++;
      this.totals.bytes += row.bytes;
      return seq;
    });
    this.evictOverBudget();
    return seqs;
  }

  /** Oldest telemetry first, until within budget; events are never evicted. */
  private evictOverBudget(): void {
    const telemetry = this.rows.telemetry;
    for (const [seq, row] of telemetry) {
      if (this.totals.bytes <= this.budgetBytes) break;
      telemetry.delete(seq);
      this.totals.bytes -= row.bytes;
      this.totals.depth.telemetry--;
      this.totals.evicted++;
    }
  }

  readBatch(stream: Stream, opts: BatchOpts): OutboxItem[] {
    return this.select(stream, opts).map(decodeRow);
  }

  readMessage(stream: Stream, opts: BatchOpts, envelope: MessageEnvelope): EncodedMessage | null {
    return encodeMessage(stream, this.select(stream, opts), envelope);
  }

  private select(stream: Stream, opts: BatchOpts): OutboxRow[] {
    const upTo = opts.upToSeq ?? Number.MAX_SAFE_INTEGER;
    const out: OutboxRow[] = [];
    for (const row of this.rows[stream].values()) {
      if (out.length >= opts.limit || row.seq > upTo) break;
      if (row.seq > opts.afterSeq) out.push(row);
    }
    return out;
  }

  acknowledge(seqs: readonly number[]): void {
    for (const seq of seqs) {
      for (const stream of ['telemetry', 'event'] as const) {
        const row = this.rows[stream].get(seq);
        if (!row) continue;
        this.rows[stream].delete(seq);
        this.totals.bytes -= row.bytes;
        this.totals.depth[stream]--;
      }
    }
  }

  stats(): StoreStats {
    const heads = [this.rows.telemetry, this.rows.event]
      .map((m) => m.values().next().value)
      .filter((r): r is OutboxRow => r !== undefined);
    // "Oldest" = committed first (lowest seq), not smallest ts: a reading taken before NTP
    // synced can carry a 1970 timestamp and would otherwise pin the gauge.
    heads.sort((a, b) => a.seq - b.seq);
    return {
      depth: { ...this.totals.depth },
      bytes: this.totals.bytes,
      budgetBytes: this.budgetBytes,
      evicted: this.totals.evicted,
      oldestTs: heads[0]?.ts ?? null,
      lastSeq: this.totals.lastSeq,
    };
  }
}

/** Only the four fields, with a fresh Buffer: what a SQLite row would give back. */
function copyUitdItem(item: StoredUitdItem): StoredUitdItem {
  return { id: item.id, priority: item.priority, adu: Buffer.from(item.adu), createdTs: item.createdTs };
}

export class MemoryStore extends CoreBackedStore {
  constructor(opts: MemoryStoreOptions) {
    super(new MemoryOutbox(opts.budgetBytes));
  }
}
