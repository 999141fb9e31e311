// A stand-in for worker-entry that answers open/stats/close like the real one but dies
// (process.exit inside a worker ends only the thread) on the first append, without
// answering — the way a native crash or an OOM would take the real worker down.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', (req) => {
  if (req.method === 'appendReadings' || req.method === 'appendEvents') process.exit(7);
  const result =
    req.method === 'stats'
      ? { depth: { telemetry: 0, event: 0 }, bytes: 0, budgetBytes: 1, evicted: 0, oldestTs: null, lastSeq: 0 }
      : undefined;
  parentPort.postMessage({ id: req.id, ok: true, result });
});
