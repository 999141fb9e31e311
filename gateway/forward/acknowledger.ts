import type { Store } from '../store/store.js';

/**
 * Hands acknowledged seqs to store.acknowledge() and remembers them until the store has
 * deleted them, so a reconnect in between cannot read and send them again. A failed
 * store.acknowledge() (STORE_IO) is kept and retried (retry()), never forgotten: the records
 * would otherwise be sent again after every reconnect.
 *
 * One delete is in flight at a time; PUBACKs that arrive meanwhile are deleted together in the
 * next one. Draining a backlog with 16 messages in flight, that is one delete transaction (one
 * fsync, one thread hand-off) for many PUBACKs instead of one each. Deleting later never
 * risks a record: it only stays on disk a little longer (a crash in between resends it —
 * QoS 1 is at least once anyway).
 */
export class Acknowledger {
  private readonly pendingSeqs = new Set<number>();
  /** Acknowledged by the broker, waiting for the delete in flight to finish. */
  private queued: number[] = [];
  private failed: number[] = [];
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Acknowledged by the broker and not yet deleted from the store: must not be resent. */
  has(seq: number): boolean {
    return this.pendingSeqs.has(seq);
  }

  acknowledge(seqs: readonly number[]): void {
    for (const s of seqs) {
      this.pendingSeqs.add(s);
      this.queued.push(s);
    }
    if (this.inFlight === null) this.deleteQueued();
  }

  /** Try the failed ones again (called from the forwarder's poll tick). */
  retry(): void {
    if (this.failed.length === 0) return;
    const seqs = this.failed;
    this.failed = [];
    this.acknowledge(seqs);
  }

  /** Resolves when every acknowledged seq has been handed to the store and that has settled. */
  async settled(): Promise<void> {
    while (this.inFlight !== null) await this.inFlight;
  }

  private deleteQueued(): void {
    const seqs = this.queued;
    this.queued = [];
    this.inFlight = this.store
      .acknowledge(seqs)
      .then(
        () => {
          for (const s of seqs) this.pendingSeqs.delete(s);
        },
        (e: unknown) => {
          this.onError(e);
          for (const s of seqs) this.failed.push(s);
        },
      )
      .finally(() => {
        this.inFlight = null;
        if (this.queued.length > 0) this.deleteQueued();
      });
  }
}
