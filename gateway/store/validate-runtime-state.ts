/**
 * Argument checks for getRuntimeState/putRuntimeState, run on the calling thread before
 * anything is written (as validate.ts and validate-uitd.ts do): a TypeError names the key and
 * the field, so a bug in the caller reads as one, not as a STORE_IO fault.
 */

function show(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'number') return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}

export function checkRuntimeStateKey(key: string): void {
  if (typeof key !== 'string' || key.trim() === '') {
    throw new TypeError(`store: runtime state key must be a non-empty string, got ${show(key)}`);
  }
}

export function checkRuntimeStateValue(key: string, value: string): void {
  if (typeof value !== 'string') {
    const shown = typeof value === 'object' && value !== null ? (Array.isArray(value) ? 'an array' : 'an object') : show(value);
    throw new TypeError(`store: runtime state ${JSON.stringify(key)}: value must be a string (serialize it first), got ${shown}`);
  }
}
