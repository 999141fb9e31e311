import type { PersistedAlarmState } from '../../rules/model.js';
import type { JournalEntry, Store } from '../store/store.js';

export interface AlarmPersisterOptions {
  store: Pick<Store, 'commitAlarms'>;
  /** Committed: the forwarder may have new events to send. */
  onCommitted: () => void;
  /** A commit failed; the batch is kept and retried. The runtime shows it in health. */
  onError: (error: unknown) => void;
  retryMs?: number;
}

/**
 * Carries the alarm engine's durable record (journal entries and alarm states) to the store,
 * off the alarm path: the engine calls `persist` synchronously and returns at once; the commit
 * happens on a later turn, in the store's worker thread (DESIGN.md principle 1 — a sounder never
 * waits for an SD card). Entries keep their order; states are coalesced per alarm id (only the
 * latest matters). While the store fails, everything is held and retried: alarm entries are
 * few and never dropped.
 */
export class AlarmPersister {
  private entries: JournalEntry[] = [];
  private readonly states = new Map<string, PersistedAlarmState>();
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly retryMs: number;

  constructor(private readonly opts: AlarmPersisterOptions) {
    this.retryMs = opts.retryMs ?? 1_000;
  }

  /** Synchronous and cheap: safe to call on the alarm path. */
  readonly persist = (entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): void => {
    if (entries.length > 0) this.entries.push(...entries);
    for (const s of states) this.states.set(s.id, s);
    this.schedule();
  };

  pending(): { entries: number; states: number } {
    return { entries: this.entries.length, states: this.states.size };
  }

  /** Commit what is pending now (shutdown, tests). Gives up after one failed attempt. */
  async drain(): Promise<void> {
    this.cancelRetry();
    if (this.flushing) await this.flushing;
    this.cancelRetry();
    if (this.entries.length > 0 || this.states.size > 0) await this.flushNow();
    this.cancelRetry();
  }

  close(): void {
    this.closed = true;
    this.cancelRetry();
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.retryTimer || this.closed) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flushNow();
    });
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
    while (this.entries.length > 0 || this.states.size > 0) {
      const entries = this.entries;
      const states = [...this.states.values()];
      this.entries = [];
      this.states.clear();
      try {
        await this.opts.store.commitAlarms(entries, states);
      } catch (e) {
        // Put the batch back in front; a newer state for the same alarm (set meanwhile) wins.
        this.entries = entries.concat(this.entries);
        for (const s of states) if (!this.states.has(s.id)) this.states.set(s.id, s);
        this.opts.onError(e);
        if (!this.closed) {
          this.cancelRetry();
          this.retryTimer = setTimeout(() => {
            this.retryTimer = null;
            void this.flushNow();
          }, this.retryMs);
        }
        return;
      }
      this.opts.onCommitted();
    }
  }
}
