import { z } from 'zod';
import { QUALITIES } from '../readings.js';
import type { StoredReading } from '../readings.js';
import type { OutboxItem, StoredEvent } from '../store/store.js';

/**
 * The JSON payloads the forwarder publishes. These zod schemas are the single source of truth:
 * the builders below are type-checked against them, tests parse real payloads with them, and
 * docs/schemas/*.schema.json are generated from them (json-schemas.ts) with a test that fails
 * when the files are out of date.
 *
 * Compatibility: `v` changes only on an incompatible change. Field names are spelled out (no
 * single-letter keys) so a payload read off the wire explains itself; batching, not short
 * keys, is what keeps the overhead per reading small.
 */
export const PAYLOAD_VERSION = 1 as const;

const Seq = z.number().int().min(1).describe('Per-gateway sequence number; strictly increasing, never reused. Dedupe by (gateway, seq).');
const Ts = z.number().int().describe('Wall-clock time, ms since the Unix epoch');
const ClockTrusted = z
  .boolean()
  .describe('Whether the gateway clock was trustworthy (NTP-synchronised or vouched for) when ts was taken');

const Envelope = {
  v: z.literal(PAYLOAD_VERSION).describe('Payload format version'),
  site: z.string().min(1).describe('Site id'),
  gateway: z.string().min(1).describe('Gateway id'),
};

const Historical = z
  .boolean()
  .describe(
    'false: live records, committed after the current connection was made. true: backlog replayed after an outage or restart (the gap filling in behind live data).',
  );

export const ReadingPayloadSchema = z
  .strictObject({
    seq: Seq,
    device: z.string().min(1),
    point: z.string().min(1),
    value: z.union([z.number(), z.boolean(), z.string(), z.null()]).describe('null when no value could be decoded'),
    unit: z.string().optional(),
    quality: z.enum(QUALITIES as [string, ...string[]]),
    ts: Ts,
    clockTrusted: ClockTrusted,
  })
  .describe('One reading');

export const TelemetryPayloadSchema = z
  .strictObject({
    ...Envelope,
    historical: Historical,
    readings: z.array(ReadingPayloadSchema).min(1).describe('In ascending seq order'),
  })
  .describe('Vigil telemetry message: a batch of readings (topic <prefix>/<site>/<gateway>/telemetry, QoS 1)');

export const EventPayloadSchema = z
  .strictObject({
    seq: Seq,
    type: z.string().min(1).describe('Dotted kind, e.g. device.comm-fault, store.evicted, gateway.started'),
    severity: z.enum(['info', 'warning', 'fault', 'alarm']),
    ts: Ts,
    clockTrusted: ClockTrusted,
    message: z.string(),
    device: z.string().optional(),
    point: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('One gateway event');

export const EventsPayloadSchema = z
  .strictObject({
    ...Envelope,
    historical: Historical,
    events: z.array(EventPayloadSchema).min(1).describe('In ascending seq order'),
  })
  .describe('Vigil events message: a batch of gateway events (topic <prefix>/<site>/<gateway>/events, QoS 1)');

const BdSeq = z
  .number()
  .int()
  .min(0)
  .describe('Birth/death sequence (Sparkplug practice): one value per connection; a death whose bdSeq differs from the current birth is stale and must be ignored');

export const OnlineStateSchema = z.strictObject({
  ...Envelope,
  state: z.literal('online'),
  bdSeq: BdSeq,
  ts: Ts,
  clockTrusted: ClockTrusted,
  version: z.string().optional().describe('Gateway software version'),
});

export const OfflineStateSchema = z.strictObject({
  ...Envelope,
  state: z.literal('offline'),
  bdSeq: BdSeq,
  reason: z
    .enum(['connection-lost', 'shutdown'])
    .describe('connection-lost: the broker published the last will; shutdown: the gateway said goodbye'),
  ts: Ts.optional().describe('Present on a clean shutdown; absent in the last will (fixed when the connection was made)'),
});

export const StatePayloadSchema = z
  .discriminatedUnion('state', [OnlineStateSchema, OfflineStateSchema])
  .describe('Vigil gateway state (topic <prefix>/<site>/<gateway>/state, QoS 1, retained): birth or death');

export type ReadingPayload = z.infer<typeof ReadingPayloadSchema>;
export type TelemetryPayload = z.infer<typeof TelemetryPayloadSchema>;
export type EventPayload = z.infer<typeof EventPayloadSchema>;
export type EventsPayload = z.infer<typeof EventsPayloadSchema>;
export type OnlineState = z.infer<typeof OnlineStateSchema>;
export type OfflineState = z.infer<typeof OfflineStateSchema>;
export type StatePayload = z.infer<typeof StatePayloadSchema>;

export interface Origin {
  site: string;
  gateway: string;
}

function readingPayload(r: StoredReading): ReadingPayload {
  const out: ReadingPayload = {
    seq: r.seq,
    device: r.device,
    point: r.point,
    // JSON has no NaN/Infinity: say "no value" rather than let JSON.stringify invent a null silently.
    value: typeof r.value === 'number' && !Number.isFinite(r.value) ? null : r.value,
    quality: r.quality,
    ts: r.ts,
    clockTrusted: r.clockTrusted,
  };
  if (r.unit !== undefined) out.unit = r.unit;
  return out;
}

function eventPayload(e: StoredEvent): EventPayload {
  const out: EventPayload = {
    seq: e.seq,
    type: e.type,
    severity: e.severity,
    ts: e.ts,
    clockTrusted: e.clockTrusted,
    message: e.message,
  };
  if (e.device !== undefined) out.device = e.device;
  if (e.point !== undefined) out.point = e.point;
  if (e.data !== undefined) out.data = e.data;
  return out;
}

export function telemetryPayload(origin: Origin, historical: boolean, readings: readonly StoredReading[]): TelemetryPayload {
  return { v: PAYLOAD_VERSION, site: origin.site, gateway: origin.gateway, historical, readings: readings.map(readingPayload) };
}

export function eventsPayload(origin: Origin, historical: boolean, events: readonly StoredEvent[]): EventsPayload {
  return { v: PAYLOAD_VERSION, site: origin.site, gateway: origin.gateway, historical, events: events.map(eventPayload) };
}

export function onlineState(origin: Origin, o: { bdSeq: number; ts: number; clockTrusted: boolean; version?: string }): OnlineState {
  const out: OnlineState = {
    v: PAYLOAD_VERSION,
    site: origin.site,
    gateway: origin.gateway,
    state: 'online',
    bdSeq: o.bdSeq,
    ts: o.ts,
    clockTrusted: o.clockTrusted,
  };
  if (o.version !== undefined) out.version = o.version;
  return out;
}

/** The death certificate: `ts` only when the gateway sends it itself (a will is composed at connect time). */
export function offlineState(origin: Origin, o: { bdSeq: number; reason: OfflineState['reason']; ts?: number }): OfflineState {
  const out: OfflineState = {
    v: PAYLOAD_VERSION,
    site: origin.site,
    gateway: origin.gateway,
    state: 'offline',
    bdSeq: o.bdSeq,
    reason: o.reason,
  };
  if (o.ts !== undefined) out.ts = o.ts;
  return out;
}

export function encode(payload: TelemetryPayload | EventsPayload | StatePayload): Buffer {
  return Buffer.from(JSON.stringify(payload), 'utf8');
}

/** The payload for one batch of outbox items (all of one stream, all live or all historical). */
export function batchPayload(origin: Origin, historical: boolean, items: readonly OutboxItem[]): TelemetryPayload | EventsPayload {
  const first = items[0];
  if (first?.stream === 'event') {
    return eventsPayload(origin, historical, items.map((i) => (i.stream === 'event' ? i.event : unexpected(i.stream))));
  }
  return telemetryPayload(origin, historical, items.map((i) => (i.stream === 'telemetry' ? i.reading : unexpected(i.stream))));
}

function unexpected(stream: string): never {
  throw new TypeError(`a batch mixes streams (found ${stream})`);
}
