import { QUALITIES, type Reading } from '../readings.js';
import type { GatewayEvent, MessageEnvelope, Stream } from './store.js';

/**
 * Argument checks shared by every store, run before anything is written. A bad argument is
 * a bug in the caller, not a storage failure, so it is a TypeError/RangeError (as Node's own
 * ERR_INVALID_ARG_* are) rather than a VigilError('STORE_IO') that would raise a health fault.
 * WorkerStore runs these on the main thread so the error is the same for every store.
 */

const SEVERITIES: ReadonlySet<string> = new Set(['info', 'warning', 'fault', 'alarm']);

function fail(what: string, index: number, value: unknown): never {
  throw new TypeError(`store: ${what} at index ${index} is invalid: ${JSON.stringify(value)}`);
}

export function checkBudget(budgetBytes: number): void {
  if (!Number.isSafeInteger(budgetBytes) || budgetBytes <= 0) {
    throw new RangeError(`store: budgetBytes must be a positive integer, got ${String(budgetBytes)}`);
  }
}

export function checkReadings(readings: readonly Reading[]): void {
  readings.forEach((r, i) => {
    if (typeof r.device !== 'string' || typeof r.point !== 'string') fail('reading device/point', i, r);
    if (!Number.isFinite(r.ts)) fail('reading ts', i, r.ts);
    if (!QUALITIES.includes(r.quality)) fail('reading quality', i, r.quality);
    if (typeof r.clockTrusted !== 'boolean') fail('reading clockTrusted', i, r.clockTrusted);
    const t = typeof r.value;
    if (r.value !== null && t !== 'number' && t !== 'boolean' && t !== 'string') fail('reading value', i, r.value);
  });
}

export function checkEvents(events: readonly GatewayEvent[]): void {
  events.forEach((e, i) => {
    if (typeof e.type !== 'string' || e.type === '') fail('event type', i, e.type);
    if (!SEVERITIES.has(e.severity)) fail('event severity', i, e.severity);
    if (!Number.isFinite(e.ts)) fail('event ts', i, e.ts);
    if (typeof e.clockTrusted !== 'boolean') fail('event clockTrusted', i, e.clockTrusted);
    if (typeof e.message !== 'string') fail('event message', i, e.message);
  });
}

export interface BatchOpts {
  afterSeq: number;
  upToSeq?: number;
  limit: number;
}

export function checkBatch(stream: Stream, opts: BatchOpts): void {
  if (stream !== 'telemetry' && stream !== 'event') throw new TypeError(`store: unknown stream ${JSON.stringify(stream)}`);
  if (!Number.isSafeInteger(opts.afterSeq) || opts.afterSeq < 0) {
    throw new RangeError(`store: afterSeq must be an integer >= 0, got ${String(opts.afterSeq)}`);
  }
  if (opts.upToSeq !== undefined && (!Number.isSafeInteger(opts.upToSeq) || opts.upToSeq < 0)) {
    throw new RangeError(`store: upToSeq must be an integer >= 0, got ${String(opts.upToSeq)}`);
  }
  // limit 0 is allowed (a forwarder with a full in-flight window asks for nothing).
  if (!Number.isSafeInteger(opts.limit) || opts.limit < 0) {
    throw new RangeError(`store: limit must be an integer >= 0, got ${String(opts.limit)}`);
  }
}

export function checkSeqs(seqs: readonly number[]): void {
  seqs.forEach((s, i) => {
    if (!Number.isSafeInteger(s)) fail('seq', i, s);
  });
}

/** readMessage's envelope: a bad one is the caller's bug, reported before the store is asked. */
export function checkEnvelope(envelope: MessageEnvelope): void {
  const { site, gateway, historical } = envelope ?? ({} as Partial<MessageEnvelope>);
  if (typeof site !== 'string' || site === '' || typeof gateway !== 'string' || gateway === '' || typeof historical !== 'boolean') {
    throw new TypeError(`store: message envelope needs site and gateway (non-empty strings) and historical (boolean), got ${JSON.stringify(envelope)}`);
  }
}
