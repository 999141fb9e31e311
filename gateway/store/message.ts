import { decodeRow, type OutboxRow } from './codec.js';
import type { Stream } from './store.js';

/**
 * The forwarder's message text for one batch, built where the rows are read (the store worker),
 * so the main thread — the alarm path's event loop (DESIGN.md principle 1) — receives one
 * string per batch instead of parsing, cloning, rebuilding and stringifying every record.
 *
 * The text must be byte-for-byte what gateway/forward/payloads.ts produces with
 * `encode(batchPayload(origin, historical, items))` for the same records: payloads.ts (its zod
 * schemas) stays the definition of the wire format; this is a fast way to produce it, and the
 * store contract suite (store-contract.ts "readMessage") compares the two for every value type
 * and optional field. It is duplicated here rather than imported so the store (and its worker
 * thread) does not load the forwarder and zod.
 */

/** gateway/forward/payloads.ts PAYLOAD_VERSION (the contract test fails if they differ). */
const PAYLOAD_VERSION = 1;

/** What the message envelope says besides the records. */
export interface MessageEnvelope {
  site: string;
  gateway: string;
  /** Backlog replayed (true) or live records (false); one flag for the whole message. */
  historical: boolean;
}

/** One ready-to-publish message: the seqs it carries (ascending) and its JSON text. */
export interface EncodedMessage {
  seqs: number[];
  /** UTF-8 size of `json`: what the MQTT payload will weigh. */
  bytes: number;
  json: string;
}

/** Null when there are no rows (nothing waits). Rows are of `stream`, in seq order. */
export function encodeMessage(stream: Stream, rows: readonly OutboxRow[], env: MessageEnvelope): EncodedMessage | null {
  if (rows.length === 0) return null;
  const seqs: number[] = [];
  const parts: string[] = [];
  for (const row of rows) {
    seqs.push(row.seq);
    parts.push(row.stream === 'telemetry' ? readingJson(row) : eventJson(row));
  }
  const key = stream === 'telemetry' ? 'readings' : 'events';
  const json =
    `{"v":${PAYLOAD_VERSION},"site":${JSON.stringify(env.site)},"gateway":${JSON.stringify(env.gateway)},` +
    `"historical":${env.historical ? 'true' : 'false'},"${key}":[${parts.join(',')}]}`;
  return { seqs, bytes: Buffer.byteLength(json, 'utf8'), json };
}

// Why splicing the stored text is exact. codec.ts stores JSON.stringify of a fixed field list,
// and JSON.stringify(JSON.parse(s)) === s for any s JSON.stringify produced, so a stored value's
// text is already its wire text. What differs is only the order of the keys and the seq:
//   stored reading  {"device","point","value","unit"?,"quality","ts","clockTrusted"}
//   wire reading    {"seq","device","point","value","quality","ts","clockTrusted","unit"?}
//   stored event    {"type","severity","ts","clockTrusted","message","device"?,"point"?,"data"?}
//   wire event      {"seq", then the same keys in the same order}
// Markers such as `,"unit":` are searched for including the opening quote: inside a JSON string
// every `"` is escaped as `\"`, so a `"` that follows `,` is structural and starts a key. The
// value is the only field that can be an object (codec.ts's {"num":"NaN"} for numbers JSON
// cannot carry); such rows, and any shape not recognised, go through the slow path.

function readingJson(row: OutboxRow): string {
  const p = row.payload;
  if (!p.startsWith('{"device":') || p.includes(',"value":{')) return slowReading(row);
  const q = p.lastIndexOf(',"quality":');
  if (q < 0) return slowReading(row);
  const u = p.indexOf(',"unit":');
  if (u < 0) return `{"seq":${row.seq},${p.slice(1)}`;
  if (u > q) return slowReading(row);
  // Move `,"unit":…` from before quality to the end.
  return `{"seq":${row.seq},${p.slice(1, u)}${p.slice(q, -1)}${p.slice(u, q)}}`;
}

function eventJson(row: OutboxRow): string {
  const p = row.payload;
  if (!p.startsWith('{"type":')) return slowEvent(row);
  return `{"seq":${row.seq},${p.slice(1)}`;
}

/** payloads.ts readingPayload: NaN and ±Infinity go out as null ("no value"), -0 as 0 (JSON.stringify). */
function slowReading(row: OutboxRow): string {
  const item = decodeRow(row);
  if (item.stream !== 'telemetry') throw new TypeError(`store: row ${row.seq} is not telemetry`);
  const r = item.reading;
  const out: Record<string, unknown> = {
    seq: r.seq,
    device: r.device,
    point: r.point,
    value: typeof r.value === 'number' && !Number.isFinite(r.value) ? null : r.value,
    quality: r.quality,
    ts: r.ts,
    clockTrusted: r.clockTrusted,
  };
  if (r.unit !== undefined) out['unit'] = r.unit;
  return JSON.stringify(out);
}

/** payloads.ts eventPayload. */
function slowEvent(row: OutboxRow): string {
  const item = decodeRow(row);
  if (item.stream !== 'event') throw new TypeError(`store: row ${row.seq} is not an event`);
  const e = item.event;
  const out: Record<string, unknown> = {
    seq: e.seq,
    type: e.type,
    severity: e.severity,
    ts: e.ts,
    clockTrusted: e.clockTrusted,
    message: e.message,
  };
  if (e.device !== undefined) out['device'] = e.device;
  if (e.point !== undefined) out['point'] = e.point;
  if (e.data !== undefined) out['data'] = e.data;
  return JSON.stringify(out);
}
