import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from './sqlite-store.js';
import { compiledPath } from './testcases/compiled.js';
import { runAndKill } from './testcases/run-and-kill.js';

/**
 * Issue 3: "alarm state survives a restart or a power cut". A child process commits alarm
 * transitions and states through the compiled WorkerStore (as the gateway does) and reports
 * each resolved commit; we SIGKILL it mid-stream, three times, and check after each kill that
 * the alarm's state is the last reported one (or the one commit after it, which may have
 * committed unreported) and that every reported transition is in the journal and waiting in
 * the outbox. The power-cut half rests on synchronous=FULL (docs/store-and-forward.md).
 */
const RUNS = 3;
const script = fileURLToPath(new URL('./testcases/commit-alarms-until-killed.mjs', import.meta.url));

describe('WorkerStore alarm commits under kill -9', () => {
  let dir: string;
  let dbPath: string;
  let modulePath: string;

  beforeAll(async () => {
    modulePath = compiledPath('gateway/store/worker-store.js');
    compiledPath('gateway/store/worker-entry.js');
    dir = await mkdtemp(join(tmpdir(), 'vigil-alarm-kill-'));
    dbPath = join(dir, 'outbox.db');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the last committed state and every reported journal entry, across 3 kills', async () => {
    const reported: { run: number; k: number; seq: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const lines = await runAndKill(script, [modulePath, dbPath, String(run)], `run ${run}`, 15 + run * 30);
      const commits = lines.map(([r, k, seq]) => ({ run: r!, k: k!, seq: seq! }));
      expect(commits.length).toBeGreaterThanOrEqual(15);
      reported.push(...commits);
      const lastK = commits[commits.length - 1]!.k;

      // What the gateway does at start-up after the crash: restore the engine from the store.
      const s = new SqliteStore({ path: dbPath, budgetBytes: 1e12, durability: 'full' });
      await s.open();
      const states = await s.loadAlarmStates();
      const journal = await s.readJournal({ subject: `run-${run}`, limit: 1_000_000 });
      await s.close();
      expect(states).toHaveLength(1);
      expect([run * 1e6 + lastK, run * 1e6 + lastK + 1]).toContain(states[0]!.updatedTs);
      expect(states[0]).toMatchObject({ id: 'gd-01/ch4_high', state: states[0]!.updatedTs % 2 === 0 ? 'unacknowledged' : 'acknowledged' });
      const journaled = new Map(journal.map((e) => [e.seq, e.event.message]));
      for (const c of commits) expect(journaled.get(c.seq), `run ${run} commit ${c.k}`).toBe(`${run} ${c.k}`);
      // The journal holds exactly the commits up to the state's: an entry and its state commit together.
      expect(journal[0]!.event.message).toBe(`${run} ${states[0]!.updatedTs - run * 1e6}`);
    }

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const s = new SqliteStore({ path: dbPath, budgetBytes: 1e12, durability: 'full' });
    await s.open();
    const waiting = new Set((await s.readBatch('event', { afterSeq: 0, limit: 1_000_000 })).map((x) => x.seq));
    await s.close();
    for (const c of reported) expect(waiting.has(c.seq), `run ${c.run} commit ${c.k} waiting in the outbox`).toBe(true);
    // Seqs reported across all runs strictly increase: none was handed out twice.
    for (let i = 1; i < reported.length; i++) expect(reported[i]!.seq).toBeGreaterThan(reported[i - 1]!.seq);
  });
});
