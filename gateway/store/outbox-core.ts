import type { GatewayEvent, OutboxItem, StoreStats, Stream } from './store.js';
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
