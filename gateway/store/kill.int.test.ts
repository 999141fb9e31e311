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
 * "Committed" means it survives kill -9: a child process appends through SqliteStore
 * (durability full) and reports each commit; we SIGKILL it mid-stream, five times, and check
 * that every reported reading is on disk, intact, and that seqs never go backwards across
 * restarts. (A power cut cannot be simulated here; see docs/store-and-forward.md.)
 */
const RUNS = 5;
const BATCH = 5; // testcases/append-until-killed.mjs
const RUN_TIMEOUT_MS = 5_000;

interface Commit {
  run: number;
  batch: number;
  first: number;
  last: number;
}

/** Starts the child, kills it with SIGKILL after `killAfter` reported commits, returns what it reported. */
async function runAndKillAppender(modulePath: string, dbPath: string, run: number, killAfter: number): Promise<Commit[]> {
  const script = fileURLToPath(new URL('./testcases/append-until-killed.mjs', import.meta.url));
  const lines = await runAndKill(script, [modulePath, dbPath, String(run)], `run ${run}`, killAfter, RUN_TIMEOUT_MS);
  return lines.map(([r, b, f, l]) => ({ run: r!, batch: b!, first: f!, last: l! }));
}

describe('SqliteStore under kill -9', () => {
  let dir: string;
  let dbPath: string;
  let modulePath: string;

  beforeAll(async () => {
    modulePath = compiledPath('gateway/store/sqlite-store.js');
    dir = await mkdtemp(join(tmpdir(), 'vigil-kill-'));
    dbPath = join(dir, 'outbox.db');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every reported commit intact and never reuses a seq, across 5 kills', async () => {
    const all: Commit[] = [];
    let lastSeqBefore = 0;
    for (let run = 0; run < RUNS; run++) {
      // Kill at a different point each run (after 20–200 commits), mid-stream.
      const commits = await runAndKillAppender(modulePath, dbPath, run, 20 + run * 45);
      expect(commits.length).toBeGreaterThanOrEqual(20);
      // The restarted process continued above everything committed before it.
      expect(commits[0]!.first).toBeGreaterThan(lastSeqBefore);
      all.push(...commits);

      const s = new SqliteStore({ path: dbPath, budgetBytes: 1e12, durability: 'full' });
      await s.open(); // recovers the WAL left by the killed process
      const st = await s.stats();
      await s.close();
      expect(st.lastSeq).toBeGreaterThanOrEqual(commits[commits.length - 1]!.last);
      lastSeqBefore = st.lastSeq;
    }

    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const s = new SqliteStore({ path: dbPath, budgetBytes: 1e12, durability: 'full' });
    await s.open();
    const bySeq = new Map<number, unknown>();
    for (let after = 0; ; ) {
      const items = await s.readBatch('telemetry', { afterSeq: after, limit: 5_000 });
      if (items.length === 0) break;
      for (const it of items) if (it.stream === 'telemetry') bySeq.set(it.seq, it.reading);
      after = items[items.length - 1]!.seq;
    }
    await s.close();

    for (const c of all) {
      expect(c.last - c.first).toBe(BATCH - 1);
      for (let i = 0; i < BATCH; i++) {
        expect(bySeq.get(c.first + i), `run ${c.run} batch ${c.batch} reading ${i}`).toEqual({
          device: `run-${c.run}`,
          point: `p${i}`,
          value: c.batch * 10 + i,
          unit: 'ppm',
          quality: 'good',
          ts: 1_700_000_000_000 + c.batch,
          clockTrusted: true,
          seq: c.first + i,
        });
      }
    }
    // Seqs reported across all runs are strictly increasing: none was handed out twice.
    const firsts = all.map((c) => c.first);
    for (let i = 1; i < firsts.length; i++) expect(firsts[i]).toBeGreaterThan(firsts[i - 1]!);
  });
});
