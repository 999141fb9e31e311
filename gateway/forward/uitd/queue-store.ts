/**
 * Where the send queue keeps its items so a power cut loses none (DESIGN principle 3). The
 * queue holds every item in memory and never waits on the store to send (principle 1: a fire
 * alarm does not wait for an SD card); the store is told in the background and read once at
 * start-up.
 *
 * A SQLite implementation (the lead's, in gateway/store) would use:
 *
 *   CREATE TABLE uitd_queue (
 *     id         TEXT PRIMARY KEY,
 *     priority   TEXT NOT NULL CHECK (priority IN ('fire', 'status', 'other')),
 *     adu        BLOB NOT NULL,
 *     created_ts INTEGER NOT NULL
 *   );            -- load(): SELECT … ORDER BY rowid (insertion order = FIFO within a priority)
 *
 * Items are never evicted: the queue only removes an item the centre confirmed, or one we built
 * wrongly (with an event saying so).
 */
import type { UitdQueueItem } from './types.js';

export interface UitdQueueStore {
  /** Every stored item, in the order added. */
  load(): Promise<UitdQueueItem[]>;
  /** Idempotent for the same id. */
  add(item: UitdQueueItem): Promise<void>;
  /** Idempotent: removing an unknown id is not an error. */
  remove(id: string): Promise<void>;
}

/** In memory (tests, and a gateway configured without a store). Survives reconnects, not restarts. */
export class MemoryUitdQueueStore implements UitdQueueStore {
  private readonly items = new Map<string, UitdQueueItem>();

  load(): Promise<UitdQueueItem[]> {
    return Promise.resolve([...this.items.values()]);
  }

  add(item: UitdQueueItem): Promise<void> {
    if (!this.items.has(item.id)) this.items.set(item.id, { ...item, adu: Buffer.from(item.adu) });
    return Promise.resolve();
  }

  remove(id: string): Promise<void> {
    this.items.delete(id);
    return Promise.resolve();
  }

  /** For tests: the ids held, in order. */
  ids(): string[] {
    return [...this.items.keys()];
  }
}
