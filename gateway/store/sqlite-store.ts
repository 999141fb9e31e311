import { CoreBackedStore } from './core-store.js';
import { SqliteOutbox, type SqliteStoreOptions } from './sqlite-outbox.js';

export type { SqliteStoreOptions } from './sqlite-outbox.js';

/**
 * The SQLite outbox as an async Store in the calling thread. Each call commits synchronously
 * (blocking the event loop for the fsync): fine for tools, tests and benches. The gateway
 * runtime uses WorkerStore, which runs the same SqliteOutbox in a worker thread
 * (DESIGN.md principle 1: the alarm path never waits on disk).
 */
export class SqliteStore extends CoreBackedStore {
  constructor(opts: SqliteStoreOptions) {
    super(new SqliteOutbox(opts));
  }
}
