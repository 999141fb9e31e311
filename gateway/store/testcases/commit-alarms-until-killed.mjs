// Child process for alarm-kill.int.test.ts: the alarm engine's commits through the compiled
// WorkerStore (SQLite in a worker thread, durability full), until it is killed. Commit k
// journals one transition under subject "run-<run>" and replaces the state of alarm
// "gd-01/ch4_high" with updatedTs = run * 1e6 + k; after it resolves, a synchronous write
// prints "<run> <k> <seq>", so every line the parent sees names a commit that had resolved.
// Usage: node commit-alarms-until-killed.mjs <worker-store.js> <db path> <run>
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, dbPath, runArg] = process.argv.slice(2);
const run = Number(runArg);
const { WorkerStore } = await import(pathToFileURL(modulePath).href);
const store = new WorkerStore({ path: dbPath, budgetBytes: 1e12, durability: 'full' });
await store.open();

const T0 = 1_732_300_000_000;
for (let k = 0; k < 200_000; k++) {
  const ts = T0 + run * 1e6 + k;
  const entry = {
    subject: `run-${run}`,
    event: { type: 'alarm.transition', severity: 'alarm', ts, clockTrusted: true, message: `${run} ${k}`, data: { run, k } },
  };
  const state = {
    id: 'gd-01/ch4_high',
    state: k % 2 === 0 ? 'unacknowledged' : 'acknowledged',
    conditionActive: true,
    latchPending: true,
    pendingSince: null,
    shelvedUntil: null,
    occurrence: { id: `gd-01/ch4_high@${T0}`, detectedTs: T0, firstValue: 26.4, peakValue: 31, notes: [] },
    updatedTs: run * 1e6 + k,
  };
  const [stored] = await store.commitAlarms([entry], [state]);
  writeSync(1, `${run} ${k} ${stored.seq}\n`);
}
await store.close();
