import type { Reading, StoredReading } from '../readings.js';
import type { GatewayEvent, OutboxItem, StoredEvent, Stream } from './store.js';

/**
 * How one outbox record is encoded and how big it counts. Every store (SQLite, worker,
 * memory) goes through these functions, so a record costs the same number of bytes, and
 * round-trips to the same value, whichever store holds it.
 */

/**
 * Bytes a record counts for, beyond its JSON payload: what SQLite spends on the row besides
 * the payload text — rowid, record header, the stream/ts/bytes columns, the (stream, id)
 * index entry, cell pointers and page slack. Measured (testcases/measure-row.mjs, 1,000,000
 * typical readings, file size after checkpoint): 189.5 B/row on disk for a 128.7 B mean
 * payload → 60.8 B overhead. Rounded up so the budget errs towards using less disk, not more.
 * docs/store-and-forward.md "How big is a row" has the numbers.
 */
export const ROW_OVERHEAD_BYTES = 64;

/** One stored row, as both the SQLite table and the memory store hold it. */
export interface OutboxRow {
  seq: number;
  stream: Stream;
  ts: number;
  payload: string;
  bytes: number;
}

/** A row about to be written (the seq is assigned by the store). */
export type NewRow = Omit<OutboxRow, 'seq'>;

// JSON has no NaN, ±Infinity or -0: JSON.stringify turns the first three into null and the
// last into 0, silently changing a legally required record. A PointValue is never an object,
// so a number JSON cannot carry is written as {"num":"NaN"} and decoded back exactly.
type EncodedValue = Reading['value'] | { num: 'NaN' | 'Infinity' | '-Infinity' | '-0' };

function encodeValue(v: Reading['value']): EncodedValue {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return { num: 'NaN' };
  if (v === Infinity) return { num: 'Infinity' };
  if (v === -Infinity) return { num: '-Infinity' };
  if (Object.is(v, -0)) return { num: '-0' };
  return v;
}

function decodeValue(v: EncodedValue): Reading['value'] {
  if (v === null || typeof v !== 'object') return v;
  switch (v.num) {
    case 'NaN':
      return NaN;
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case '-0':
      return -0;
  }
}

function byteLength(payload: string): number {
  return Buffer.byteLength(payload, 'utf8') + ROW_OVERHEAD_BYTES;
}

export function encodeReading(r: Reading): NewRow {
  // Explicit field list: a caller's extra properties (or a seq from an earlier life) are not
  // persisted, and the payload has one stable shape.
  const payload = JSON.stringify({
    device: r.device,
    point: r.point,
    value: encodeValue(r.value),
    unit: r.unit,
    quality: r.quality,
    ts: r.ts,
    clockTrusted: r.clockTrusted,
  });
  return { stream: 'telemetry', ts: r.ts, payload, bytes: byteLength(payload) };
}

export function encodeEvent(e: GatewayEvent): NewRow {
  const payload = JSON.stringify({
    type: e.type,
    severity: e.severity,
    ts: e.ts,
    clockTrusted: e.clockTrusted,
    message: e.message,
    device: e.device,
    point: e.point,
    data: e.data,
  });
  return { stream: 'event', ts: e.ts, payload, bytes: byteLength(payload) };
}

export function decodeRow(row: OutboxRow): OutboxItem {
  const parsed = JSON.parse(row.payload) as Record<string, unknown>;
  if (row.stream === 'telemetry') {
    const reading: StoredReading = {
      ...(parsed as unknown as Reading),
      value: decodeValue(parsed['value'] as EncodedValue),
      seq: row.seq,
    };
    return { stream: 'telemetry', seq: row.seq, bytes: row.bytes, reading };
  }
  const event: StoredEvent = { ...(parsed as unknown as GatewayEvent), seq: row.seq };
  return { stream: 'event', seq: row.seq, bytes: row.bytes, event };
}
