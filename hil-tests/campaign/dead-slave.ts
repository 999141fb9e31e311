/**
 * Case c — one dead slave among ten on an RS-485 line. Ten combustible-gas detectors share one
 * virtual RTU bus (a socat pty pair); `vigil run` polls each every POLL_MS. The rig stamps the
 * moment each request reaches each device, so "cycle time" here is what a device sees: the
 * time between two consecutive polls of it. Baseline first, then device 5 goes dead (no answer
 * at all). Modbus over Serial Line V1.02 §2.4.1 allows one outstanding request on the line, so
 * every timeout the dead slave costs, its nine neighbours wait for. DESIGN principle 4: only
 * the first cycle(s) may pay timeout × attempts; once it is backed off, the others are polled
 * on time. Printed: the nine's poll interval p50/max in the baseline, in the first cycle after
 * the fault, and in the steady state after it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { distribution, fmtDistribution, fmtMs } from '../../bench/support/percentiles.js';
import { cliPath, makeTempDir, removeTempDir, sleep, spawnTracked, stopChild, type Tracked } from '../../bench/support/proc.js';
import { startVirtualRig, type VirtualRig } from '../virtual-rig/rig.js';
import type { CampaignContext, Figure } from './figures.js';

const DEVICES = 10;
const DEAD = 'gas-05';
const POLL_MS = 500;
const TIMEOUT_MS = 200;
const RETRIES = 1;
const ATTEMPTS = RETRIES + 1;
/** Requests to one device closer together than this belong to one poll (a plan of several reads). */
const SAME_POLL_MS = 50;
/** Each timeout is a timer that fires a few ms late on a loaded machine; two of them in the first cycle. */
const TIMER_SLACK_MS = 25;

const names = Array.from({ length: DEVICES }, (_, i) => `gas-${String(i + 1).padStart(2, '0')}`);

function siteYaml(port: string): string {
  return [
    'version: 1',
    'site: { id: campaign, name: Dead slave campaign }',
    'gateway: { id: gw-campaign }',
    'clock: { trust: always }',
    'log: { level: error }',
    'buses:',
    `  - { name: line, type: rtu, port: ${port}, baudRate: 9600, parity: even, stopBits: 1, timeoutMs: ${TIMEOUT_MS}, retries: ${RETRIES}, backoff: { afterFailures: 1, initialMs: 2000, maxMs: 10000 } }`,
    'devices:',
    ...names.map((n, i) => `  - { name: ${n}, bus: line, unitId: ${i + 1}, profile: generic/combustible-gas, pollMs: ${POLL_MS} }`),
    'storage: { path: gateway.db, budgetBytes: 16777216 }',
    'api: { bind: 127.0.0.1, port: 0 }',
    '',
  ].join('\n');
}

/** Per device, the times (performance.now) at which a new poll of it began. */
function stampPolls(rig: VirtualRig): Map<string, number[]> {
  const polls = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const { device } of rig.devices()) {
    const answer = device.answer.bind(device);
    const times = polls.get(device.name)!;
    device.answer = (pdu) => {
      const now = performance.now();
      if (times.length === 0 || now - times[times.length - 1]! > SAME_POLL_MS) times.push(now);
      return answer(pdu);
    };
  }
  return polls;
}

/** The intervals between consecutive polls of the live devices that end inside [from, to). */
function intervals(polls: Map<string, number[]>, from: number, to: number): number[] {
  const out: number[] = [];
  for (const [name, times] of polls) {
    if (name === DEAD) continue;
    for (let i = 1; i < times.length; i++) if (times[i]! >= from && times[i]! < to) out.push(times[i]! - times[i - 1]!);
  }
  return out;
}

export async function run(ctx: CampaignContext): Promise<Figure[]> {
  const baselineMs = ctx.short ? 5_000 : 30_000;
  const faultMs = ctx.short ? 9_000 : 120_000;
  const scale = `c: 10 detectors on one RTU line, poll ${POLL_MS} ms, timeout ${TIMEOUT_MS} ms × ${ATTEMPTS} attempts, backoff after 1 failure; ${baselineMs / 1000} s baseline, ${faultMs / 1000} s with ${DEAD} dead${ctx.short ? ' (short; full: 30 s + 120 s)' : ''}`;
  const rig = await startVirtualRig({
    buses: [{ name: 'line', type: 'rtu' }],
    devices: names.map((name, i) => ({ name, bus: 'line', unitId: i + 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 5, status: 'normal' } })),
    tickMs: 0,
  });
  const dir = makeTempDir('dead-slave');
  let gw: Tracked | undefined;
  try {
    const bus = rig.buses.line;
    if (bus?.type !== 'rtu') throw new Error('virtual rig: no rtu bus');
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, siteYaml(bus.gatewayPort));
    const polls = stampPolls(rig);
    gw = spawnTracked([cliPath, 'run', '--config', siteFile], { cwd: dir });
    const start = performance.now();
    await sleep(baselineMs);
    if (gw.child.exitCode !== null) throw new Error(`gateway exited (${gw.child.exitCode}):\n${gw.output().slice(-2_000)}`);
    const faultAt = performance.now();
    rig.inject(DEAD, 'dead');
    await sleep(faultMs);
    const end = performance.now();
    if (gw.child.exitCode !== null) throw new Error(`gateway exited (${gw.child.exitCode}) during the fault:\n${gw.output().slice(-2_000)}`);

    // The first cycle: polls that began within one period plus the dead slave's full cost after the fault.
    const firstCycleEnd = faultAt + 2 * POLL_MS + TIMEOUT_MS * ATTEMPTS;
    const settledAt = faultAt + 4 * POLL_MS + TIMEOUT_MS * ATTEMPTS;
    const base = distribution(intervals(polls, start + 2_000, faultAt)); // 2 s for start-up
    const first = distribution(intervals(polls, faultAt, firstCycleEnd));
    const steady = distribution(intervals(polls, settledAt, end));
    const deadPolls = polls.get(DEAD)!.filter((t) => t >= settledAt).length;
    // Bounds from the baseline's own worst interval (scheduling jitter on a loaded machine
    // included): the first cycle may add the dead slave's timeout × attempts, later ones may not.
    const firstBound = base.max + TIMEOUT_MS * ATTEMPTS + TIMER_SLACK_MS;
    const steadyBound = base.max + TIMEOUT_MS * ATTEMPTS;
    return [
      { figure: 'others\' poll interval, baseline (no fault)', measured: fmtDistribution(base), target: `≈ ${POLL_MS} ms`, kind: 'info', pass: true, test: `${scale}; n = ${base.n}` },
      {
        figure: 'others\' poll interval, first cycle after the fault',
        measured: `max ${fmtMs(first.max)}`,
        target: `≤ ${fmtMs(firstBound)} (baseline max + timeout × attempts + ${TIMER_SLACK_MS} ms timer slack)`,
        kind: 'soft',
        pass: first.n > 0 && first.max <= firstBound,
        test: `${scale}; n = ${first.n}`,
      },
      {
        figure: 'others\' poll interval, steady state with a dead slave',
        measured: fmtDistribution(steady),
        target: `p50 ≤ baseline p50 + 10 %, max < ${fmtMs(steadyBound)} (baseline max + timeout × attempts)`,
        kind: 'soft',
        pass: steady.n > 0 && steady.p50 <= base.p50 * 1.1 && steady.max < steadyBound,
        test: `${scale}; n = ${steady.n}; the dead slave was probed ${deadPolls} times while backed off`,
      },
    ];
  } finally {
    if (gw) await stopChild(gw, 5_000);
    await rig.stop().catch(() => undefined);
    removeTempDir(dir);
  }
}
