/**
 * The UITD's upstream send queue: what must reach the fire remote-monitoring centre, in what order,
 * and the send/confirm exchange for each item (GB/T 26875.3-2011 §6, standards.md §3.1–3.2).
 *
 * - **Order.** Fire alarms first, then status, then the rest; first in, first out within a priority.
 *   A fire alarm pre-empts an exchange already running for a lower priority (GB 26875.1: fire alarms
 *   pre-empt any other transmission): that item goes back to its place and a late confirm for it is
 *   still taken.
 * - **One exchange at a time.** An item is sent and the queue waits for the confirm (command 3) with
 *   the same serial number. No confirm within the timeout → resend (same serial on the same
 *   connection, so the centre can tell a resend from a new message); after `retries` resends the
 *   exchange has failed (§6.4: timeout ≤ 10 s, 3 retries). Fire alarms use a short timeout so that
 *   the failure is known, and indicated locally, inside the 10 s a fire alarm has to reach the centre
 *   (1 + 3 attempts × 2 s = 8 s).
 * - **Attempts count while disconnected.** An attempt with no connection open sends nothing but still
 *   runs its timeout, so "the centre is unreachable" is reported on the same clock as "the centre does
 *   not answer". When a connection comes up, the current attempt is sent at once.
 * - **A failure keeps the item.** `send-failure` is emitted (the owner sounds the local failure
 *   indication and raises a fault alarm, GB 26875.1) and the queue stops until the next connection
 *   (`connectionUp()`); the owner reconnects. Nothing is dropped for being late or undelivered.
 * - **Deny (command 6)** is a failed attempt: counted, reported, resent at once. An item is dropped
 *   only when it is malformed by us (its ADU does not decode) — with a `dropped` event, never silently.
 * - **Deadlines.** Each delivery reports the time from enqueue to confirm; a fire alarm over 10 s or a
 *   status over 100 s (standards.md §3.1) is also reported as `deadline-missed`.
 *
 * Pure logic: the clock and the timers are injected and the frames go out through a `UitdTransmitter`
 * (the link), so every rule here is tested with fake timers.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock/clock.js';
import { SafeEmitter } from '../../safe-emitter.js';
import { ApplicationData, MAX_ADU_LENGTH } from '../../../drivers/gb26875/index.js';
import type { UitdQueueStore } from './queue-store.js';
import { defaultUitdTimers, UITD_PRIORITIES, type UitdPriority, type UitdQueueItem, type UitdTimers } from './types.js';

export interface UitdTransmitter {
  /**
   * Write the item's frame now. `serial` is given for a resend on the same connection (reuse it);
   * otherwise take the connection's next serial. Returns the serial written, or undefined when no
   * connection is open (nothing written). Must not throw: a write error is the link's to report,
   * and the exchange's timeout resends.
   */
  transmit(item: UitdQueueItem, serial: number | undefined): number | undefined;
}

export type PerPriority<T> = { readonly [P in UitdPriority]: T };

export interface UitdSendQueueOptions {
  store: UitdQueueStore;
  transmitter: UitdTransmitter;
  clock: Pick<Clock, 'now' | 'monotonic'>;
  timers?: UitdTimers;
  /** Confirm timeout per priority. GB/T 26875.3 §6.4: ≤ 10 s; fire short (2 s) to fit 10 s. */
  timeoutMs: PerPriority<number>;
  /** Resends after the first attempt; GB/T 26875.3 §6.4: 3. */
  retries: number;
  /** Enqueue → confirm budget; over it → `deadline-missed`. Default fire 10 s, others 100 s (§3.1). */
  deadlineMs?: PerPriority<number>;
  newId?: () => string;
  onListenerError?: (event: keyof UitdSendQueueEvents, error: unknown) => void;
}

export const DEFAULT_UITD_DEADLINES_MS: PerPriority<number> = { fire: 10_000, status: 100_000, other: 100_000 };

export type UitdFailureReason = 'no-confirm' | 'denied';

export interface UitdDelivery {
  item: UitdQueueItem;
  serial: number;
  /** Attempts of the exchange that was confirmed (1 = first send). */
  attempts: number;
  /** Enqueue → confirm on the monotonic clock; for an item restored from the store, wall time since createdTs. */
  latencyMs: number;
  deadlineMs: number;
  late: boolean;
}

export interface UitdSendQueueEvents {
  queued: { item: UitdQueueItem };
  /** One per attempt; `serial` undefined when no connection was open (nothing written). */
  sent: { item: UitdQueueItem; serial: number | undefined; attempt: number };
  delivered: UitdDelivery;
  'deadline-missed': UitdDelivery;
  denied: { item: UitdQueueItem; serial: number; attempt: number };
  /** Only an item malformed by us (or unreadable from the store). */
  dropped: { item: UitdQueueItem; reason: string };
  /** The exchange failed after 1 + retries attempts; the item is kept. The owner indicates it locally and reconnects. */
  'send-failure': { item: UitdQueueItem; attempts: number; reason: UitdFailureReason; connected: boolean; pending: number };
  /** The first confirm after a failure: the local failure indication may stop. */
  recovered: { item: UitdQueueItem };
  /** A confirm or deny whose serial matches nothing sent on this connection. */
  unmatched: { serial: number; command: 'confirm' | 'deny' };
  'store-error': { op: 'add' | 'remove' | 'load'; id?: string; error: unknown };
}

export interface UitdQueueStats {
  pending: PerPriority<number>;
  enqueued: number;
  delivered: number;
  denied: number;
  dropped: number;
  failures: number;
  deadlineMissed: PerPriority<number>;
  /** Highest enqueue → confirm time seen, per priority (ms). */
  maxLatencyMs: PerPriority<number>;
  /** An exchange failed and nothing has been confirmed since. */
  failing: boolean;
}

interface Entry {
  readonly item: UitdQueueItem;
  /** Monotonic enqueue time; absent for items restored from the store. */
  readonly enqueuedMono?: number;
}

interface Exchange {
  readonly entry: Entry;
  attempts: number;
  /** The serial written on connection `generation`, reused for resends on that connection. */
  serial: number | undefined;
  generation: number;
  /** Whether the current attempt actually wrote a frame. */
  transmitted: boolean;
  timer: unknown;
}

export class UitdSendQueue {
  private readonly opts: UitdSendQueueOptions;
  private readonly timers: UitdTimers;
  private readonly deadlines: PerPriority<number>;
  private readonly newId: () => string;
  private readonly events: SafeEmitter<UitdSendQueueEvents>;
  private readonly lists: Record<UitdPriority, Entry[]> = { fire: [], status: [], other: [] };
  /** Serial → entry for frames written on the current connection and not yet answered. */
  private readonly outstanding = new Map<number, Entry>();
  private exchange: Exchange | null = null;
  private connected = false;
  private generation = 0;
  /** After a failed exchange: wait for the next connection. */
  private blocked = false;
  private failing = false;
  private stopped = false;
  private readonly counts = { enqueued: 0, delivered: 0, denied: 0, dropped: 0, failures: 0 };
  private readonly missed: Record<UitdPriority, number> = { fire: 0, status: 0, other: 0 };
  private readonly maxLatency: Record<UitdPriority, number> = { fire: 0, status: 0, other: 0 };

  constructor(opts: UitdSendQueueOptions) {
    for (const p of UITD_PRIORITIES) {
      if (!(opts.timeoutMs[p] > 0)) throw new RangeError(`UITD send queue: timeoutMs.${p} must be > 0, got ${opts.timeoutMs[p]}`);
    }
    if (!Number.isInteger(opts.retries) || opts.retries < 0) throw new RangeError(`UITD send queue: retries must be an integer ≥ 0, got ${opts.retries}`);
    this.opts = opts;
    this.timers = opts.timers ?? defaultUitdTimers;
    this.deadlines = opts.deadlineMs ?? DEFAULT_UITD_DEADLINES_MS;
    this.newId = opts.newId ?? randomUUID;
    this.events = new SafeEmitter<UitdSendQueueEvents>(opts.onListenerError);
  }

  on<K extends keyof UitdSendQueueEvents>(event: K, listener: (payload: UitdSendQueueEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /**
   * Restore what the store holds (items of a previous run go ahead of anything enqueued since, within
   * their priority). Items enqueued before this resolves are already being sent.
   */
  async start(): Promise<void> {
    let stored: UitdQueueItem[];
    try {
      stored = await this.opts.store.load();
    } catch (error) {
      this.events.emit('store-error', { op: 'load', error });
      return;
    }
    const known = new Set(UITD_PRIORITIES.flatMap((p) => this.lists[p].map((e) => e.item.id)));
    const restored: Record<UitdPriority, Entry[]> = { fire: [], status: [], other: [] };
    for (const item of stored) {
      if (known.has(item.id)) continue;
      const wrong = malformation(item);
      if (wrong) {
        this.drop({ item }, `restored from the store but ${wrong}`);
        continue;
      }
      restored[item.priority].push({ item });
    }
    for (const p of UITD_PRIORITIES) this.lists[p].unshift(...restored[p]);
    // A restored fire alarm goes ahead of a status exchange started meanwhile.
    if (this.exchange && this.head() !== this.exchange.entry && this.head()?.item.priority === 'fire' && this.exchange.entry.item.priority !== 'fire') this.preempt();
    this.pump();
  }

  /**
   * Queue one message (the ADU of a command-2 send). Returns at once — the store is written in the
   * background. Throws (our bug, said at once) when the data cannot be encoded or exceeds 1024 bytes.
   */
  enqueue(priority: UitdPriority, data: ApplicationData, createdTs?: number): UitdQueueItem {
    if (!UITD_PRIORITIES.includes(priority)) throw new RangeError(`UITD send queue: priority '${String(priority)}' is not one of ${UITD_PRIORITIES.join(', ')}`);
    const adu = ApplicationData.serialize(data);
    if (adu.length > MAX_ADU_LENGTH) throw new RangeError(`UITD send queue: ADU of ${adu.length} bytes is over the ${MAX_ADU_LENGTH} allowed (GB/T 26875.3 §6)`);
    const item: UitdQueueItem = { id: this.newId(), priority, adu, createdTs: createdTs ?? this.opts.clock.now() };
    const entry: Entry = { item, enqueuedMono: this.opts.clock.monotonic() };
    this.lists[priority].push(entry);
    this.counts.enqueued += 1;
    this.opts.store.add(item).catch((error: unknown) => this.events.emit('store-error', { op: 'add', id: item.id, error }));
    this.events.emit('queued', { item });
    if (priority === 'fire' && this.exchange && this.exchange.entry.item.priority !== 'fire') this.preempt();
    this.pump();
    return item;
  }

  /** A connection to the centre is open: serials restart, a failed queue resumes, the current attempt is sent now. */
  connectionUp(): void {
    this.connected = true;
    this.generation += 1;
    this.outstanding.clear();
    this.blocked = false;
    const ex = this.exchange;
    if (ex) {
      // The current attempt found no connection, or went out on one that is gone (its confirm can
      // no longer come): send it now, as the same attempt, with a full timeout for the answer.
      this.timers.clearTimeout(ex.timer);
      ex.attempts -= 1;
      this.attempt(ex);
      return;
    }
    this.pump();
  }

  /** The connection closed: answers to what was sent on it can no longer come. */
  connectionDown(): void {
    this.connected = false;
    this.outstanding.clear();
  }

  /** Command 3 with `serial`. Returns whether it matched something sent on this connection. */
  confirm(serial: number): boolean {
    const entry = this.outstanding.get(serial);
    if (!entry) {
      this.events.emit('unmatched', { serial, command: 'confirm' });
      return false;
    }
    this.outstanding.delete(serial);
    const ex = this.exchange?.entry === entry ? this.exchange : null;
    if (ex) {
      this.timers.clearTimeout(ex.timer);
      this.exchange = null;
    }
    this.remove(entry);
    this.counts.delivered += 1;
    this.report(entry, serial, ex?.attempts ?? 1);
    if (this.failing) {
      this.failing = false;
      this.events.emit('recovered', { item: entry.item });
    }
    this.pump();
    return true;
  }

  /** Command 6 with `serial`: the centre refused the frame (a check error). */
  deny(serial: number): boolean {
    const entry = this.outstanding.get(serial);
    if (!entry) {
      this.events.emit('unmatched', { serial, command: 'deny' });
      return false;
    }
    this.outstanding.delete(serial);
    const ex = this.exchange?.entry === entry ? this.exchange : null;
    this.counts.denied += 1;
    this.events.emit('denied', { item: entry.item, serial, attempt: ex?.attempts ?? 0 });
    const wrong = malformation(entry.item);
    if (wrong) {
      if (ex) {
        this.timers.clearTimeout(ex.timer);
        this.exchange = null;
      }
      this.drop(entry, `denied by the centre, and ${wrong}`);
      this.pump();
      return true;
    }
    // A frame damaged on the way is denied too: resend at once, as the next attempt.
    if (ex) {
      this.timers.clearTimeout(ex.timer);
      this.next(ex, 'denied');
    }
    return true;
  }

  /** Items not yet confirmed, in the order they will be sent. */
  items(): UitdQueueItem[] {
    return UITD_PRIORITIES.flatMap((p) => this.lists[p].map((e) => e.item));
  }

  stats(): UitdQueueStats {
    return {
      pending: { fire: this.lists.fire.length, status: this.lists.status.length, other: this.lists.other.length },
      ...this.counts,
      deadlineMissed: { ...this.missed },
      maxLatencyMs: { ...this.maxLatency },
      failing: this.failing,
    };
  }

  /** Stop timers (shutdown). Items stay in the store. */
  stop(): void {
    this.stopped = true;
    if (this.exchange) this.timers.clearTimeout(this.exchange.timer);
    this.exchange = null;
  }

  private pump(): void {
    if (this.stopped || this.blocked || this.exchange) return;
    const entry = this.head();
    if (!entry) return;
    const ex: Exchange = { entry, attempts: 0, serial: undefined, generation: this.generation, transmitted: false, timer: undefined };
    this.exchange = ex;
    this.attempt(ex);
  }

  /** The item to send next: the oldest of the highest priority. */
  private head(): Entry | undefined {
    return UITD_PRIORITIES.map((p) => this.lists[p][0]).find((e) => e !== undefined);
  }

  private attempt(ex: Exchange): void {
    ex.attempts += 1;
    const item = ex.entry.item;
    const reuse = ex.generation === this.generation ? ex.serial : undefined;
    const serial = this.connected ? this.opts.transmitter.transmit(item, reuse) : undefined;
    ex.transmitted = serial !== undefined;
    if (serial !== undefined) {
      ex.serial = serial;
      ex.generation = this.generation;
      this.outstanding.set(serial, ex.entry);
    }
    this.events.emit('sent', { item, serial, attempt: ex.attempts });
    ex.timer = this.timers.setTimeout(() => this.next(ex, 'no-confirm'), this.opts.timeoutMs[item.priority]);
  }

  private next(ex: Exchange, reason: UitdFailureReason): void {
    if (this.exchange !== ex) return;
    if (ex.attempts < 1 + this.opts.retries) {
      this.attempt(ex);
      return;
    }
    this.exchange = null;
    this.blocked = true;
    this.failing = true;
    this.counts.failures += 1;
    this.events.emit('send-failure', { item: ex.entry.item, attempts: ex.attempts, reason, connected: this.connected, pending: this.items().length });
  }

  /** A fire alarm arrived while a lower priority was in flight: set that exchange aside. */
  private preempt(): void {
    const ex = this.exchange;
    if (!ex) return;
    this.timers.clearTimeout(ex.timer);
    // Its serial stays in `outstanding`: a confirm that still comes removes it.
    this.exchange = null;
  }

  private remove(entry: Entry): void {
    // A damaged store row may carry an unknown priority: it was never listed.
    const list = this.lists[entry.item.priority] as Entry[] | undefined;
    const i = list ? list.indexOf(entry) : -1;
    if (list && i >= 0) list.splice(i, 1);
    for (const [serial, e] of this.outstanding) if (e === entry) this.outstanding.delete(serial);
    this.opts.store.remove(entry.item.id).catch((error: unknown) => this.events.emit('store-error', { op: 'remove', id: entry.item.id, error }));
  }

  /** Removes a malformed item for good — from memory and the store — and says so. */
  private drop(entry: Entry, reason: string): void {
    this.remove(entry);
    this.counts.dropped += 1;
    this.events.emit('dropped', { item: entry.item, reason });
  }

  private report(entry: Entry, serial: number, attempts: number): void {
    const { item } = entry;
    const latencyMs = entry.enqueuedMono !== undefined ? this.opts.clock.monotonic() - entry.enqueuedMono : Math.max(0, this.opts.clock.now() - item.createdTs);
    const deadlineMs = this.deadlines[item.priority];
    const delivery: UitdDelivery = { item, serial, attempts, latencyMs, deadlineMs, late: latencyMs > deadlineMs };
    this.maxLatency[item.priority] = Math.max(this.maxLatency[item.priority], latencyMs);
    this.events.emit('delivered', delivery);
    if (delivery.late) {
      this.missed[item.priority] += 1;
      this.events.emit('deadline-missed', delivery);
    }
  }
}

/** Why an item is not something we can send (a bug of ours, or a damaged store row), or null. */
function malformation(item: UitdQueueItem): string | null {
  if (!UITD_PRIORITIES.includes(item.priority)) return `its priority '${String(item.priority)}' is unknown`;
  if (!Buffer.isBuffer(item.adu) || item.adu.length === 0) return 'its ADU is empty';
  if (item.adu.length > MAX_ADU_LENGTH) return `its ADU of ${item.adu.length} bytes is over ${MAX_ADU_LENGTH}`;
  const decoded = ApplicationData.from(item.adu);
  return decoded.ok ? null : `its ADU does not decode: ${decoded.error.message}`;
}
