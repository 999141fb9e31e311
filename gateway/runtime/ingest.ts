import type { Reading, StoredReading } from '../readings.js';
import type { Store } from '../store/store.js';
import { FlushScheduler } from './flush-scheduler.js';

export interface IngestOptions {
  store: Store;
  /** Called with the readings once SQLite has committed them (they now count as taken). */
  onCommitted(readings: StoredReading[]): void;
  /** Called when a commit fails; the batch is kept and retried. */
  onError(error: unknown): void;
  /**
   * Readings held in memory while the store cannot commit; beyond it the oldest are dropped
   * and counted. 50,000 (≈ 15 MB) is seconds at 10,000 points/s, minutes at a typical site —
   * enough to ride out a store-worker restart — and stays well inside the gateway's 96 MB
   * old-space limit (see the shebang of provisioning/cli.ts).
   */
  maxPending?: number;
  /** Most readings in one transaction; this many pending are committed without waiting out the window. */
  maxBatch?: number;
  retryMs?: number;
  /** Commit window in ms (default COMMIT_WINDOW_MS); 0 commits on the next turn. */
  commitWindowMs?: number;
}

/**
 * How long a reading may wait in memory so that the readings after it share its transaction.
 * Every poll response arrives in its own turn of the event loop — 20 devices polled every
 * second were 23 commits (23 fsyncs, 23 thread hand-offs, 23 MQTT messages) a second; with the
 * window a poll cycle that finishes inside 250 ms is one. The price is durability latency: a
 * reading is committed (taken) at most 250 ms + one commit after it was read, so a power cut
 * can lose up to that much more (docs/store-and-forward.md). The alarm path never waits for
 * either (it runs before the hand-off).
 */
export const COMMIT_WINDOW_MS = 250;

/**
 * Hands readings from the alarm path to the store without making the alarm path wait:
 * push() only appends to an array; the commit happens later, one transaction at a time so the
 * order of commits is the order of readings. Everything that arrives within one commit window
 * (COMMIT_WINDOW_MS after the first reading waiting) shares a transaction, which keeps fsyncs
 * few; maxBatch readings pending are committed at once.
 */
export class IngestBatcher {
  private queue: Reading[] = [];
  private droppedCount = 0;
  private committedCount = 0;
  private closed = false;
  private readonly maxPending: number;
  private readonly maxBatch: number;
  private readonly flush: FlushScheduler;

  constructor(private readonly opts: IngestOptions) {
    this.maxPending = opts.maxPending ?? 50_000;
    this.maxBatch = opts.maxBatch ?? 5_000;
    this.flush = new FlushScheduler({
      hasPending: () => this.queue.length > 0,
      commitOne: () => this.commitOne(),
      onError: (e) => opts.onError(e),
      retryMs: opts.retryMs ?? 1_000,
      windowMs: opts.commitWindowMs ?? COMMIT_WINDOW_MS,
      full: () => this.queue.length >= this.maxBatch,
    });
  }

  push(readings: readonly Reading[]): void {
    if (this.closed || readings.length === 0) return;
    for (const r of readings) this.queue.push(r);
    this.trimOverflow();
    this.flush.schedule();
  }

  /** Readings waiting for a commit. */
  pending(): number {
    return this.queue.length;
  }

  /** Readings dropped because the store could not take them for too long. */
  dropped(): number {
    return this.droppedCount;
  }

  committed(): number {
    return this.committedCount;
  }

  /** Commit everything pending (used at shutdown and by tests). Gives up on a failing store after one attempt. */
  drain(): Promise<void> {
    return this.flush.drain();
  }

  close(): void {
    this.closed = true;
    this.flush.close();
  }

  private async commitOne(): Promise<void> {
    // The batch leaves the queue while it is being committed, so an overflow trim in push()
    // can only ever drop readings that are not already on their way to disk.
    const batch = this.queue.splice(0, this.maxBatch);
    let stored: StoredReading[];
    try {
      stored = await this.opts.store.appendReadings(batch);
    } catch (e) {
      this.queue = batch.concat(this.queue);
      this.trimOverflow();
      throw e;
    }
    this.committedCount += stored.length;
    this.opts.onCommitted(stored);
  }

  private trimOverflow(): void {
    const excess = this.queue.length - this.maxPending;
    if (excess > 0) {
      // Only reachable while the store is failing (disk full, SD card gone): memory is finite,
      // so the oldest readings go, and the count is reported — never silently.
      this.queue.splice(0, excess);
      this.droppedCount += excess;
    }
  }
}
