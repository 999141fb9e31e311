import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store.js';
import { SqliteStore } from './sqlite-store.js';
import { describeStoreContract } from './store-contract.js';
import { compiledPath } from './testcases/compiled.js';
import { WorkerStore } from './worker-store.js';

describeStoreContract('MemoryStore', ({ budgetBytes }) => new MemoryStore({ budgetBytes }));

describeStoreContract(
  'SqliteStore (durability full)',
  ({ budgetBytes, dir }) => new SqliteStore({ path: join(dir, 'outbox.db'), budgetBytes, durability: 'full' }),
  { persistent: true },
);

describeStoreContract(
  'SqliteStore (durability normal)',
  ({ budgetBytes, dir }) => new SqliteStore({ path: join(dir, 'outbox.db'), budgetBytes, durability: 'normal' }),
  { persistent: true },
);

// WorkerStore from source spawns the compiled worker entry in dist/ (Node 20 cannot run .ts
// in a Worker; see workerEntryUrl). compiledPath fails the run if dist/ is missing or stale.
describe('WorkerStore prerequisites', () => {
  it('has a fresh compiled worker entry in dist/', () => {
    expect(compiledPath('gateway/store/worker-entry.js')).toMatch(/worker-entry\.js$/);
  });
});

describeStoreContract(
  'WorkerStore',
  ({ budgetBytes, dir }) => {
    compiledPath('gateway/store/worker-entry.js');
    return new WorkerStore({ path: join(dir, 'outbox.db'), budgetBytes, durability: 'full' });
  },
  { persistent: true },
);
