import type { OutboxItem, Store, Stream } from '../store/store.js';

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
 */
export type LaneName = 'event' | 'live' | 'backlog';

export interface Batch {
  lane: LaneName;
  stream: Stream;
  historical: boolean;
  items: OutboxItem[];
  seqs: number[];
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

  /** New records may have been committed: look again at the lanes that can grow. */
  wake(): void {
    this.wakes++;
    for (const lane of this.lanes) if (lane.name !== 'backlog') lane.exhausted = false;
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
  async next(skip: (seq: number) => boolean): Promise<Batch | null> {
    for (const lane of this.lanes) {
      while (!lane.exhausted) {
        const wakesBefore = this.wakes;
        const lanesBefore = this.lanes;
        // The event lane first reads the part at or below the boundary (historical), in batches
        // that stop at the boundary, and only then the live part.
        const bounded = lane.name === 'event' && lane.cursor < this.boundarySeq;
        const upToSeq = bounded ? this.boundarySeq : lane.upTo;
        const raw = await this.store.readBatch(lane.stream, {
          afterSeq: lane.cursor,
          ...(upToSeq !== undefined ? { upToSeq } : {}),
          limit: this.batchSize,
        });
        // reset() ran while we were reading: these lanes are history (the caller checks its epoch too).
        if (lanesBefore !== this.lanes) return null;
        const last = raw[raw.length - 1];
        if (last !== undefined && last.seq <= lane.cursor) {
          // A store that returns records at or below afterSeq would loop us forever: stop the lane.
          lane.exhausted = true;
          break;
        }
        if (last !== undefined) lane.cursor = last.seq;
        if (raw.length < this.batchSize) {
          if (bounded) lane.cursor = Math.max(lane.cursor, this.boundarySeq); // nothing more at or below it
          else if (this.wakes === wakesBefore) lane.exhausted = true; // caught up, and nothing announced meanwhile
        }
        const items = raw.filter((i) => !skip(i.seq));
        if (items.length > 0) {
          const seqs = items.map((i) => i.seq);
          return { lane: lane.name, stream: lane.stream, historical: this.isHistorical(lane, seqs[0]!), items, seqs };
        }
      }
    }
    return null;
  }

  private isHistorical(lane: Lane, firstSeq: number): boolean {
    if (lane.name === 'backlog') return true;
    if (lane.name === 'live') return false;
    return firstSeq <= this.boundarySeq;
  }
}
