/**
 * Case f — soak: `vigil run` as the `vigil` command starts it (the V8 flags of its shebang)
 * polls 10,000 points every second (100 simulated Modbus TCP devices × 100 registers; short:
 * 2,000) and forwards to a broker for 30 minutes (short: 15 s). VmRSS is sampled after a
 * warm-up; the slope of a least-squares line through the samples, in MB per hour, is the
 * growth figure — the peers leak (node-red-contrib-modbus went from 60 to 481 MB in 12 h,
 * ≈ 35 MB/h), so the slope is what an operator needs, not one start/end pair.
 */
import { removeTempDir, rssBytes, sleep, startBrokerProcess, stopChild, type Tracked } from '../../bench/support/proc.js';
import { createBenchSite, outbox, spawnGateway, type BenchSite } from '../../bench/support/site.js';
import { fmtInt, median } from '../../bench/table.js';
import { gatewayNodeFlags } from '../../bench/rss.js';
import type { CampaignContext, Figure } from './figures.js';
import { slopePerHour } from './slope.js';
import { waitForOutbox } from './wait.js';

const MB = 1024 * 1024;
/** 12 h at this slope adds 60 MB: inside the 120 MB a Pi-class gateway budgets (bench/rss.ts). */
const TARGET_MB_PER_H = 5;

export async function run(ctx: CampaignContext): Promise<Figure[]> {
  const devices = ctx.short ? 20 : 100;
  const warmupMs = ctx.short ? 3_000 : 120_000;
  const soakMs = ctx.short ? 15_000 : 30 * 60_000;
  const everyMs = ctx.short ? 1_000 : 10_000;
  const scale = `f: ${fmtInt(devices * 100)} points @ 1 s to a broker, ${soakMs / 60_000 >= 1 ? `${soakMs / 60_000} min` : `${soakMs / 1000} s`} after ${warmupMs / 1000} s warm-up, VmRSS every ${everyMs / 1000} s${ctx.short ? ' (short: slope indicative only; full: 10,000 points, 30 min)' : ''}`;
  const broker = await startBrokerProcess();
  let site: BenchSite | undefined;
  let gw: Tracked | undefined;
  try {
    site = await createBenchSite({ devices, registersPerDevice: 100, pollMs: 1_000, brokerUrl: broker.url });
    gw = spawnGateway(site, gatewayNodeFlags());
    await waitForOutbox(site.apiUrl, gw);
    await sleep(warmupMs);
    const pid = gw.child.pid!;
    const seq0 = (await outbox(site.apiUrl))?.lastSeq ?? 0;
    const t0 = performance.now();
    const samples: Array<{ t: number; rss: number }> = [];
    let nextLog = t0 + 5 * 60_000;
    while (performance.now() - t0 < soakMs) {
      const rss = rssBytes(pid);
      if (rss === null) throw new Error(`gateway exited during the soak:\n${gw.output().slice(-2_000)}`);
      samples.push({ t: performance.now() - t0, rss });
      if (performance.now() > nextLog) {
        ctx.log(`soak: ${((performance.now() - t0) / 60_000).toFixed(0)} min, RSS ${(rss / MB).toFixed(1)} MB`);
        nextLog += 5 * 60_000;
      }
      await sleep(everyMs);
    }
    const secs = (performance.now() - t0) / 1000;
    const seq1 = (await outbox(site.apiUrl))?.lastSeq ?? 0;
    const slope = slopePerHour(samples.map((s) => ({ tMs: s.t, value: s.rss / MB })));
    const third = Math.max(1, Math.floor(samples.length / 3));
    const startMb = median(samples.slice(0, third).map((s) => s.rss)) / MB;
    const endMb = median(samples.slice(-third).map((s) => s.rss)) / MB;
    return [
      {
        figure: 'RSS at start → end of the soak (medians of first and last third)',
        measured: `${startMb.toFixed(1)} → ${endMb.toFixed(1)} MB`,
        target: '≤ 120 MB',
        kind: 'soft',
        pass: endMb <= 120,
        test: `${scale}; max ${(Math.max(...samples.map((s) => s.rss)) / MB).toFixed(1)} MB, ${samples.length} samples`,
      },
      {
        figure: 'RSS growth, least-squares slope',
        measured: `${slope >= 0 ? '+' : ''}${slope.toFixed(ctx.short ? 0 : 2)} MB/h`,
        target: `≤ ${TARGET_MB_PER_H} MB/h (peer: ≈ 35 MB/h)`,
        kind: ctx.short ? 'info' : 'soft',
        pass: slope <= TARGET_MB_PER_H,
        test: `${scale}; ${fmtInt((seq1 - seq0) / secs)} readings committed/s`,
      },
    ];
  } finally {
    if (gw) await stopChild(gw, 5_000);
    if (site) {
      await site.rig.stop().catch(() => undefined);
      removeTempDir(site.dir);
    }
    await stopChild(broker.proc);
  }
}
