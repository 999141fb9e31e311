import type { Reading, StoredReading } from '../readings.js';
import type { PersistedAlarmState } from '../../rules/model.js';
import type { OutboxCore } from './outbox-core.js';
import { notOpen, toStoreError } from './store-error.js';
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
import { checkUitdId, checkUitdItem } from './validate-uitd.js';
import { checkBatch, checkEnvelope, checkEvents, checkReadings, checkSeqs, type BatchOpts } from './validate.js';

/**
 * The async Store over a synchronous core, in the calling thread. Adds what every store
 * shares: argument checks, the open/closed state, and mapping storage failures to
 * VigilError. (WorkerStore does the same across a thread boundary.)
 *
 * Running a SQLite core here blocks the event loop for each commit (an fsync on an SD card
 * takes tens of ms) — the runtime uses WorkerStore; this is for tools, tests and benches.
 */
export class CoreBackedStore implements Store {
  private state: 'new' | 'open' | 'closed' = 'new';

  constructor(protected readonly core: OutboxCore) {}

  async open(): Promise<void> {
    if (this.state === 'open') return;
    try {
      this.core.open();
    } catch (e) {
      throw toStoreError(e, 'open');
    }
    this.state = 'open';
  }

  async close(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    try {
      this.core.close();
    } catch (e) {
      throw toStoreError(e, 'close');
    }
  }

  async appendReadings(readings: readonly Reading[]): Promise<StoredReading[]> {
    checkReadings(readings);
    const seqs = this.run('append readings', () => this.core.appendReadings(readings));
    return readings.map((r, i) => ({ ...r, seq: seqs[i]! }));
  }

  async appendEvents(events: readonly GatewayEvent[]): Promise<StoredEvent[]> {
    checkEvents(events);
    const seqs = this.run('append events', () => this.core.appendEvents(events));
    return events.map((e, i) => ({ ...e, seq: seqs[i]! }));
  }

  async readBatch(stream: Stream, opts: BatchOpts): Promise<OutboxItem[]> {
    checkBatch(stream, opts);
    return this.run('read batch', () => this.core.readBatch(stream, opts));
  }

  async readMessage(stream: Stream, opts: BatchOpts, envelope: MessageEnvelope): Promise<EncodedMessage | null> {
    checkBatch(stream, opts);
    checkEnvelope(envelope);
    return this.run('read message', () => this.core.readMessage(stream, opts, envelope));
  }

  async acknowledge(seqs: readonly number[]): Promise<void> {
    checkSeqs(seqs);
    this.run('acknowledge', () => this.core.acknowledge(seqs));
  }

  async stats(): Promise<StoreStats> {
    return this.run('stats', () => this.core.stats());
  }

  async commitAlarms(entries: readonly JournalEntry[], states: readonly PersistedAlarmState[]): Promise<StoredEvent[]> {
    checkJournalEntries(entries);
    checkAlarmStates(states);
    const seqs = this.run('commit alarms', () => this.core.commitAlarms(entries, states));
    return entries.map((e, i) => ({ ...e.event, seq: seqs[i]! }));
  }

  async loadAlarmStates(): Promise<PersistedAlarmState[]> {
    return this.run('load alarm states', () => this.core.loadAlarmStates());
  }

  async readJournal(query: JournalQuery): Promise<StoredJournalEntry[]> {
    checkJournalQuery(query);
    return this.run('read journal', () => this.core.readJournal(query));
  }

  async uitdQueueLoad(): Promise<StoredUitdItem[]> {
    return this.run('load UITD queue', () => this.core.uitdQueueLoad());
  }

  async uitdQueueAdd(item: StoredUitdItem): Promise<void> {
    checkUitdItem(item);
    this.run('add to UITD queue', () => this.core.uitdQueueAdd(item));
  }

  async uitdQueueRemove(id: string): Promise<void> {
    checkUitdId(id);
    this.run('remove from UITD queue', () => this.core.uitdQueueRemove(id));
  }

  async getRuntimeState(key: string): Promise<string | null> {
    checkRuntimeStateKey(key);
    return this.run('get runtime state', () => this.core.getRuntimeState(key));
  }

  async putRuntimeState(key: string, value: string): Promise<void> {
    checkRuntimeStateKey(key);
    checkRuntimeStateValue(key, value);
    this.run('put runtime state', () => this.core.putRuntimeState(key, value));
  }

  private run<T>(action: string, fn: () => T): T {
    if (this.state !== 'open') throw notOpen(this.state);
    try {
      return fn();
    } catch (e) {
      throw toStoreError(e, action);
    }
  }
}
