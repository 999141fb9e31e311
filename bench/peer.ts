/**
 * Bench — Vigil against a peer: Node-RED + node-red-contrib-modbus (reference/peers.md §1.5),
 * installed for the benchmark only (support/peer-install.ts: pinned versions in a cache
 * outside the repository; no registry → the bench fails, it never skips).
 *
 * One site (support/peer-site.ts): 20 simulated Modbus TCP devices on the virtual rig behind
 * one TCP gateway — 8 combustible-gas and 4 CO detectors, 4 electrical-fire monitors, 3
 * three-phase meters, 1 Eastron SDM630 — values drifting, every device polled every second.
 * Both contenders read the same registers in the same requests, turn them into readings and
 * publish them at QoS 1 to the same aedes broker (its own process):
 * - Vigil: `vigil run` as a child process (the CLI's node flags), the production path — poll,
 *   decode, alarm engine, SQLite outbox (WorkerStore), MqttForwarder;
 * - Node-RED: `red.js` headless with the generated flow (support/peer-flow.ts: modbus-read per
 *   block, a function node per device model doing the scaling, mqtt out).
 * They run one after the other (sequential is fairer on 2 cores: neither steals the other's
 * CPU), each for the same warm-up and window. Per contender: CPU s (utime + stime) per 10,000
 * readings counted at the broker, VmRSS median and max, and Modbus requests at the devices.
 * Targets: Vigil ≤ 1/3 of the peer's CPU per reading, ≤ 1/2 of its RSS, fewer requests.
 */
import { cliPath, freePort, installCleanupHooks, isMain, makeTempDir, removeTempDir, sleep, spawnTracked, startBrokerProcess, stopChild, type Tracked } from './support/proc.js';
import { ReadingCounter, measureWindow, type Measured } from './support/peer-measure.js';
import { ensurePeerInstalled, type PeerInstall } from './support/peer-install.js';
import { buildPeerFlow } from './support/peer-flow.js';
import { startNodeRed } from './support/peer-node-red.js';
import { startPeerSite, writeVigilSite, type PeerSite } from './support/peer-site.js';
import { metricTotal, outbox } from './support/site.js';
import { gatewayNodeFlags } from './rss.js';
import { fmtInt, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const POLL_MS = 1_000;
const MB = 1024 * 1024;
/** Node-RED as its `node-red` command starts it: Node's default heap sizing (see README "peer"). */
const PEER_NODE_ARGS: string[] = [];

interface Plan {
  warmupMs: number;
  windowMs: number;
  sampleEveryMs: number;
}

interface Contender {
  label: string;
  m: Measured;
  notes: string;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  const plan: Plan = ctx.short ? { warmupMs: 3_000, windowMs: 12_000, sampleEveryMs: 500 } : { warmupMs: 15_000, windowMs: 60_000, sampleEveryMs: 1_000 };
  const install = await ensurePeerInstalled();
  const broker = await startBrokerProcess();
  let site: PeerSite | null = null;
  try {
    site = await startPeerSite(POLL_MS);
    const vigil = await runVigil(site, broker.url, plan);
    const peer = await runNodeRed(site, broker.port, install, plan);
    return compare(vigil, peer, site, install, plan);
  } finally {
    if (site) await site.rig.stop().catch(() => undefined);
    await stopChild(broker.proc);
  }
}

const exitedMessage = (name: string, t: Tracked) => (): string | null =>
  t.child.exitCode !== null || t.child.signalCode !== null ? `${name} exited (${t.child.exitCode ?? t.child.signalCode}):\n${t.output().slice(-2000)}` : null;

async function runVigil(site: PeerSite, brokerUrl: string, plan: Plan): Promise<Contender> {
  const dir = makeTempDir('peer-vigil');
  const counter = await ReadingCounter.start(brokerUrl, 'vigil/bench/gw-bench/telemetry');
  let gw: Tracked | null = null;
  try {
    const apiUrl = `http://127.0.0.1:${await freePort()}`;
    const siteFile = writeVigilSite(dir, site, { brokerUrl, apiPort: Number(new URL(apiUrl).port) });
    const flags = gatewayNodeFlags();
    gw = spawnTracked([...flags, cliPath, 'run', '--config', siteFile], { cwd: dir });
    const failure = exitedMessage('vigil run', gw);
    await counter.waitForReadings(30_000, failure);
    await sleep(plan.warmupMs);
    const taken0 = await metricTotal(apiUrl, 'vigil_readings_total');
    const m = await measureWindow({ pid: gw.child.pid!, counter, transactions: site.requests, windowMs: plan.windowMs, sampleEveryMs: plan.sampleEveryMs, failure });
    const taken1 = await metricTotal(apiUrl, 'vigil_readings_total');
    const ob = await outbox(apiUrl);
    const taken = taken0 !== null && taken1 !== null ? `; taken by the gateway ${fmtInt(taken1 - taken0)} (vigil_readings_total)` : '';
    return { label: 'Vigil', m, notes: `node ${flags.join(' ')}${taken}; outbox depth at end ${ob ? fmtInt(ob.depth.telemetry) : '?'}` };
  } finally {
    if (gw) await stopChild(gw, 5_000);
    await counter.stop();
    removeTempDir(dir);
  }
}

async function runNodeRed(site: PeerSite, brokerPort: number, install: PeerInstall, plan: Plan): Promise<Contender> {
  const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
  const counter = await ReadingCounter.start(brokerUrl, 'peer/bench/+/telemetry');
  const flow = buildPeerFlow({
    devices: site.devices,
    modbus: site.bus,
    mqtt: { host: '127.0.0.1', port: brokerPort, clientId: 'bench-node-red' },
    topicPrefix: 'peer/bench',
  });
  let red: Awaited<ReturnType<typeof startNodeRed>> | null = null;
  try {
    red = await startNodeRed(install, flow, PEER_NODE_ARGS);
    const failure = exitedMessage('Node-RED', red.proc);
    await counter.waitForReadings(30_000, failure);
    await sleep(plan.warmupMs);
    const m = await measureWindow({ pid: red.proc.child.pid!, counter, transactions: site.requests, windowMs: plan.windowMs, sampleEveryMs: plan.sampleEveryMs, failure });
    // A decoder warning or a node error means the peer did not do the work it is credited with.
    const trouble = red.proc.output().split('Started flows')[1]?.split('\n').filter((l) => /\[(warn|error)\]/.test(l)) ?? [];
    if (trouble.length) throw new Error(`Node-RED logged problems while measured:\n${trouble.slice(0, 10).join('\n')}`);
    const reads = flow.filter((n) => n.type === 'modbus-read').length;
    return { label: 'Node-RED', m, notes: `node-red ${install.versions['node-red']} + node-red-contrib-modbus ${install.versions['node-red-contrib-modbus']}, ${reads} modbus-read nodes; node ${PEER_NODE_ARGS.join(' ') || '(defaults)'}` };
  } finally {
    if (red) {
      await stopChild(red.proc, 5_000);
      removeTempDir(red.userDir);
    }
    await counter.stop();
  }
}

function compare(v: Contender, p: Contender, site: PeerSite, install: PeerInstall, plan: Plan): BenchRow[] {
  const per10k = (c: Contender): number => (c.m.cpuSeconds / c.m.readings) * 10_000;
  const perS = (c: Contender, n: number): string => `${fmtInt(n / c.m.seconds)}/s`;
  if (v.m.readings === 0 || p.m.readings === 0) throw new Error(`peer: no readings in the window (Vigil ${v.m.readings}, Node-RED ${p.m.readings})`);
  const cpuRatio = per10k(v) / per10k(p);
  const rssRatio = v.m.rssMedianBytes / p.m.rssMedianBytes;
  const mb = (b: number): string => `${(b / MB).toFixed(1)} MB`;
  const window = `${fmtInt(plan.windowMs / 1000)} s window after ${fmtInt(plan.warmupMs / 1000)} s warm-up, run one after the other`;
  return [
    {
      metric: 'CPU s per 10,000 readings',
      columns: { Vigil: `${per10k(v).toFixed(3)} s`, 'Node-RED': `${per10k(p).toFixed(3)} s` },
      value: `${cpuRatio.toFixed(3)}`,
      target: '≤ 0.333',
      verdict: verdict(cpuRatio <= 1 / 3),
      notes: `CPU ${v.m.cpuSeconds.toFixed(2)} s vs ${p.m.cpuSeconds.toFixed(2)} s (utime+stime); ${window}`,
    },
    {
      metric: 'RSS median',
      columns: { Vigil: mb(v.m.rssMedianBytes), 'Node-RED': mb(p.m.rssMedianBytes) },
      value: rssRatio.toFixed(3),
      target: '≤ 0.5',
      verdict: verdict(rssRatio <= 0.5),
      notes: `VmRSS every ${plan.sampleEveryMs / 1000} s (${v.m.rssSamples} / ${p.m.rssSamples} samples)`,
    },
    {
      metric: 'RSS max',
      columns: { Vigil: mb(v.m.rssMaxBytes), 'Node-RED': mb(p.m.rssMaxBytes) },
      value: (v.m.rssMaxBytes / p.m.rssMaxBytes).toFixed(3),
      verdict: 'n/a',
    },
    {
      metric: 'Modbus requests (bus transactions)',
      columns: { Vigil: `${fmtInt(v.m.transactions)} (${perS(v, v.m.transactions)})`, 'Node-RED': `${fmtInt(p.m.transactions)} (${perS(p, p.m.transactions)})` },
      value: (v.m.transactions / p.m.transactions).toFixed(3),
      target: 'Vigil < peer',
      verdict: verdict(v.m.transactions < p.m.transactions),
      notes: `counted at the ${site.devices.length} simulated devices; both read the same blocks (Vigil's read plan)`,
    },
    {
      metric: 'readings at the broker',
      columns: { Vigil: `${fmtInt(v.m.readings)} (${perS(v, v.m.readings)})`, 'Node-RED': `${fmtInt(p.m.readings)} (${perS(p, p.m.readings)})` },
      value: (v.m.readings / p.m.readings).toFixed(3),
      verdict: 'n/a',
      notes: `in ${fmtInt(v.m.messages)} / ${fmtInt(p.m.messages)} MQTT messages; ${site.devices.length} devices @ ${POLL_MS / 1000} s`,
    },
    { metric: 'Vigil', value: '', verdict: 'n/a', notes: v.notes },
    { metric: 'Node-RED', value: '', verdict: 'n/a', notes: `${p.notes}; ${install.installMs === null ? 'install re-used from cache' : `installed now in ${(install.installMs / 1000).toFixed(1)} s`} (${install.dir})` },
  ];
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`peer: Vigil vs Node-RED + node-red-contrib-modbus${ctx.short ? ' — short' : ''}`, await run(ctx));
}
