// Child process for kill.int.test.ts: appends batches of readings through the compiled
// SqliteStore (durability full) until it is killed, and after each commit prints
// "<run> <batch> <firstSeq> <lastSeq>" with a synchronous write, so every line the parent
// sees names readings that were committed before the line was written.
// Usage: node append-until-killed.mjs <sqlite-store.js> <db path> <run>
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath, dbPath, runArg] = process.argv.slice(2);
const run = Number(runArg);
const { SqliteStore } = await import(pathToFileURL(modulePath).href);
const store = new SqliteStore({ path: dbPath, budgetBytes: 1e12, durability: 'full' });
await store.open();

const BATCH = 5;
// Bounded: the parent kills us long before this; if it never does, we stop by ourselves.
for (let batch = 0; batch < 200_000; batch++) {
  const readings = Array.from({ length: BATCH }, (_, i) => ({
    device: `run-${run}`,
    point: `p${i}`,
    value: batch * 10 + i,
    unit: 'ppm',
    quality: 'good',
    ts: 1_700_000_000_000 + batch,
    clockTrusted: true,
  }));
  const stored = await store.appendReadings(readings);
  writeSync(1, `${run} ${batch} ${stored[0].seq} ${stored[stored.length - 1].seq}\n`);
}
await store.close();
