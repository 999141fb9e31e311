import { VigilError, isVigilError } from '../errors.js';

/**
 * Every storage failure reaches callers as one VigilError: STORE_FULL when the disk is full
 * (SQLITE_FULL — the operator must free space), STORE_IO for everything else (a corrupt
 * file, an I/O error on the SD card, a dead worker). The cause's message is kept in ours,
 * so the health fault says what actually happened. Argument errors (TypeError/RangeError
 * from validate.ts) are the caller's bug and are not routed through here.
 */
export function toStoreError(e: unknown, action: string): VigilError {
  if (isVigilError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  const sqliteCode = (e as { code?: unknown } | null)?.code;
  const code = sqliteCode === 'SQLITE_FULL' ? 'STORE_FULL' : 'STORE_IO';
  return new VigilError(
    code,
    `store: ${action} failed: ${message}`,
    typeof sqliteCode === 'string' ? { sqliteCode } : {},
    { cause: e },
  );
}

export function notOpen(state: 'new' | 'closed' | 'dead'): VigilError {
  const why = state === 'new' ? 'has not been opened' : state === 'closed' ? 'is closed' : 'worker has died';
  return new VigilError('STORE_IO', `store: the store ${why}`);
}
