import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VigilError } from '../errors.js';
import { reading } from './store-contract.js';
import type { Store } from './store.js';
import { compiledPath, importCompiled } from './testcases/compiled.js';
import { WorkerStore, type WorkerStoreOptions } from './worker-store.js';

// Behaviour specific to the worker thread: failures crossing the thread boundary, the worker
// dying, close ordering. The Store contract itself runs in stores.test.ts.
describe('WorkerStore', () => {
  let dir: string;
  const stores: Store[] = [];
  const make = (o: Partial<WorkerStoreOptions> = {}) => {
    const s = new WorkerStore({ path: join(dir, 'outbox.db'), budgetBytes: 1_000_000, durability: 'full', ...o });
    stores.push(s);
    return s;
  };

  beforeAll(() => {
    compiledPath('gateway/store/worker-entry.js'); // fails the run on a missing or stale build
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-worker-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a SQLite failure as STORE_IO carrying the cause, and stays closed', async () => {
    const s = make({ path: join(dir, 'no-such-dir', 'outbox.db') });
    await expect(s.open()).rejects.toMatchObject({
      name: 'VigilError',
      code: 'STORE_IO',
      message: expect.stringMatching(/directory does not exist/),
    });
    await expect(s.stats()).rejects.toMatchObject({ code: 'STORE_IO' });
  });

  it('answers calls posted before close(), then rejects later calls', async () => {
    const s = make();
    await s.open();
    const append = s.appendReadings([reading(), reading()]);
    const closed = s.close();
    const stored = await append;
    await closed;
    expect(stored.map((r) => r.seq)).toEqual([1, 2]);
    await expect(s.stats()).rejects.toMatchObject({ code: 'STORE_IO', message: expect.stringMatching(/closed/) });
    // …and what it answered was committed.
    const again = make();
    await again.open();
    expect((await again.stats()).depth.telemetry).toBe(2);
  });

  it('runs the commit off the calling thread: the event loop turns while an append is in flight', async () => {
    const s = make();
    await s.open();
    const batch = Array.from({ length: 5_000 }, (_, i) => reading({ value: i }));
    let turned = false;
    let settledFirst = false;
    const append = s.appendReadings(batch).then(() => {
      settledFirst = !turned;
    });
    setImmediate(() => {
      turned = true;
    });
    await append;
    expect(settledFirst).toBe(false);
    expect((await s.stats()).depth.telemetry).toBe(5_000);
  });

  it('when the worker dies: the pending call and every later call reject with STORE_IO, onFailure fires once, open() recovers', async () => {
    const failures: VigilError[] = [];
    const s = make({ workerUrl: new URL('./testcases/dying-worker.mjs', import.meta.url), onFailure: (e) => failures.push(e) });
    await s.open();
    await expect(s.appendReadings([reading()])).rejects.toMatchObject({
      name: 'VigilError',
      code: 'STORE_IO',
      message: expect.stringMatching(/exited unexpectedly \(exit code 7/),
    });
    await expect(s.stats()).rejects.toMatchObject({ code: 'STORE_IO', message: expect.stringMatching(/worker has died/) });
    await expect(s.acknowledge([1])).rejects.toMatchObject({ code: 'STORE_IO' });
    expect(failures).toHaveLength(1);
    expect(failures[0]!.code).toBe('STORE_IO');
    await s.open(); // a fresh worker
    expect((await s.stats()).lastSeq).toBe(0);
  });

  it('ships working from dist/: the compiled WorkerStore finds worker-entry.js beside itself', async () => {
    const { WorkerStore: Compiled } = await importCompiled<typeof import('./worker-store.js')>('gateway/store/worker-store.js');
    const s = new Compiled({ path: join(dir, 'dist.db'), budgetBytes: 1_000_000, durability: 'full' });
    stores.push(s);
    await s.open();
    const [stored] = await s.appendReadings([reading({ value: '故障' })]);
    const [item] = await s.readBatch('telemetry', { afterSeq: 0, limit: 1 });
    expect(item).toMatchObject({ seq: stored!.seq, reading: { value: '故障' } });
  });
});
