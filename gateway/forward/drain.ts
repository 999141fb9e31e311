import type { Store, Stream } from '../store/store.js';
import { batchPayload, type Origin } from './payloads.js';

/**
 * What to send next, and from where: the read side of the outbox for one connection.
 *
 * At each (re)connect the store's lastSeq is noted as the *boundary*. Three lanes then feed
 * the publisher, always asked in this order:
 *
 *  1. `event`   — every waiting event, strictly in seq order (an alarm's raise must never reach
 *                 the cloud after its clear), marked historical when seq <= boundary. A batch
 *                 never straddles the boundary, so one `historical` flag per message is exact.
 *  2. `live`    — telemetry with seq > boundary (committed since this connection was made),
 *                 historical: false, so a dashboard sees now-values right after an outage.
 *  3. `backlog` — telemetry with seq <= boundary, historical: true: the gap filling in behind.
 *
 * Each lane keeps a cursor (the highest seq it has handed out) so records already in flight are
 * not read again. Nothing here deletes anything: the store keeps every record until the broker
 * acknowledged the message that carried it (see MqttForwarder).
 *
 * Batches are read with store.readMessage: the store (its worker thread, for WorkerStore) hands
 * back the finished message text, so this thread never parses or rebuilds the records.
 */
export type LaneName = 'event' | 'live' | 'backlog';

/** Which records a message carries: what the forwarder keeps while the message awaits PUBACK. */
export interface Batch {
  lane: LaneName;
  stream: Stream;
  historical: boolean;
  seqs: number[];
}

/** A batch with its message text (payloads.ts format), ready to publish. */
export interface Message extends Batch {
  json: string;
  /** UTF-8 size of json. */
  bytes: number;
}

/** The batch without its text: what is kept until the PUBACK (the text would only hold memory). */
export function batchOf(m: Message): Batch {
  return { lane: m.lane, stream: m.stream, historical: m.historical, seqs: m.seqs };
}

interface Lane {
  name: LaneName;
  stream: Stream;
  /** Highest seq handed out (or skipped as already in flight). */
  cursor: number;
  /** Inclusive upper bound (backlog), or undefined for no bound. */
  upTo: number | undefined;
  /** The last read came back short: nothing more until new data arrives or the lane is rewound. */
  exhausted: boolean;
}

export class DrainPlan {
  private lanes: Lane[] = [];
  private boundarySeq = 0;
  private wakes = 0;
  private ready = false;

  constructor(
    private readonly store: Store,
    private readonly batchSize: number,
    private readonly origin: Origin,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
  }

  get boundary(): number {
    return this.boundarySeq;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Start over for a new connection: everything still in the store is waiting again. */
  reset(boundary: number): void {
    this.boundarySeq = boundary;
    this.lanes = [
      { name: 'event', stream: 'event', cursor: 0, upTo: undefined, exhausted: false },
      { name: 'live', stream: 'telemetry', cursor: boundary, upTo: undefined, exhausted: false },
      { name: 'backlog', stream: 'telemetry', cursor: 0, upTo: boundary, exhausted: boundary === 0 },
    ];
    this.ready = true;
  }

  /** The connection is gone; nothing may be read until the next reset(). */
  suspend(): void {
    this.ready = false;
  }

  /**
   * New records may have been committed: look again at the lanes that can grow — only those
   * of `stream` when the caller knows which stream it appended to (a commit of readings need
   * not cost a read of the event lane, and the other way round).
   */
  wake(stream?: Stream): void {
    this.wakes++;
    for (const lane of this.lanes) if (lane.name !== 'backlog' && (stream === undefined || lane.stream === stream)) lane.exhausted = false;
  }

  /** Whether any lane may still have something to send (a cheap check before reading). */
  get idle(): boolean {
    return !this.ready || this.lanes.every((l) => l.exhausted);
  }

  /**
   * A message of this batch was not acknowledged (publish error without a disconnect): read its
   * records again. Later batches of the lane that are still in flight are skipped by `skip`.
   */
  rewind(batch: Batch): void {
    const lane = this.lanes.find((l) => l.name === batch.lane);
    const first = batch.seqs[0];
    if (lane === undefined || first === undefined) return;
    lane.cursor = Math.min(lane.cursor, first - 1);
    lane.exhausted = false;
  }

  /**
   * The next batch to publish, from the first lane (event, live, backlog) that has records, or
   * null when all are exhausted. `skip(seq)` names records that must not be sent again now (in
   * flight, or acknowledged by the broker but not yet deleted from the store).
   */
  async next(skip: (seq: number) => boolean): Promise<Message | null> {
    for (const lane of this.lanes) {
      while (!lane.exhausted) {
        const wakesBefore = this.wakes;
        const lanesBefore = this.lanes;
        // The event lane first reads the part at or below the boundary (historical), in batches
        // that stop at the boundary, and only then the live part.
        const bounded = lane.name === 'event' && lane.cursor < this.boundarySeq;
        const upToSeq = bounded ? this.boundarySeq : lane.upTo;
        // The event lane's bounded reads hold only seqs <= boundary, its other reads only seqs above.
        const historical = lane.name === 'backlog' || bounded;
        const range = { afterSeq: lane.cursor, ...(upToSeq !== undefined ? { upToSeq } : {}), limit: this.batchSize };
        const msg = await this.store.readMessage(lane.stream, range, { ...this.origin, historical });
        // reset() ran while we were reading: these lanes are history (the caller checks its epoch too).
        if (lanesBefore !== this.lanes) return null;
        const raw = msg?.seqs ?? [];
        const last = raw[raw.length - 1];
        if (last !== undefined && last <= lane.cursor) {
          // A store that returns records at or below afterSeq would loop us forever: stop the lane.
          lane.exhausted = true;
          break;
        }
        if (last !== undefined) lane.cursor = last;
        if (raw.length < this.batchSize) {
          if (bounded) lane.cursor = Math.max(lane.cursor, this.boundarySeq); // nothing more at or below it
          else if (this.wakes === wakesBefore) lane.exhausted = true; // caught up, and nothing announced meanwhile
        }
        if (msg === null || last === undefined) continue;
        const batch = { lane: lane.name, stream: lane.stream, historical };
        if (!raw.some(skip)) return { ...batch, seqs: raw, json: msg.json, bytes: msg.bytes };
        const partial = await this.withoutSkipped({ ...range, upToSeq: last }, lane.stream, historical, skip);
        if (lanesBefore !== this.lanes) return null;
        if (partial !== null) return { ...batch, ...partial };
      }
    }
    return null;
  }

  /**
   * Rare path: some records of a read are in flight or acknowledged-but-not-deleted (after a
   * rewind or a reconnect). The message must leave them out, so read the same range as records
   * and encode the rest here, exactly as before readMessage existed (same message, same text).
   */
  private async withoutSkipped(
    range: { afterSeq: number; upToSeq: number; limit: number },
    stream: Stream,
    historical: boolean,
    skip: (seq: number) => boolean,
  ): Promise<{ seqs: number[]; json: string; bytes: number } | null> {
    const items = (await this.store.readBatch(stream, range)).filter((i) => !skip(i.seq));
    if (items.length === 0) return null;
    const json = JSON.stringify(batchPayload(this.origin, historical, items));
    return { seqs: items.map((i) => i.seq), json, bytes: Buffer.byteLength(json, 'utf8') };
  }
}
