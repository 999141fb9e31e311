import type { Reading, StoredReading } from '../readings.js';
import type { PersistedAlarmState } from '../../rules/model.js';
import type { EncodedMessage, MessageEnvelope } from './message.js';

export type { EncodedMessage, MessageEnvelope } from './message.js';

/**
 * The store: an outbox of readings and events in one per-gateway sequence. Every
 * implementation (SQLite, the worker-thread proxy, memory) passes the same contract suite
 * (store-contract.ts). The API is async so the SQLite work can run off the main thread:
 * the alarm path must never wait on disk (DESIGN.md principle 1).
 */

export type Stream = 'telemetry' | 'event';

export type EventSeverity = 'info' | 'warning' | 'fault' | 'alarm';

/** Something that happened at the gateway: a device lost or regained, evictions, start/stop … */
export interface GatewayEvent {
  /** Dotted kind, e.g. "device.comm-fault", "device.recovered", "store.evicted", "gateway.started". */
  type: string;
  severity: EventSeverity;
  ts: number;
  clockTrusted: boolean;
  message: string;
  device?: string;
  point?: string;
  data?: Record<string, unknown>;
}

export interface StoredEvent extends GatewayEvent {
  seq: number;
}

export type OutboxItem =
  | { stream: 'telemetry'; seq: number; bytes: number; reading: StoredReading }
  | { stream: 'event'; seq: number; bytes: number; event: StoredEvent };

export interface StoreStats {
  /** Records waiting for a broker acknowledgement, per stream. */
  depth: Record<Stream, number>;
  /** Bytes the outbox records occupy (the quantity the budget limits). */
  bytes: number;
  budgetBytes: number;
  /** Telemetry records evicted to keep within the budget, since the store was created (persisted). */
  evicted: number;
  /** Timestamp of the oldest record waiting, or null when empty. */
  oldestTs: number | null;
  /** Highest sequence number ever assigned (0 when none). */
  lastSeq: number;
}

/** One alarm-journal entry: an event and the subject it belongs to (an alarm id, an interlock, a schedule). */
export interface JournalEntry {
  /** e.g. "gas-1/gas_high", "interlock:close-gas-valve", "schedule:weekly-calibration". */
  subject: string;
  event: GatewayEvent;
}

export interface StoredJournalEntry {
  subject: string;
  /** The event's outbox seq (the same number the cloud sees). */
  seq: number;
  event: StoredEvent;
}

export interface JournalQuery {
  /** Only this subject's entries. */
  subject?: string;
  /** Entries with seq < beforeSeq (paging backwards); newest first. */
  beforeSeq?: number;
  limit: number;
}

/**
 * Priority of an item waiting for the fire remote-monitoring centre (GB 26875.1, standards.md
 * §3.1: fire alarms pre-empt everything else). Declared here, structurally identical to
 * gateway/forward/uitd/types.ts UitdPriority, so the store does not depend on the forwarder
 * (uitd-queue-adapter.ts checks at compile time that the two stay the same).
 */
export type StoredUitdPriority = 'fire' | 'status' | 'other';

/** One item of the UITD link's durable send queue (structurally UitdQueueItem). */
export interface StoredUitdItem {
  /** Unique and stable across restarts: the table's key. */
  readonly id: string;
  readonly priority: StoredUitdPriority;
  /** The application data unit as the link serialized it; stored and returned byte for byte. */
  readonly adu: Buffer;
  /** Wall-clock ms when the item was created (a whole number). */
  readonly createdTs: number;
}

export interface Store {
  open(): Promise<void>;
  close(): Promise<void>;
  /**
   * Commit readings (one transaction) and return them with their sequence numbers. When the
   * promise resolves the readings survive kill -9; with durability 'full' also a power cut.
   * If the byte budget is exceeded afterwards, the oldest telemetry is evicted and counted.
   */
  appendReadings(readings: readonly Reading[]): Promise<StoredReading[]>;
  /** Commit events. Events are never evicted. */
  appendEvents(events: readonly GatewayEvent[]): Promise<StoredEvent[]>;
  /**
   * Up to `limit` waiting records of one stream with afterSeq < seq <= upToSeq (upToSeq
   * defaults to no limit), oldest first.
   */
  readBatch(stream: Stream, opts: { afterSeq: number; upToSeq?: number; limit: number }): Promise<OutboxItem[]>;
  /**
   * The records readBatch would return, as one ready-to-publish forwarder message: their seqs
   * and the JSON text gateway/forward/payloads.ts would encode for them under `envelope`
   * (message.ts). Null when no record matches. The work happens where the store runs (the
   * worker thread for WorkerStore), so the caller's event loop handles one string per batch.
   */
  readMessage(
    stream: Stream,
    opts: { afterSeq: number; upToSeq?: number; limit: number },
    envelope: MessageEnvelope,
  ): Promise<EncodedMessage | null>;
  /** The broker acknowledged these records: delete them. Unknown seqs are ignored. */
  acknowledge(seqs: readonly number[]): Promise<void>;
  stats(): Promise<StoreStats>;
  /**
   * The alarm engine's durable record, in ONE transaction: each entry's event goes to the
   * outbox (event stream: ahead of telemetry, never evicted) and to the alarm journal (kept
   * locally; not deleted by acknowledge), and each state replaces the stored state of its alarm
   * id. Either all of it survives a power cut or none of it. `entries` or `states` may be empty.
   */
  commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): Promise<StoredEvent[]>;
  /** Every stored alarm state (any order), to restore the engine at start-up. */
  loadAlarmStates(): Promise<PersistedAlarmState[]>;
  /** Journal entries, newest first. */
  readJournal(query: JournalQuery): Promise<StoredJournalEntry[]>;
  /**
   * Every item of the UITD link's send queue, in the order they were first added (the link
   * sorts by priority itself; within a priority this is FIFO). Each `adu` is a Buffer the
   * caller may keep or change. Read once at start-up.
   */
  uitdQueueLoad(): Promise<StoredUitdItem[]>;
  /**
   * Commit one item. When the promise resolves it survives kill -9 (and a power cut with
   * durability 'full'). Idempotent on `id`: adding an id already stored changes nothing (the
   * first item stays, in its place). Queue items are not outbox records: not counted in
   * stats(), never evicted, never removed by acknowledge.
   */
  uitdQueueAdd(item: StoredUitdItem): Promise<void>;
  /** Delete the item with this id (the centre confirmed it). An unknown id is ignored. */
  uitdQueueRemove(id: string): Promise<void>;
  /**
   * The value last put under `key` (a non-empty string such as "electricity.baseline"), or
   * null when nothing was ever put there. Runtime state is what a module must not relearn after
   * a restart; it is not an outbox record (not forwarded, not in stats(), never evicted).
   */
  getRuntimeState(key: string): Promise<string | null>;
  /**
   * Replace the value under `key` (one statement: the old value or the new one survives a
   * kill -9, never a mix). The caller owns the format; the store keeps the text as given.
   */
  putRuntimeState(key: string, value: string): Promise<void>;
}
