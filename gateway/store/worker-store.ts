import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { VigilError } from '../errors.js';
import { packageRoot } from '../paths.js';
import type { Reading, StoredReading } from '../readings.js';
import type { PersistedAlarmState } from '../../rules/model.js';
import type { OutboxCore } from './outbox-core.js';
import type { SqliteStoreOptions } from './sqlite-outbox.js';
import { notOpen } from './store-error.js';
import type {
  EncodedMessage,
  GatewayEvent,
  JournalEntry,
  JournalQuery,
  MessageEnvelope,
  OutboxItem,
  Store,
  StoreStats,
  StoredEvent,
  StoredJournalEntry,
  StoredUitdItem,
  Stream,
} from './store.js';
import { checkAlarmStates, checkJournalEntries, checkJournalQuery } from './validate-alarms.js';
import { checkRuntimeStateKey, checkRuntimeStateValue } from './validate-runtime-state.js';
import { asBuffer, checkUitdId, checkUitdItem } from './validate-uitd.js';
import { checkBatch, checkBudget, checkEnvelope, checkEvents, checkReadings, checkSeqs, type BatchOpts } from './validate.js';
import type { Method, Request, Response } from './worker-protocol.js';

export interface WorkerStoreOptions extends SqliteStoreOptions {
  /**
   * Called once if the worker thread dies unexpectedly (every pending and later call then
   * rejects with STORE_IO until open() starts a new worker). The runtime raises a health fault.
   */
  onFailure?: (error: VigilError) => void;
  /** The worker's entry module; defaults to the compiled worker-entry.js (see workerEntryUrl). */
  workerUrl?: URL;
}

/**
 * Where the worker's entry module is. From dist/ (the gateway) it is worker-entry.js beside
 * this file. From TypeScript source (vitest) there is no .js beside us and Node 20 cannot
 * run .ts in a Worker (no type stripping before Node 22; tsx is not a dependency), so we use
 * the compiled entry in dist/ — `npm test` builds first (pretest). The entry holds only the
 * message loop; the SQL and the semantics are in SqliteOutbox, shared with SqliteStore.
 */
export function workerEntryUrl(): URL {
  const beside = new URL('./worker-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(beside))) return beside;
  const compiled = join(packageRoot(), 'dist', 'gateway', 'store', 'worker-entry.js');
  if (existsSync(compiled)) return pathToFileURL(compiled);
  throw new VigilError('STORE_IO', `store: worker entry not found beside ${fileURLToPath(import.meta.url)} or at ${compiled}; run \`npm run build\``);
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

type CoreResult<M extends Method> = ReturnType<OutboxCore[M]>;

/**
 * The gateway's store: a SqliteOutbox in a worker_threads Worker, reached by message-passing
 * RPC with request ids. SQLite commits (an fsync on an SD card takes tens of ms) run on the
 * worker, so the event loop that runs the alarm path never waits on disk (DESIGN.md
 * principle 1). Arguments are validated here, on the calling thread, so a bad argument fails
 * exactly as it does with SqliteStore/MemoryStore; storage failures come back as VigilError.
 */
export class WorkerStore implements Store {
  private worker: Worker | null = null;
  private state: 'new' | 'open' | 'closing' | 'closed' | 'dead' = 'new';
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly opts: WorkerStoreOptions) {
    checkBudget(opts.budgetBytes);
    if (opts.durability !== 'full' && opts.durability !== 'normal') {
      throw new TypeError(`store: durability must be 'full' or 'normal', got ${JSON.stringify(opts.durability)}`);
    }
  }

  async open(): Promise<void> {
    if (this.state === 'open') return;
    if (this.state === 'closing') throw new VigilError('STORE_IO', 'store: open() while close() is in progress');
    const { path, budgetBytes, durability } = this.opts;
    const worker = new Worker(this.opts.workerUrl ?? workerEntryUrl(), {
      workerData: { path, budgetBytes, durability } satisfies SqliteStoreOptions,
    });
    this.attach(worker);
    try {
      await this.call('open');
    } catch (e) {
      this.state = 'closing'; // the exit that follows is ours, not a failure
      await worker.terminate();
      this.state = 'new';
      this.worker = null;
      throw e;
    }
  }

  async close(): Promise<void> {
    if (this.state !== 'open' || !this.worker) return;
    const worker = this.worker;
    // Requests already posted are answered first: the worker handles messages in order.
    const closing = this.call('close');
    this.state = 'closing';
    try {
      await closing;
    } finally {
      await worker.terminate();
      this.worker = null;
      this.state = 'closed';
    }
  }

  async appendReadings(readings: readonly Reading[]): Promise<StoredReading[]> {
    checkReadings(readings);
    const seqs = await this.call('appendReadings', readings);
    return readings.map((r, i) => ({ ...r, seq: seqs[i]! }));
  }

  async appendEvents(events: readonly GatewayEvent[]): Promise<StoredEvent[]> {
    checkEvents(events);
    const seqs = await this.call('appendEvents', events);
    return events.map((e, i) => ({ ...e, seq: seqs[i]! }));
  }

  async readBatch(stream: Stream, opts: BatchOpts): Promise<OutboxItem[]> {
    checkBatch(stream, opts);
    return this.call('readBatch', stream, opts);
  }

  async readMessage(stream: Stream, opts: BatchOpts, envelope: MessageEnvelope): Promise<EncodedMessage | null> {
    checkBatch(stream, opts);
    checkEnvelope(envelope);
    // Only the message text crosses the thread boundary: one string clone instead of a
    // structured clone of every record (the point of readMessage).
    return this.call('readMessage', stream, opts, envelope);
  }

  async acknowledge(seqs: readonly number[]): Promise<void> {
    checkSeqs(seqs);
    await this.call('acknowledge', seqs);
  }

  async stats(): Promise<StoreStats> {
    return this.call('stats');
  }

  async commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): Promise<StoredEvent[]> {
    checkJournalEntries(entries);
    checkAlarmStates(states);
    const seqs = await this.call('commitAlarms', entries, states);
    return entries.map((e, i) => ({ ...e.event, seq: seqs[i]! }));
  }

  async loadAlarmStates(): Promise<PersistedAlarmState[]> {
    return this.call('loadAlarmStates');
  }

  async readJournal(query: JournalQuery): Promise<StoredJournalEntry[]> {
    checkJournalQuery(query);
    return this.call('readJournal', query);
  }

  async uitdQueueLoad(): Promise<StoredUitdItem[]> {
    // A Buffer crosses postMessage as a plain Uint8Array: make each adu a Buffer again
    // (same bytes, no copy) so callers get what SqliteStore and MemoryStore return.
    const items = await this.call('uitdQueueLoad');
    return items.map((item) => ({ ...item, adu: asBuffer(item.adu) }));
  }

  async uitdQueueAdd(item: StoredUitdItem): Promise<void> {
    checkUitdItem(item);
    // Only the four fields cross the boundary (an extra property could be uncloneable).
    const { id, priority, adu, createdTs } = item;
    await this.call('uitdQueueAdd', { id, priority, adu, createdTs });
  }

  async uitdQueueRemove(id: string): Promise<void> {
    checkUitdId(id);
    await this.call('uitdQueueRemove', id);
  }

  async getRuntimeState(key: string): Promise<string | null> {
    checkRuntimeStateKey(key);
    return this.call('getRuntimeState', key);
  }

  async putRuntimeState(key: string, value: string): Promise<void> {
    checkRuntimeStateKey(key);
    checkRuntimeStateValue(key, value);
    await this.call('putRuntimeState', key, value);
  }

  private attach(worker: Worker): void {
    this.worker = worker;
    this.state = 'open';
    let crash: Error | undefined;
    worker.on('message', (res: Response) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.result);
      else p.reject(new VigilError(res.error.code, res.error.message, res.error.details));
    });
    worker.on('error', (e) => {
      crash = e; // 'exit' follows and does the bookkeeping
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      const expected = this.state === 'closing' || this.state === 'closed';
      const err = new VigilError(
        'STORE_IO',
        expected
          ? 'store: the store was closed before this call was answered'
          : `store: the store worker exited unexpectedly (exit code ${code}${crash ? `: ${crash.message}` : ''})`,
        { exitCode: code },
        { cause: crash },
      );
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      if (!expected) {
        this.state = 'dead';
        this.worker = null;
        this.opts.onFailure?.(err);
      }
    });
  }

  private call<M extends Method>(method: M, ...args: Parameters<OutboxCore[M]>): Promise<CoreResult<M>> {
    if (this.state !== 'open' || !this.worker) {
      return Promise.reject(notOpen(this.state === 'closing' ? 'closed' : this.state === 'open' ? 'new' : this.state));
    }
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise<CoreResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      try {
        worker.postMessage({ id, method, args } satisfies Request);
      } catch (e) {
        // Only a caller's bug gets here (e.g. a function inside event.data cannot be cloned).
        this.pending.delete(id);
        reject(new TypeError(`store: cannot pass ${method} arguments to the worker: ${(e as Error).message}`));
      }
    });
  }
}
