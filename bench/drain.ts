/**
 * Bench 2 — drain a backlog from the store to a local broker through MqttForwarder.
 *
 * A backlog of readings (1,000,000; short: 50,000) is committed once to a template database;
 * each run copies it, opens it with the store and starts an MqttForwarder against an aedes
 * broker in its own process (support/broker-process.ts). The clock runs from start() until
 * every record is acknowledged (sentTotal = backlog) and the store's depth is 0. A subscriber
 * in a third process (support/subscriber-process.ts) counts the readings it receives and the
 * distinct seqs among them: nothing may be lost (distinct = backlog).
 * Settings: the config defaults (batchSize 500, inflight 16), and one bigger setting.
 * Target ≥ 20,000 readings/s.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../gateway/clock/system-clock.js';
import { MqttForwarder } from '../gateway/forward/mqtt-forwarder.js';
import { SqliteStore, WorkerStore, type Store } from '../gateway/store/index.js';
import { ReadingSource } from './support/point-mix.js';
import {
  distRoot,
  installCleanupHooks,
  isMain,
  makeTempDir,
  removeTempDir,
  sleep,
  spawnTracked,
  startBrokerProcess,
  stopChild,
  type Tracked,
} from './support/proc.js';
import { fmtInt, median, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const TARGET = 20_000;
const SITE = 'bench';
const GATEWAY = 'gw-drain';

interface Setting {
  label: string;
  store: 'sqlite' | 'worker';
  batchSize: number;
  inflight: number;
}

interface SubReport {
  messages: number;
  readings: number;
  distinct: number;
  duplicates: number;
  outOfRange: number;
  historical: number;
}

async function prefill(path: string, n: number): Promise<void> {
  const store = new SqliteStore({ path, budgetBytes: 4 * 1024 ** 3, durability: 'normal' });
  await store.open();
  const src = new ReadingSource();
  for (let done = 0; done < n; done += 5_000) await store.appendReadings(src.next(Math.min(5_000, n - done)));
  await store.close();
}

async function subscriberReport(sub: Tracked): Promise<SubReport> {
  const wait = sub.waitForLine(/SUB_REPORT (\{.*\})\n/, 5_000);
  sub.child.stdin!.write('report\n');
  return JSON.parse((await wait)[1]!) as SubReport;
}

async function drainOnce(template: string, backlog: number, brokerUrl: string, s: Setting, timeoutMs: number): Promise<{ rate: number; sub: SubReport; dupRisk: number }> {
  const dir = makeTempDir('drain');
  const path = join(dir, 'outbox.db');
  copyFileSync(template, path);
  if (existsSync(`${template}-wal`)) copyFileSync(`${template}-wal`, `${path}-wal`);
  const opts = { path, budgetBytes: 4 * 1024 ** 3, durability: 'full' as const };
  const store: Store = s.store === 'sqlite' ? new SqliteStore(opts) : new WorkerStore(opts);
  const topic = `vigil/${SITE}/${GATEWAY}/telemetry`;
  const sub = spawnTracked([join(distRoot, 'bench', 'support', 'subscriber-process.js'), brokerUrl, topic, String(backlog)]);
  let forwarder: MqttForwarder | null = null;
  try {
    await sub.waitForLine(/SUB_READY/, 10_000);
    await store.open();
    const before = await store.stats();
    if (before.depth.telemetry !== backlog) throw new Error(`drain: template holds ${before.depth.telemetry}, expected ${backlog}`);
    forwarder = new MqttForwarder({
      mqtt: { url: brokerUrl, clientId: `bench-drain-${process.pid}`, topicPrefix: 'vigil', keepaliveSec: 30, batchSize: s.batchSize, inflight: s.inflight, reconnect: { initialMs: 1_000, maxMs: 60_000 } },
      siteId: SITE,
      gatewayId: GATEWAY,
      store,
      clock: new SystemClock({ trust: 'always' }),
    });
    const f = forwarder;
    const allAcked = new Promise<void>((resolve) => {
      const off = f.on('acked', () => {
        if (f.status().sentTotal.telemetry >= backlog) {
          off();
          resolve();
        }
      });
    });
    const t0 = performance.now();
    f.start();
    const deadline = t0 + timeoutMs;
    const timedOut = (): Error => new Error(`drain (${s.label}): not drained within ${timeoutMs} ms — sent ${f.status().sentTotal.telemetry}/${backlog}, last error ${f.status().lastError?.message ?? 'none'}`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([allAcked, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut()), timeoutMs)))]).finally(() => clearTimeout(timer));
    for (;;) {
      const st = await store.stats();
      if (st.depth.telemetry === 0) break;
      if (performance.now() > deadline) throw timedOut();
      await sleep(2);
    }
    const secs = (performance.now() - t0) / 1000;
    const dupRisk = f.status().duplicatesRisked;
    await f.stop();
    forwarder = null;
    // The broker acknowledged every message; give it a moment to finish delivering them.
    let rep = await subscriberReport(sub);
    for (const until = performance.now() + 15_000; rep.distinct < backlog && performance.now() < until; ) {
      await sleep(100);
      rep = await subscriberReport(sub);
    }
    return { rate: backlog / secs, sub: rep, dupRisk };
  } finally {
    if (forwarder) await forwarder.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    await stopChild(sub);
    removeTempDir(dir);
  }
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const backlog = ctx.short ? 50_000 : 1_000_000;
  const runs = ctx.short ? 1 : 3;
  const settings: Setting[] = [
    { label: 'SqliteStore, batch 500 / inflight 16 (defaults)', store: 'sqlite', batchSize: 500, inflight: 16 },
    { label: 'SqliteStore, batch 2,000 / inflight 32', store: 'sqlite', batchSize: 2_000, inflight: 32 },
    { label: 'WorkerStore, batch 500 / inflight 16 (defaults)', store: 'worker', batchSize: 500, inflight: 16 },
  ];
  const tplDir = makeTempDir('drain-template');
  const template = join(tplDir, 'template.db');
  const broker = await startBrokerProcess();
  const rows: BenchRow[] = [];
  try {
    await prefill(template, backlog);
    const timeoutMs = Math.max(60_000, (backlog / 5_000) * 1_000);
    for (const s of settings) {
      const results: Array<{ rate: number; sub: SubReport; dupRisk: number }> = [];
      for (let i = 0; i < runs; i++) results.push(await drainOnce(template, backlog, broker.url, s, timeoutMs));
      const rates = results.map((r) => r.rate);
      const m = median(rates);
      const lost = results.map((r) => backlog - r.sub.distinct);
      const maxLost = Math.max(...lost);
      const dups = Math.max(...results.map((r) => r.sub.duplicates));
      const last = results[results.length - 1]!.sub;
      rows.push({
        metric: s.label,
        value: `${fmtInt(m)} readings/s`,
        target: `≥ ${fmtInt(TARGET)}`,
        verdict: verdict(m >= TARGET && maxLost === 0),
        notes:
          `${fmtInt(backlog)} backlog × ${runs}${runs > 1 ? `; min ${fmtInt(Math.min(...rates))}, max ${fmtInt(Math.max(...rates))}` : ''}` +
          `; subscriber got ${fmtInt(last.readings)} readings in ${fmtInt(last.messages)} msgs, lost ${fmtInt(maxLost)}, dup ${fmtInt(dups)}`,
      });
    }
  } finally {
    await stopChild(broker.proc);
    removeTempDir(tplDir);
  }
  return rows;
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`drain: store → MqttForwarder → broker${ctx.short ? ' — short' : ''}`, await run(ctx));
}
