import type { PersistedAlarmState } from '../../rules/model.js';
import type { JournalEntry, Store } from '../store/store.js';
import { FlushScheduler } from './flush-scheduler.js';

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
  private readonly flush: FlushScheduler;

  constructor(private readonly opts: AlarmPersisterOptions) {
    this.flush = new FlushScheduler({
      hasPending: () => this.entries.length > 0 || this.states.size > 0,
      commitOne: () => this.commitOne(),
      onError: (e) => opts.onError(e),
      retryMs: opts.retryMs ?? 1_000,
    });
  }

  /** Synchronous and cheap: safe to call on the alarm path. */
  readonly persist = (entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): void => {
    if (entries.length > 0) this.entries.push(...entries);
    for (const s of states) this.states.set(s.id, s);
    this.flush.schedule();
  };

  pending(): { entries: number; states: number } {
    return { entries: this.entries.length, states: this.states.size };
  }

  /** Commit what is pending now (shutdown, tests). Gives up after one failed attempt. */
  drain(): Promise<void> {
    return this.flush.drain();
  }

  close(): void {
    this.flush.close();
  }

  private async commitOne(): Promise<void> {
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
      throw e;
    }
    this.opts.onCommitted();
  }
}
