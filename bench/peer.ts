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
 * - Node-RED: `red.js` headless with the generated flow (support/peer-flow.ts: modbus-read
 *   nodes, a function node per device model doing the scaling, mqtt out), in two styles:
 *   `blocks` — the same requests as Vigil's plan, the strongest peer, against which the
 *   targets are judged — and `per-value` — one read per value, the per-tag style;
 * - the floor: the same requests through modbus-serial and nothing else
 *   (support/peer-floor-process.ts), what any Node.js gateway pays before doing its job — the
 *   bound under which neither target can be met by a Node.js gateway against a Node.js peer.
 * They run one after the other (sequential is fairer on 2 cores: none steals another's CPU),
 * each for the same warm-up and window. Per contender: CPU s (utime + stime) per 10,000
 * readings counted at the broker, VmRSS median and max, and Modbus requests at the devices.
 * Targets: Vigil ≤ 1/3 of the peer's CPU per reading, ≤ 1/2 of its RSS, fewer requests.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, freePort, installCleanupHooks, isMain, makeTempDir, removeTempDir, sleep, spawnTracked, startBrokerProcess, stopChild, type Tracked } from './support/proc.js';
import { ReadingCounter, measureWindow, type Measured } from './support/peer-measure.js';
import { ensurePeerInstalled, type PeerInstall } from './support/peer-install.js';
import { buildPeerFlow, peerReadBlocks, type PeerFlowStyle } from './support/peer-flow.js';
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
    const blocks = await runNodeRed(site, broker.port, install, plan, 'blocks');
    const perValue = await runNodeRed(site, broker.port, install, plan, 'per-value');
    const floor = await runFloor(site, plan);
    return compare(vigil, blocks, perValue, floor, site, install, plan);
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

async function runNodeRed(site: PeerSite, brokerPort: number, install: PeerInstall, plan: Plan, style: PeerFlowStyle): Promise<Contender> {
  const brokerUrl = `mqtt://127.0.0.1:${brokerPort}`;
  const counter = await ReadingCounter.start(brokerUrl, 'peer/bench/+/telemetry');
  const flow = buildPeerFlow({
    devices: site.devices,
    style,
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
    return { label: `Node-RED ${style}`, m, notes: `${style} flow: node-red ${install.versions['node-red']} + node-red-contrib-modbus ${install.versions['node-red-contrib-modbus']}, ${reads} modbus-read nodes; node ${PEER_NODE_ARGS.join(' ') || '(defaults)'}` };
  } finally {
    if (red) {
      await stopChild(red.proc, 5_000);
      removeTempDir(red.userDir);
    }
    await counter.stop();
  }
}

/** The floor contender: the blocks read plan polled with modbus-serial alone (Node's default flags, as Node-RED). */
async function runFloor(site: PeerSite, plan: Plan): Promise<Contender> {
  const dir = makeTempDir('peer-floor');
  const reads = site.devices.flatMap((d) => peerReadBlocks(d.profile, 'blocks').map((b) => ({ unitId: d.unitId, table: b.table, address: b.address, count: b.count, readings: b.points.length })));
  const readsFile = join(dir, 'reads.json');
  writeFileSync(readsFile, JSON.stringify(reads));
  const counter = await ReadingCounter.startFloor(site.bus.port, readsFile, POLL_MS);
  try {
    const failure = exitedMessage('floor poller', counter.tracked);
    await counter.waitForReadings(10_000, failure);
    await sleep(plan.warmupMs);
    const m = await measureWindow({ pid: counter.tracked.child.pid!, counter, transactions: site.requests, windowMs: plan.windowMs, sampleEveryMs: plan.sampleEveryMs, failure });
    return { label: 'floor', m, notes: `modbus-serial alone, ${reads.length} reads per cycle (the blocks plan), no decoding, store or MQTT; node (defaults)` };
  } finally {
    await counter.stop();
    removeTempDir(dir);
  }
}

function compare(v: Contender, blocks: Contender, perValue: Contender, floor: Contender, site: PeerSite, install: PeerInstall, plan: Plan): BenchRow[] {
  const all = [v, blocks, perValue, floor];
  for (const c of all) if (c.m.readings === 0) throw new Error(`peer: ${c.label} delivered no readings in the window`);
  const per10k = (c: Contender): number => (c.m.cpuSeconds / c.m.readings) * 10_000;
  const perS = (c: Contender, n: number): string => `${fmtInt(n / c.m.seconds)}/s`;
  const mb = (b: number): string => `${(b / MB).toFixed(1)} MB`;
  const cols = (f: (c: Contender) => string): Record<string, string> => Object.fromEntries(all.map((c) => [c.label, f(c)]));
  const window = `${fmtInt(plan.windowMs / 1000)} s window after ${fmtInt(plan.warmupMs / 1000)} s warm-up each, run one after the other`;
  // Each target is judged against the blocks flow (the strongest peer); the per-value row shows
  // the same figure against the per-tag style.
  const judged = (metric: string, f: (c: Contender) => number, target: string, pass: (ratio: number) => boolean, show: (c: Contender) => string, notes: string): BenchRow[] =>
    [blocks, perValue].map((peer, i) => {
      const ratio = f(v) / f(peer);
      return {
        metric: `${metric}, vs ${peer.label}`,
        ...(i === 0 ? { columns: cols(show) } : {}),
        value: ratio.toFixed(3),
        target,
        verdict: verdict(pass(ratio)),
        ...(i === 0 ? { notes } : {}),
      };
    });
  const floorShare = (f: (c: Contender) => number, what: string): BenchRow => ({
    metric: `${what}, floor / Node-RED blocks`,
    value: (f(floor) / f(blocks)).toFixed(3),
    verdict: 'n/a',
    notes: 'what modbus-serial polling alone costs, as a share of the strongest peer: no Node.js gateway goes below it',
  });
  return [
    ...judged('CPU s per 10,000 readings', per10k, '≤ 0.333', (r) => r <= 1 / 3, (c) => `${per10k(c).toFixed(3)} s`, `CPU ${all.map((c) => c.m.cpuSeconds.toFixed(2)).join(' / ')} s (utime+stime); ${window}`),
    floorShare(per10k, 'CPU per reading'),
    ...judged('RSS median', (c) => c.m.rssMedianBytes, '≤ 0.5', (r) => r <= 0.5, (c) => mb(c.m.rssMedianBytes), `VmRSS every ${plan.sampleEveryMs / 1000} s (${all.map((c) => c.m.rssSamples).join(' / ')} samples)`),
    floorShare((c) => c.m.rssMedianBytes, 'RSS median'),
    { metric: 'RSS max', columns: cols((c) => mb(c.m.rssMaxBytes)), value: (v.m.rssMaxBytes / blocks.m.rssMaxBytes).toFixed(3), verdict: 'n/a', notes: 'ratio vs the blocks flow' },
    ...judged('Modbus requests', (c) => c.m.transactions, '< 1', (r) => r < 1, (c) => `${fmtInt(c.m.transactions)} (${perS(c, c.m.transactions)})`, `counted at the ${site.devices.length} simulated devices; the blocks flow reads Vigil's own plan, so it ties by construction`),
    {
      metric: 'readings at the broker',
      columns: cols((c) => `${fmtInt(c.m.readings)} (${perS(c, c.m.readings)})`),
      value: (v.m.readings / blocks.m.readings).toFixed(3),
      verdict: 'n/a',
      notes: `in ${[v, blocks, perValue].map((c) => fmtInt(c.m.messages)).join(' / ')} MQTT messages (the floor: readings read, none published); ${site.devices.length} devices @ ${POLL_MS / 1000} s`,
    },
    { metric: 'Vigil', value: '', verdict: 'n/a', notes: v.notes },
    ...[blocks, perValue, floor].map((c) => ({ metric: c.label, value: '', verdict: 'n/a' as const, notes: c.notes })),
    { metric: 'Node-RED install', value: '', verdict: 'n/a', notes: `${install.installMs === null ? 're-used from cache' : `installed now in ${(install.installMs / 1000).toFixed(1)} s`} (${install.dir})` },
  ];
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`peer: Vigil vs Node-RED + node-red-contrib-modbus${ctx.short ? ' — short' : ''}`, await run(ctx));
}
