export interface FlushSchedulerOptions {
  /** Whether anything waits to be committed. */
  hasPending(): boolean;
  /**
   * Commits one batch. On failure it must put its batch back (in order) and throw: the
   * scheduler reports the error and retries after retryMs.
   */
  commitOne(): Promise<void>;
  onError(error: unknown): void;
  retryMs: number;
}

/**
 * When to commit what the alarm path handed over, so the alarm path never waits: schedule()
 * only arms a setImmediate; the commits run one at a time on later turns (so commits keep the
 * order of the calls), a failure is retried after retryMs, and after close() nothing touches
 * the store again. Shared by the readings (IngestBatcher) and the alarm journal (AlarmPersister).
 */
export class FlushScheduler {
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly opts: FlushSchedulerOptions) {}

  /** Cheap and synchronous: safe on the alarm path. */
  schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flushNow();
    });
  }

  /** Commit what is pending now (shutdown, tests); gives up after one failed attempt. */
  async drain(): Promise<void> {
    // drain() is itself the retry: a pending retry timer would otherwise be orphaned when the
    // flush below fails and arms a new one (and fire after close()).
    this.cancelRetry();
    if (this.flushing) await this.flushing;
    this.cancelRetry();
    if (this.opts.hasPending()) await this.flushNow();
    this.cancelRetry();
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
  }

  private cancelRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private flushNow(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.closed) return Promise.resolve();
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushLoop(): Promise<void> {
    while (this.opts.hasPending()) {
      try {
        await this.opts.commitOne();
      } catch (e) {
        this.opts.onError(e);
        if (!this.closed) {
          this.cancelRetry();
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            void this.flushNow();
          }, this.opts.retryMs);
        }
        return;
      }
    }
  }
}
