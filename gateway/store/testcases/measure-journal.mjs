#!/usr/bin/env node
// Measures what one alarm-journal entry costs on disk (docs/store-and-forward.md "Alarm
// journal and alarm state"). Usage (after `npm run build`): node gateway/store/testcases/measure-journal.mjs [entries]
// Commits typical alarm transitions (~700 B of event JSON) in batches of 100 and acknowledges
// their outbox copies, so what stays is the journal; prints the used bytes per entry.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const { SqliteStore } = await import(join(root, 'dist/gateway/store/sqlite-store.js'));
const { encodeEvent, ROW_OVERHEAD_BYTES } = await import(join(root, 'dist/gateway/store/codec.js'));

const N = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'vigil-measure-journal-'));
const path = join(dir, 'outbox.db');
const T0 = 1_732_300_000_000;

/** Pages in use (the file keeps freed outbox pages for reuse), in bytes. */
function usedBytes() {
  const db = new Database(path, { readonly: true });
  const used = (db.pragma('page_count', { simple: true }) - db.pragma('freelist_count', { simple: true })) * db.pragma('page_size', { simple: true });
  db.close();
  return used;
}

function entry(k) {
  const device = `gd-${String(k % 32).padStart(2, '0')}`;
  const alarmId = `${device}/ch4_high`;
  const ts = T0 + k;
  const occurrence = { id: `${alarmId}@${ts}`, detectedTs: ts, firstValue: 26.4, peakValue: 26.4, notes: [] };
  const data = {
    alarmId, device, point: 'ch3.concentration', name: 'Combustible gas high', description: 'CH4 above first alarm level',
    priority: 'high', colour: 'orange', class: 'safety', event: 'activate', from: 'normal', to: 'unacknowledged',
    actor: { kind: 'sensor', name: device }, ts, clockTrusted: true, value: 26.4, setpoint: 25, occurrence,
  };
  const message = `${device} ch3.concentration 26.4 %LEL above 25 (Combustible gas high)`;
  return { subject: alarmId, event: { type: 'alarm.activated', severity: 'alarm', ts, clockTrusted: true, message, device, point: 'ch3.concentration', data } };
}

const store = new SqliteStore({ path, budgetBytes: Number.MAX_SAFE_INTEGER, durability: 'normal' });
await store.open();
await store.close();
const empty = usedBytes();
await store.open();
for (let i = 0; i < N; i += 100) {
  const stored = await store.commitAlarms(Array.from({ length: Math.min(100, N - i) }, (_, j) => entry(i + j)), []);
  await store.acknowledge(stored.map((e) => e.seq));
}
await store.close(); // checkpoints the WAL into the main file
const payload = encodeEvent(entry(0).event).bytes - ROW_OVERHEAD_BYTES;
console.log(JSON.stringify({ entries: N, eventJsonBytes: payload, usedBytesPerEntry: +((usedBytes() - empty) / N).toFixed(1) }));
rmSync(dir, { recursive: true, force: true });
