import type { PersistedAlarmState } from '../../rules/model.js';
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
import type { Reading } from '../readings.js';
import type { BatchOpts } from './validate.js';
import type { EncodedMessage, MessageEnvelope } from './message.js';

/**
 * The synchronous heart of a store. SqliteOutbox and MemoryOutbox implement it; the async
 * Store wrappers (CoreBackedStore here, WorkerStore across a thread) add argument checks,
 * open/closed state and error mapping. Keeping the storage work synchronous lets the worker
 * thread run it directly and lets each append be exactly one transaction.
 *
 * Callers have already validated arguments (validate.ts).
 */
export interface OutboxCore {
  open(): void;
  close(): void;
  /** Commits the readings in one transaction, evicts if over budget; returns their seqs in order. */
  appendReadings(readings: readonly Reading[]): number[];
  appendEvents(events: readonly GatewayEvent[]): number[];
  readBatch(stream: Stream, opts: BatchOpts): OutboxItem[];
  /** The same records as readBatch, as one forwarder message (message.ts); null when none. */
  readMessage(stream: Stream, opts: BatchOpts, envelope: MessageEnvelope): EncodedMessage | null;
  acknowledge(seqs: readonly number[]): void;
  stats(): StoreStats;
  /**
   * One transaction: each entry's event into the outbox (event stream, evicting telemetry
   * over budget as appendEvents does) and into the alarm journal under the same seq, and each
   * state upserted by id (the last one wins if an id repeats). Returns the events' seqs.
   */
  commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): number[];
  loadAlarmStates(): PersistedAlarmState[];
  /** Newest first. */
  readJournal(query: JournalQuery): StoredJournalEntry[];
  /** The UITD send queue in insertion order; each adu a fresh Buffer. */
  uitdQueueLoad(): StoredUitdItem[];
  /** Inserts unless the id is already stored (then nothing changes). Touches no totals. */
  uitdQueueAdd(item: StoredUitdItem): void;
  /** Deletes by id; an unknown id is ignored. */
  uitdQueueRemove(id: string): void;
  /** The value under key, or null. */
  getRuntimeState(key: string): string | null;
  /** Upserts the value (and the wall-clock time of the put). Touches no totals. */
  putRuntimeState(key: string, value: string): void;
}

/** The running totals both cores keep in memory so stats() never scans the outbox. */
export interface Totals {
  bytes: number;
  depth: Record<Stream, number>;
  evicted: number;
  lastSeq: number;
}

export function emptyTotals(): Totals {
  return { bytes: 0, depth: { telemetry: 0, event: 0 }, evicted: 0, lastSeq: 0 };
}
