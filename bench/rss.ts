/**
 * Bench 3 — memory of a gateway under load.
 *
 * `vigil run` as a child process polls a virtual-rig Modbus TCP bus at 1 s: 100 devices × 100
 * u16 holding registers = 10,000 points (short: 20 devices = 2,000 points), with a cloud
 * section pointing at an aedes broker in its own process, so readings flow the whole way
 * (poll → alarm path → WorkerStore → MqttForwarder → broker). After a warm-up the child's
 * VmRSS (/proc/<pid>/status) is sampled periodically; reported: median and max RSS, and the
 * readings/s actually committed (delta of /api/health outbox.lastSeq over the window).
 * Target RSS ≤ 120 MB at 10,000 points.
 *
 * Two runs: the gateway as the `vigil` command starts it — with the V8 heap limits in the
 * CLI's shebang (GATEWAY_NODE_FLAGS) —, and the same code under Node's default heap sizing
 * for comparison. Under the defaults most of the RSS is garbage V8 has not yet had to collect
 * (on a 24 GiB machine it lets the heap grow lazily under allocation churn), not live data.
 */
import { readFileSync } from 'node:fs';
import { cliPath, cpuSeconds, installCleanupHooks, isMain, removeTempDir, rssBytes, sleep, startBrokerProcess, stopChild, type Tracked } from './support/proc.js';
import { createBenchSite, metricTotal, outbox, spawnGateway, type BenchSite } from './support/site.js';
import { fmtInt, median, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const TARGET_MB = 120;
const MB = 1024 * 1024;

/** The node flags in the `vigil` command's shebang (`#!/usr/bin/env -S node FLAGS`): what a gateway runs with. */
export function gatewayNodeFlags(): string[] {
  const shebang = readFileSync(cliPath, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\/usr\/bin\/env -S node((?: --[\w-]+(?:=\S+)?)*)$/.exec(shebang);
  if (!m) throw new Error(`${cliPath}: expected a "#!/usr/bin/env -S node --flag[=value] …" shebang, found ${JSON.stringify(shebang)}`);
  return m[1]!.trim().split(/\s+/).filter(Boolean);
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  return [...(await runVariant(ctx, 'as `vigil run`', gatewayNodeFlags())), ...(await runVariant(ctx, 'Node default heap', [], false))];
}

/** `judged`: the target applies (the gateway as deployed); otherwise a comparison row. */
async function runVariant(ctx: BenchContext, label: string, nodeArgs: string[], judged = true): Promise<BenchRow[]> {
  const devices = ctx.short ? 20 : 100;
  const regs = 100;
  const points = devices * regs;
  const warmupMs = ctx.short ? 3_000 : 15_000;
  const windowMs = ctx.short ? 8_000 : 60_000;
  const everyMs = ctx.short ? 1_000 : 2_000;

  const broker = await startBrokerProcess();
  let site: BenchSite | null = null;
  let gw: Tracked | null = null;
  try {
    site = await createBenchSite({ devices, registersPerDevice: regs, pollMs: 1_000, brokerUrl: broker.url });
    gw = spawnGateway(site, nodeArgs);
    const pid = gw.child.pid!;
    // Up = the API answers with an outbox.
    const upBy = performance.now() + 20_000;
    while ((await outbox(site.apiUrl)) === null) {
      if (gw.child.exitCode !== null) throw new Error(`gateway exited (${gw.child.exitCode}):\n${gw.output().slice(-2000)}`);
      if (performance.now() > upBy) throw new Error(`gateway API not up within 20 s:\n${gw.output().slice(-2000)}`);
      await sleep(100);
    }
    await sleep(warmupMs);
    const start = await outbox(site.apiUrl);
    const takenStart = await metricTotal(site.apiUrl, 'vigil_readings_total');
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    const samples: number[] = [];
    while (performance.now() - t0 < windowMs) {
      const r = rssBytes(pid);
      if (r === null) throw new Error(`gateway exited during the run:\n${gw.output().slice(-2000)}`);
      samples.push(r);
      await sleep(everyMs);
    }
    const end = await outbox(site.apiUrl);
    const takenEnd = await metricTotal(site.apiUrl, 'vigil_readings_total');
    const secs = (performance.now() - t0) / 1000;
    const cpu1 = cpuSeconds(pid);
    const cpuPct = cpu0 !== null && cpu1 !== null ? ((cpu1 - cpu0) / secs) * 100 : null;
    if (!start || !end) throw new Error('gateway /api/health has no outbox figures');
    const committedRate = (end.lastSeq - start.lastSeq) / secs;
    const takenRate = takenStart !== null && takenEnd !== null ? (takenEnd - takenStart) / secs : null;
    const med = median(samples) / MB;
    const max = Math.max(...samples) / MB;
    const expected = points; // one reading per point per second
    return [
      {
        metric: `RSS median, ${fmtInt(points)} points @ 1 s, ${label}`,
        value: `${med.toFixed(1)} MB`,
        target: `≤ ${TARGET_MB} MB`,
        verdict: judged ? verdict(med <= TARGET_MB) : 'n/a',
        notes: `${samples.length} samples of VmRSS every ${everyMs / 1000} s after ${warmupMs / 1000} s warm-up${nodeArgs.length ? `; node ${nodeArgs.join(' ')}` : ''}`,
      },
      {
        metric: `RSS max, ${label}`,
        value: `${max.toFixed(1)} MB`,
        target: `≤ ${TARGET_MB} MB`,
        verdict: judged ? verdict(max <= TARGET_MB) : 'n/a',
        notes: `min ${(Math.min(...samples) / MB).toFixed(1)} MB${cpuPct !== null ? `; gateway CPU ${cpuPct.toFixed(0)} % of one core` : ''}`,
      },
      {
        metric: `readings committed/s, ${label}`,
        value: fmtInt(committedRate),
        target: `≈ ${fmtInt(expected)}`,
        verdict: verdict(committedRate >= expected * 0.95),
        notes: `lastSeq delta over ${secs.toFixed(0)} s${takenRate !== null ? `; taken ${fmtInt(takenRate)}/s` : ''}; outbox depth at end ${fmtInt(end.depth.telemetry)} (forwarded to broker)`,
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

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`rss: gateway process under load${ctx.short ? ' — short' : ''}`, await run(ctx));
}
