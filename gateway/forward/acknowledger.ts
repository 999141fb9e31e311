import type { Store } from '../store/store.js';

/**
 * Hands acknowledged seqs to store.acknowledge() and remembers them until the store has
 * deleted them, so a reconnect in between cannot read and send them again. A failed
 * store.acknowledge() (STORE_IO) is kept and retried (retry()), never forgotten: the records
 * would otherwise be sent again after every reconnect.
 */
export class Acknowledger {
  private readonly pendingSeqs = new Set<number>();
  private failed: number[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Acknowledged by the broker and not yet deleted from the store: must not be resent. */
  has(seq: number): boolean {
    return this.pendingSeqs.has(seq);
  }

  acknowledge(seqs: readonly number[]): void {
    for (const s of seqs) this.pendingSeqs.add(s);
    const p: Promise<void> = this.store
      .acknowledge(seqs)
      .then(() => {
        for (const s of seqs) this.pendingSeqs.delete(s);
      })
      .catch((e: unknown) => {
        this.onError(e);
        this.failed.push(...seqs);
      })
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Try the failed ones again (called from the forwarder's poll tick). */
  retry(): void {
    if (this.failed.length === 0) return;
    const seqs = this.failed;
    this.failed = [];
    this.acknowledge(seqs);
  }

  /** Resolves when every store.acknowledge() started so far has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
