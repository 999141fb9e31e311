/**
 * Which sequence numbers reached the cloud, and how often. The gateway numbers every record it
 * commits (one seq space for telemetry and events, gateway/store/migrations.ts), so "nothing
 * committed was lost" is a statement about seqs: every seq from 1 to the highest committed
 * either reached the broker or is still in the outbox. Counts per seq live in a byte array
 * that grows by doubling (a million seqs cost 1 MB), capped at 255 per seq.
 */
export interface LedgerGaps {
  /** How many seqs in 1..upTo are neither delivered nor held. */
  count: number;
  /** The first few of them, for an error message. */
  first: number[];
}

export class SeqLedger {
  private counts = new Uint8Array(1 << 16);
  private distinctSeqs = 0;
  private repeats = 0;
  private top = 0;

  /** Records one delivery of `seq` (an integer ≥ 1; anything else is a broken payload). */
  record(seq: number): void {
    if (!Number.isInteger(seq) || seq < 1) throw new Error(`seq ledger: a seq must be an integer ≥ 1, got ${JSON.stringify(seq)}`);
    if (seq >= this.counts.length) {
      let size = this.counts.length;
      while (size <= seq) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.counts);
      this.counts = grown;
    }
    const c = this.counts[seq]!;
    if (c === 0) this.distinctSeqs++;
    else this.repeats++;
    if (c < 255) this.counts[seq] = c + 1;
    if (seq > this.top) this.top = seq;
  }

  has(seq: number): boolean {
    return seq < this.counts.length && this.counts[seq]! > 0;
  }

  /** Distinct seqs delivered. */
  get distinct(): number {
    return this.distinctSeqs;
  }

  /** Deliveries beyond the first of a seq (QoS 1 is at-least-once: the cloud dedupes on seq). */
  get duplicates(): number {
    return this.repeats;
  }

  /** The highest seq delivered (0 before any). */
  get highest(): number {
    return this.top;
  }

  /** Seqs in 1..upTo that were not delivered and are not in `held` (e.g. still in the outbox). */
  gaps(upTo: number, held: ReadonlySet<number> = new Set()): LedgerGaps {
    const first: number[] = [];
    let count = 0;
    for (let s = 1; s <= upTo; s++) {
      if (this.has(s) || held.has(s)) continue;
      count++;
      if (first.length < 10) first.push(s);
    }
    return { count, first };
  }
}

/** The seqs of one Vigil payload on a telemetry or events topic; [] for other topics. */
export function payloadSeqs(topic: string, payload: Buffer): number[] {
  if (topic.endsWith('/telemetry')) return (JSON.parse(payload.toString('utf8')) as { readings: Array<{ seq: number }> }).readings.map((r) => r.seq);
  if (topic.endsWith('/events')) return (JSON.parse(payload.toString('utf8')) as { events: Array<{ seq: number }> }).events.map((e) => e.seq);
  return [];
}
