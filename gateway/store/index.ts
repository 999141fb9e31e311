/**
 * The store's public surface, for the runtime, the forwarder and the benches. The gateway
 * uses WorkerStore; SqliteStore is the same outbox in the calling thread (tools, benches);
 * MemoryStore has the same semantics in RAM (tests).
 */
export type {
  EncodedMessage,
  GatewayEvent,
  EventSeverity,
  JournalEntry,
  JournalQuery,
  MessageEnvelope,
  OutboxItem,
  Store,
  StoreStats,
  StoredEvent,
  StoredJournalEntry,
  StoredUitdItem,
  StoredUitdPriority,
  Stream,
} from './store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
export { WorkerStore, workerEntryUrl, type WorkerStoreOptions } from './worker-store.js';
export { SqliteOutbox } from './sqlite-outbox.js';
export { ROW_OVERHEAD_BYTES, encodeReading, encodeEvent } from './codec.js';
export { SCHEMA_VERSION } from './migrations.js';
export { storeBackedUitdQueue } from './uitd-queue-adapter.js';
