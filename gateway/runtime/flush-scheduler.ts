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
  /**
   * Commit window: how long the first item handed over may wait so that what arrives after it
   * shares its transaction. 0 (the default): the next turn of the event loop. See
   * IngestBatcher for why readings use a window and docs/store-and-forward.md for the cost.
   */
  windowMs?: number;
  /** Enough is pending to fill a transaction: commit now instead of waiting out the window. */
  full?(): boolean;
}

/**
 * When to commit what the alarm path handed over, so the alarm path never waits: schedule()
 * only arms a timer (setImmediate, or the commit window); the commits run one at a time on
 * later turns (so commits keep the order of the calls), a failure is retried after retryMs, and
 * after close() nothing touches the store again. Shared by the readings (IngestBatcher) and the
 * alarm journal (AlarmPersister).
 */
export class FlushScheduler {
  private flushing: Promise<void> | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private windowTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly windowMs: number;

  constructor(private readonly opts: FlushSchedulerOptions) {
    const windowMs = opts.windowMs ?? 0;
    if (!Number.isFinite(windowMs) || windowMs < 0) throw new RangeError(`commit window must be a number of ms >= 0, got ${windowMs}`);
    this.windowMs = windowMs;
  }

  /** Cheap and synchronous: safe on the alarm path. */
  schedule(): void {
    if (this.immediate || this.flushing || this.retryTimer || this.closed) return;
    if (this.windowMs > 0 && !this.isFull()) {
      // The window opens with the first item and is not extended by later ones: no item waits
      // longer than windowMs (plus the commit itself) for its transaction.
      this.windowTimer ??= setTimeout(() => {
        this.windowTimer = null;
        void this.flushNow(false);
      }, this.windowMs);
      return;
    }
    this.cancelWindow();
    this.immediate = setImmediate(() => {
      this.immediate = null;
      void this.flushNow(false);
    });
  }

  /** Commit everything pending now (shutdown, tests); gives up after one failed attempt. */
  async drain(): Promise<void> {
    // drain() is itself the retry: a pending retry timer would otherwise be orphaned when the
    // flush below fails and arms a new one (and fire after close()).
    this.cancelTimers();
    while (this.flushing) await this.flushing;
    this.cancelTimers();
    if (this.opts.hasPending()) await this.flushNow(true);
    this.cancelTimers();
  }

  close(): void {
    this.closed = true;
    this.cancelTimers();
  }

  private isFull(): boolean {
    return this.opts.full?.() ?? false;
  }

  private cancelWindow(): void {
    if (this.windowTimer) clearTimeout(this.windowTimer);
    this.windowTimer = null;
  }

  private cancelTimers(): void {
    this.cancelWindow();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private flushNow(all: boolean): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.closed) return Promise.resolve();
    this.cancelWindow();
    this.flushing = this.flushLoop(all).finally(() => {
      this.flushing = null;
      // What arrived during the last commit waits for its own window (unless drain() takes it).
      if (!all && !this.retryTimer && this.opts.hasPending()) this.schedule();
    });
    return this.flushing;
  }

  /**
   * Commits until nothing is pending — or, with a commit window and `all` false, until what
   * is left would not fill a transaction: that waits for the next window instead of going out
   * as a small transaction of its own.
   */
  private async flushLoop(all: boolean): Promise<void> {
    let first = true;
    while (this.opts.hasPending() && (first || all || this.windowMs === 0 || this.isFull())) {
      first = false;
      try {
        await this.opts.commitOne();
      } catch (e) {
        this.opts.onError(e);
        if (!this.closed) {
          if (this.retryTimer) clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            void this.flushNow(false);
          }, this.opts.retryMs);
        }
        return;
      }
    }
  }
}
