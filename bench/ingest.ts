/**
 * Bench 1 — decode → store, readings/s.
 *
 * Raw Modbus words of a realistic point mix (support/point-mix.ts) are decoded with
 * decodeRegisters and committed to the outbox in batches the size the runtime makes (all
 * readings of one event-loop turn; IngestBatcher caps a transaction at 5,000), with
 * durability 'full' (synchronous=FULL, the gateway default). Two stores:
 * - SqliteStore: the outbox in the calling thread (each commit blocks the loop);
 * - WorkerStore: the same outbox in a worker thread — what the gateway uses. Like
 *   IngestBatcher, one transaction is in flight at a time while the next batch is decoded.
 * Target ≥ 100,000 readings/s. Also reports the bytes a row costs.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteStore, WorkerStore, type Store } from '../gateway/store/index.js';
import { ReadingSource } from './support/point-mix.js';
import { installCleanupHooks, isMain, makeTempDir, removeTempDir } from './support/proc.js';
import { fmtInt, median, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const TARGET = 100_000;

interface RunResult {
  rate: number;
  budgetBytesPerRow: number;
  fileBytesPerRow: number;
  evicted: number;
}

function fileSize(p: string): number {
  try {
    return statSync(p).size;
  } catch {
    return 0;
  }
}

async function runOnce(kind: 'sqlite' | 'worker', batch: number, total: number): Promise<RunResult> {
  const dir = makeTempDir('ingest');
  const path = join(dir, 'outbox.db');
  const opts = { path, budgetBytes: 4 * 1024 ** 3, durability: 'full' as const };
  const store: Store = kind === 'sqlite' ? new SqliteStore(opts) : new WorkerStore(opts);
  try {
    await store.open();
    const src = new ReadingSource();
    const t0 = performance.now();
    let inFlight: Promise<unknown> | null = null;
    for (let done = 0; done < total; done += batch) {
      const readings = src.next(Math.min(batch, total - done));
      if (inFlight) await inFlight;
      inFlight = store.appendReadings(readings);
    }
    if (inFlight) await inFlight;
    const secs = (performance.now() - t0) / 1000;
    const s = await store.stats();
    if (s.depth.telemetry + s.evicted !== total) throw new Error(`ingest: store holds ${s.depth.telemetry} (+${s.evicted} evicted), expected ${total}`);
    await store.close(); // checkpoints the WAL, so the file size is the settled size
    const file = fileSize(path) + fileSize(`${path}-wal`);
    return { rate: total / secs, budgetBytesPerRow: s.bytes / s.depth.telemetry, fileBytesPerRow: file / total, evicted: s.evicted };
  } finally {
    await store.close().catch(() => undefined);
    removeTempDir(dir);
  }
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const total = ctx.short ? 50_000 : 1_000_000;
  const runs = ctx.short ? 1 : 3;
  const rows: BenchRow[] = [];
  let bytesRow: RunResult | null = null;
  for (const kind of ['sqlite', 'worker'] as const) {
    for (const batch of [500, 5_000]) {
      const results: RunResult[] = [];
      for (let i = 0; i < runs; i++) results.push(await runOnce(kind, batch, total));
      const rates = results.map((r) => r.rate);
      const m = median(rates);
      bytesRow ??= results[0]!;
      rows.push({
        metric: `${kind === 'sqlite' ? 'SqliteStore' : 'WorkerStore'}, batch ${fmtInt(batch)}`,
        value: `${fmtInt(m)} readings/s`,
        target: `≥ ${fmtInt(TARGET)}`,
        verdict: verdict(m >= TARGET),
        notes: `${fmtInt(total)} readings × ${runs} run(s)${runs > 1 ? `; min ${fmtInt(Math.min(...rates))}, max ${fmtInt(Math.max(...rates))}` : ''}`,
      });
    }
  }
  if (bytesRow) {
    rows.push({
      metric: 'bytes/row (budget accounting)',
      value: `${bytesRow.budgetBytesPerRow.toFixed(1)} B`,
      verdict: 'n/a',
      notes: 'stats().bytes / depth: JSON payload + ROW_OVERHEAD_BYTES',
    });
    rows.push({
      metric: 'bytes/row (file on disk)',
      value: `${bytesRow.fileBytesPerRow.toFixed(1)} B`,
      verdict: 'n/a',
      notes: `db + wal after close, ${fmtInt(total)} rows`,
    });
  }
  return rows;
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`ingest: decode → store (durability full)${ctx.short ? ' — short' : ''}`, await run(ctx));
}
