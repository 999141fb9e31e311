#!/usr/bin/env node
// Measures what one outbox row really costs on disk, to check codec.ts ROW_OVERHEAD_BYTES.
// Usage (after `npm run build`): node gateway/store/testcases/measure-row.mjs [rows]
// Prints: rows, mean payload bytes, file bytes per row after a checkpoint, implied overhead.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { SqliteStore } = await import(join(root, 'dist/gateway/store/sqlite-store.js'));
const { encodeReading, ROW_OVERHEAD_BYTES } = await import(join(root, 'dist/gateway/store/codec.js'));

const rows = Number(process.argv[2] ?? 200_000);
const dir = mkdtempSync(join(tmpdir(), 'vigil-measure-'));
const path = join(dir, 'outbox.db');
const store = new SqliteStore({ path, budgetBytes: Number.MAX_SAFE_INTEGER, durability: 'normal' });
await store.open();
// A typical reading: a 4–20 mA gas channel scaled to %LEL, device/point names as in profiles.
const reading = (i) => ({
  device: `gd-${String(i % 32).padStart(2, '0')}`,
  point: `ch${i % 8}.concentration`,
  value: Math.round(Math.random() * 1000) / 10,
  unit: '%LEL',
  quality: 'good',
  ts: 1_732_300_000_000 + i * 100,
  clockTrusted: true,
});
let payloadBytes = 0;
for (let i = 0; i < rows; i += 1000) {
  const batch = Array.from({ length: Math.min(1000, rows - i) }, (_, k) => reading(i + k));
  for (const r of batch) payloadBytes += encodeReading(r).bytes - ROW_OVERHEAD_BYTES;
  await store.appendReadings(batch);
}
await store.close(); // checkpoints the WAL into the main file
const fileBytes = statSync(path).size;
const perRow = fileBytes / rows;
const meanPayload = payloadBytes / rows;
console.log(JSON.stringify({ rows, meanPayload: +meanPayload.toFixed(1), fileBytesPerRow: +perRow.toFixed(1), impliedOverhead: +(perRow - meanPayload).toFixed(1), ROW_OVERHEAD_BYTES }));
rmSync(dir, { recursive: true, force: true });
