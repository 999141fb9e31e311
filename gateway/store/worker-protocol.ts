import type { VigilErrorCode } from '../errors.js';
import type { OutboxCore } from './outbox-core.js';

/**
 * Messages between WorkerStore (main thread) and worker-entry (the thread that owns SQLite).
 * A request names an OutboxCore method; the worker answers each request id exactly once,
 * in the order received (it handles one message at a time, so appends commit in call order).
 */
export type Method = keyof OutboxCore;

export const METHODS: readonly Method[] = [
  'open',
  'close',
  'appendReadings',
  'appendEvents',
  'readBatch',
  'readMessage',
  'acknowledge',
  'stats',
  'commitAlarms',
  'loadAlarmStates',
  'readJournal',
  'uitdQueueLoad',
  'uitdQueueAdd',
  'uitdQueueRemove',
  'getRuntimeState',
  'putRuntimeState',
];

export interface Request {
  id: number;
  method: Method;
  args: unknown[];
}

/** A VigilError flattened for postMessage (class identity does not survive structured clone). */
export interface WireError {
  code: VigilErrorCode;
  message: string;
  details: Record<string, unknown>;
}

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: WireError };
