import { parentPort, workerData } from 'node:worker_threads';
import { SqliteOutbox, type SqliteStoreOptions } from './sqlite-outbox.js';
import { toStoreError } from './store-error.js';
import { METHODS, type Request, type Response } from './worker-protocol.js';

/**
 * The worker thread behind WorkerStore: it owns the SQLite connection and runs the same
 * SqliteOutbox as SqliteStore, so commits (and their fsyncs) block this thread, never the
 * event loop that runs the alarm path. Arguments were validated on the main thread.
 */
if (!parentPort) throw new Error('worker-entry must run in a worker thread (see worker-store.ts)');
const port = parentPort;
const core = new SqliteOutbox(workerData as SqliteStoreOptions);

port.on('message', (req: Request) => {
  let res: Response;
  try {
    if (!METHODS.includes(req.method)) throw new Error(`unknown method ${String(req.method)}`);
    const fn = core[req.method] as (...args: unknown[]) => unknown;
    res = { id: req.id, ok: true, result: fn.apply(core, req.args) };
  } catch (e) {
    const err = toStoreError(e, String(req.method));
    res = { id: req.id, ok: false, error: { code: err.code, message: err.message, details: err.details } };
  }
  port.postMessage(res);
});
