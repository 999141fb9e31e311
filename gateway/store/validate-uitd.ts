import type { StoredUitdItem, StoredUitdPriority } from './store.js';

/**
 * Argument checks for the UITD send-queue methods, run on the calling thread before anything
 * is written (as validate.ts and validate-alarms.ts do): a TypeError/RangeError names the
 * item id and the field, so a bug in the link reads as one, not as a STORE_IO fault.
 */

export const UITD_STORED_PRIORITIES: readonly StoredUitdPriority[] = ['fire', 'status', 'other'];

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number' || typeof v === 'bigint') return typeof v === 'bigint' ? `${v}n` : String(v);
  if (v instanceof Uint8Array) return `a ${v.constructor.name} of ${v.byteLength} bytes`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

function checkId(id: unknown, what: string): asserts id is string {
  if (typeof id !== 'string' || id.trim() === '') {
    throw new TypeError(`store: ${what} needs an id (a non-empty string), got ${show(id)}`);
  }
}

export function checkUitdItem(item: StoredUitdItem): void {
  if (typeof item !== 'object' || item === null) {
    throw new TypeError(`store: UITD queue item must be an object {id, priority, adu, createdTs}, got ${show(item)}`);
  }
  const it = item as Partial<Record<keyof StoredUitdItem, unknown>>;
  checkId(it.id, 'UITD queue item');
  const where = `store: UITD queue item ${JSON.stringify(it.id)}`;
  if (typeof it.priority !== 'string' || !(UITD_STORED_PRIORITIES as readonly string[]).includes(it.priority)) {
    throw new TypeError(`${where}: priority must be one of ${UITD_STORED_PRIORITIES.join(', ')}, got ${show(it.priority)}`);
  }
  // A Uint8Array is accepted too (a Buffer is one): it is what a Buffer becomes across postMessage.
  if (!(it.adu instanceof Uint8Array) || it.adu.byteLength === 0) {
    throw new TypeError(`${where}: adu must be a non-empty Buffer, got ${show(it.adu)}`);
  }
  if (typeof it.createdTs !== 'number' || !Number.isSafeInteger(it.createdTs)) {
    throw new RangeError(`${where}: createdTs must be a whole number of ms since the epoch, got ${show(it.createdTs)}`);
  }
}

export function checkUitdId(id: string): void {
  checkId(id, 'UITD queue remove');
}

/** A Buffer over the same bytes (no copy): what comes back from a worker is a plain Uint8Array. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
