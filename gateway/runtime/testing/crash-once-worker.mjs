// A store worker that dies on its first append — as a native crash or an OOM would take the
// real worker down — and, once restarted, is the real worker. The marker file (its path in
// VIGIL_TEST_CRASH_MARKER) remembers that the crash has happened.
import { existsSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

const marker = process.env.VIGIL_TEST_CRASH_MARKER;
if (!marker) throw new Error('VIGIL_TEST_CRASH_MARKER is not set');
if (!existsSync(marker)) {
  // Wrap the real entry's message listener (rather than adding one before it, which would
  // start the port and let early messages pass before the real listener exists).
  const on = parentPort.on.bind(parentPort);
  parentPort.on = (event, listener) =>
    on(event, event !== 'message' ? listener : (req) => {
      if (req.method === 'appendReadings' || req.method === 'appendEvents') {
        writeFileSync(marker, 'crashed');
        process.exit(7);
      }
      listener(req);
    });
}
await import(new URL('../../../dist/gateway/store/worker-entry.js', import.meta.url).href);
