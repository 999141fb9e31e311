/**
 * bench/fire-relay — how fast a fire panel's fire alarm reaches the fire remote-monitoring centre
 * through the gateway (issue 4: "time from panel frame to centre send under load (p99)").
 *
 * On the virtual rig (support/fire-site.ts: a simulated GB/T 26875.3 panel and monitoring centre
 * on 127.0.0.1, Modbus devices on a virtual-rig TCP bus, the gateway in this process so every stamp
 * is on one monotonic clock). Each sample is one command-2 frame from the panel carrying a fire
 * alarm of a new component (zone 99, position i, description `probe-i`), stamped
 *   panel write → the read that brought it into the gateway (socket tap + bench framer) →
 *   the panel's readings on the alarm path (gw.onReadings) → the type-2 frame handed to the socket
 *   towards the centre (socket tap) → the centre's receipt (received[].arrivedMs).
 * Two scenarios: (1) idle — one Modbus device at 1 s, nothing else from the panel; (2) loaded —
 * 20 devices × 100 registers polled every 250 ms (2,000 points, 8,000 readings/s into the store),
 * and once a second the panel sends a burst of 200 component frames back to back (fire, fault,
 * supervisory and normal in turn, each a change, so each is relayed). The probe lands at a random
 * phase of the burst cycle, so some probes queue behind a whole burst: every panel state goes at
 * fire priority, first in first out (docs/fire-panels.md §6), one exchange with the centre at a time.
 * Target: GB 26875.1 (standards.md §3.1): a fire alarm reaches the centre within 10 s.
 */
import { availableParallelism as cpuCount, loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DataType } from '../drivers/gb26875/codes.js';
import { Gb26875Message } from '../drivers/gb26875/message.js';
import type { ComponentReport, Reply } from '../hil-tests/virtual-rig/fire-panel/simulated-panel.js';
import type { ReceivedFrame } from '../hil-tests/virtual-rig/monitoring-centre/centre.js';
import { startFireSite, type FireSite } from './support/fire-site.js';
import { watchGc, worstOverlap, type GcPause } from './support/gc-watch.js';
import { distribution, fmtDistribution, fmtMs } from './support/percentiles.js';
import { installCleanupHooks, isMain, sleep } from './support/proc.js';
import { fmtInt, printTable, verdict, type BenchContext, type BenchRow } from './table.js';

const FIRE_TARGET_MS = 10_000; // GB 26875.1: a fire alarm at the centre within 10 s
const PROBE_ZONE = 99;
const BURST_FRAMES = 200;
const BURST_PERIOD_MS = 1_000;
const BURST_ZONES = 10; // 10 zones × 20 positions = the 200 components a burst reports on
const LOOP_RESOLUTION_MS = 10;
const STATES: ReadonlyArray<ComponentReport['flags']> = [{ fire: true }, { normal: true, fault: true }, { normal: true, supervisory: true }, { normal: true }];

interface Sample {
  sentAt: number;
  inAt?: number;
  alarmAt?: number;
  outAt?: number;
  centreAt?: number;
  confirmedAt?: number;
  /** The latest burst when the probe was written, and ms since its start (loaded scenario). */
  burst?: { index: number; phaseMs: number };
}
type Complete = Required<Omit<Sample, 'burst'>> & Pick<Sample, 'burst'>;

const isComplete = (s: Sample): s is Complete => s.inAt !== undefined && s.alarmAt !== undefined && s.outAt !== undefined && s.centreAt !== undefined && s.confirmedAt !== undefined;

const descriptionOf = (m: Gb26875Message | undefined): string | undefined => (m?.data?.type === DataType.ComponentStatus ? m.data.objects[0]?.description : undefined);

/** The probe index in a frame's description ("probe-17"), cheap for frames that are not probes. */
function probeIndex(frame: Buffer): number | undefined {
  if (frame.indexOf('probe-') < 0) return undefined;
  const m = Gb26875Message.from(frame);
  const d = m.ok ? descriptionOf(m.value) : undefined;
  return d?.startsWith('probe-') ? Number(d.slice(6)) : undefined;
}

/** The loaded scenario's panel traffic: BURST_FRAMES component frames back to back, once a second. */
class BurstLoad {
  bursts = 0;
  lastBurstAt = 0;
  readonly sentAt: number[] = [];
  readonly replies: Record<Reply, number> = { confirm: 0, deny: 0, 'no-reply': 0 };
  private running = true;
  private readonly pending: Promise<unknown>[] = [];
  private loop: Promise<void> = Promise.resolve();

  constructor(private readonly site: FireSite) {}

  start(): void {
    this.loop = (async () => {
      while (this.running) {
        const b = this.bursts++;
        this.lastBurstAt = performance.now();
        this.sentAt.push(this.lastBurstAt);
        for (let k = 0; k < BURST_FRAMES; k++) {
          const report: ComponentReport = {
            componentType: 42,
            zone: 1 + (k % BURST_ZONES),
            position: 1 + Math.floor(k / BURST_ZONES),
            description: `b${b}-${k}`, // a new description every time: every frame is a change the centre gets
            flags: STATES[(b + k) % STATES.length]!,
          };
          this.pending.push(this.site.panel.component(report).then((r) => void (this.replies[r] += 1)));
        }
        await sleep(Math.max(0, this.lastBurstAt + BURST_PERIOD_MS - performance.now()));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.allSettled(this.pending);
  }
}

interface ScenarioResult {
  label: string;
  samples: Complete[];
  cold: Complete;
  gc: readonly GcPause[];
  loopDelay: { p99: number; max: number };
  modbusPerSecond: number;
  load?: {
    bursts: number;
    /** Per burst (by index): its first frame written → its last frame at the centre. */
    drainMs: (number | undefined)[];
    relayed: number;
    lost: number;
    replies: Record<Reply, number>;
    centreReplies: Record<ReceivedFrame['reply'], number>;
  };
}

async function measure(site: FireSite, load: BurstLoad | null, i: number): Promise<Complete> {
  const s: Sample = { sentAt: 0 };
  const key = `c_1_1_${PROBE_ZONE}_${i}_fire`;
  site.probes = {
    ...site.probes,
    gatewayIn: (f, at) => void (s.inAt === undefined && probeIndex(f) === i && (s.inAt = at)),
    alarmPath: (readings, at) => void (s.alarmAt === undefined && readings.some((r) => r.point === key && r.value === true) && (s.alarmAt = at)),
    gatewayOut: (f, at) => void (s.outAt === undefined && probeIndex(f) === i && (s.outAt = at)),
  };
  const description = `probe-${i}`;
  const atCentre = site.centre.waitFor((f) => descriptionOf(f.message) === description, FIRE_TARGET_MS + 5_000);
  s.sentAt = performance.now();
  if (load) s.burst = { index: load.bursts - 1, phaseMs: s.sentAt - load.lastBurstAt };
  const reply = site.panel.component({ componentType: 42, zone: PROBE_ZONE, position: i, description, flags: { fire: true } }).then((r) => {
    s.confirmedAt = performance.now();
    return r;
  });
  const [frame, r] = await Promise.all([atCentre, reply]);
  s.centreAt = frame.arrivedMs;
  if (r !== 'confirm') throw new Error(`fire-relay: the gateway answered the probe frame with ${r}`);
  if (!isComplete(s)) throw new Error(`fire-relay: probe ${i} reached the centre but a stamp is missing: ${JSON.stringify(s)}`);
  return s;
}

async function scenario(label: string, opts: { devices: number; pollMs: number; burst: boolean; n: number; gapMs: number }): Promise<ScenarioResult> {
  const site = await startFireSite({ devices: opts.devices, pollMs: opts.pollMs });
  const gc = watchGc();
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  let load: BurstLoad | null = null;
  try {
    let modbus = 0;
    site.probes = { modbusReadings: (n) => void (modbus += n) };
    if (opts.burst) {
      load = new BurstLoad(site);
      load.start();
    }
    // Warm-up: the first polls, and under load two bursts; then the first (cold) probe, kept apart.
    await sleep(opts.burst ? 2 * BURST_PERIOD_MS + 200 : 300);
    const cold = await measure(site, load, 0);
    const t0 = performance.now();
    const modbus0 = modbus;
    loop.enable();
    const samples: Complete[] = [];
    let seed = opts.n * 7919;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let i = 1; i <= opts.n; i++) {
      await sleep(rand() * opts.gapMs);
      samples.push(await measure(site, load, i));
    }
    loop.disable();
    const elapsed = (performance.now() - t0) / 1_000;
    const modbusPerSecond = (modbus - modbus0) / elapsed;
    let loadResult: ScenarioResult['load'];
    if (load) {
      await load.stop();
      // Every burst frame must reach the centre: wait for the last one (the queue drains in order).
      const last = `b${load.bursts - 1}-${BURST_FRAMES - 1}`;
      await site.centre.waitFor((f) => descriptionOf(f.message) === last, FIRE_TARGET_MS);
      const firstAt = new Map<string, number>();
      const centreReplies: Record<ReceivedFrame['reply'], number> = { confirm: 0, deny: 0, none: 0 };
      for (const f of site.centre.received) {
        const d = descriptionOf(f.message);
        if (d === undefined || !d.startsWith('b')) continue;
        centreReplies[f.reply] += 1;
        if (!firstAt.has(d)) firstAt.set(d, f.arrivedMs);
      }
      const drainMs: (number | undefined)[] = [];
      let lost = 0;
      for (let b = 0; b < load.bursts; b++) {
        let lastAt = 0;
        for (let k = 0; k < BURST_FRAMES; k++) {
          const at = firstAt.get(`b${b}-${k}`);
          if (at === undefined) lost += 1;
          else lastAt = Math.max(lastAt, at);
        }
        drainMs.push(lastAt > 0 ? lastAt - load.sentAt[b]! : undefined);
      }
      loadResult = { bursts: load.bursts, drainMs, relayed: firstAt.size, lost, replies: load.replies, centreReplies };
    }
    await sleep(20); // GC entries arrive asynchronously
    return { label, samples, cold, gc: [...gc.pauses()], loopDelay: { p99: loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS, max: loop.max / 1e6 - LOOP_RESOLUTION_MS }, modbusPerSecond, ...(loadResult ? { load: loadResult } : {}) };
  } finally {
    gc.stop();
    loop.disable();
    await load?.stop().catch(() => undefined);
    await site.stop();
  }
}

function gcNote(r: ScenarioResult): string {
  const hits = r.samples.map((s) => worstOverlap(r.gc, s.sentAt, s.centreAt)).filter((p): p is GcPause => p !== null);
  if (hits.length === 0) return 'no GC pause inside any window';
  return `a GC pause fell inside ${hits.length} of ${r.samples.length} windows (longest ${fmtMs(Math.max(...hits.map((p) => p.durationMs)))})`;
}

function rowsFor(r: ScenarioResult): BenchRow[] {
  const of = (f: (s: Complete) => number) => distribution(r.samples.map(f));
  const n = `n = ${r.samples.length}${r.samples.length < 100 ? ' (p99 = max at this n)' : ''}`;
  const e2e = of((s) => s.centreAt - s.sentAt);
  const inside = of((s) => s.outAt - s.inAt);
  const toAlarm = of((s) => s.alarmAt - s.inAt);
  const alarmToOut = of((s) => s.outAt - s.alarmAt);
  const wireIn = of((s) => s.inAt - s.sentAt);
  const wireOut = of((s) => s.centreAt - s.outAt);
  const confirm = of((s) => s.confirmedAt - s.sentAt);
  const cold = r.cold;
  const rows: BenchRow[] = [
    {
      metric: `${r.label}: panel frame written → centre receives it`,
      value: fmtDistribution(e2e),
      target: '< 10,000 ms p99',
      verdict: verdict(e2e.p99 < FIRE_TARGET_MS),
      notes: `${n}; GB 26875.1; ${gcNote(r)}; first (cold) probe ${fmtMs(cold.centreAt - cold.sentAt)}`,
    },
    {
      metric: `${r.label}: inside the gateway (frame read from the panel socket → written to the centre socket)`,
      value: fmtDistribution(inside),
      verdict: 'n/a',
      notes: `${n}; of which read → alarm path (framing, decode, engine) ${fmtDistribution(toAlarm)}; alarm path → written (event, UITD queue, encode) ${fmtDistribution(alarmToOut)}; first (cold) probe ${fmtMs(cold.outAt - cold.inAt)}`,
    },
    {
      metric: `${r.label}: loopback + framing either side`,
      value: `in ${fmtDistribution(wireIn)}; out ${fmtDistribution(wireOut)}`,
      verdict: 'n/a',
      notes: 'panel write → the gateway socket read that completed the frame; gateway socket write → the centre framed it',
    },
    { metric: `${r.label}: panel frame written → panel gets the confirm`, value: fmtDistribution(confirm), verdict: 'n/a', notes: `${n}; the panel exchange (§6), independent of the centre` },
  ];
  const context = `Modbus readings/s during the samples ${fmtInt(r.modbusPerSecond)}; event-loop lag p99 ${fmtMs(r.loopDelay.p99)}, max ${fmtMs(r.loopDelay.max)} (a ${LOOP_RESOLUTION_MS} ms timer's lateness)`;
  if (r.load) {
    const l = r.load;
    const drain = distribution(l.drainMs.filter((d): d is number => d !== undefined));
    const phased = r.samples.filter((s) => s.burst !== undefined && s.burst.phaseMs < (l.drainMs[s.burst.index] ?? 0));
    const phasedE2e = distribution(phased.map((s) => s.centreAt - s.sentAt));
    rows.push(
      {
        metric: `${r.label}: a burst of ${BURST_FRAMES} frames → its last frame at the centre`,
        value: fmtDistribution(drain),
        verdict: 'n/a',
        notes: `${l.bursts} bursts; the probes written before the last frame of the burst before them had reached the centre: ${phased.length} of ${r.samples.length}, panel → centre ${fmtDistribution(phasedE2e)}`,
      },
      {
        metric: `${r.label}: burst frames relayed / lost`,
        value: `${fmtInt(l.relayed)} / ${l.lost}`,
        target: 'lost 0',
        verdict: verdict(l.lost === 0),
        notes: `panel got confirm ${fmtInt(l.replies.confirm)}, deny ${l.replies.deny}, no reply ${l.replies['no-reply']}; centre confirmed ${fmtInt(l.centreReplies.confirm)} (denied ${l.centreReplies.deny}); ${context}`,
      },
    );
  } else {
    rows.push({ metric: `${r.label}: context`, value: '', verdict: 'n/a', notes: context });
  }
  return rows;
}

export async function run(ctx: BenchContext): Promise<BenchRow[]> {
  // Idle probes are spaced 0–50 ms apart; loaded ones 0–1 s, a random phase of the burst cycle.
  // Short mode (CI, ~7 s): 5 + 5 probes. Full: 200 idle (~6 s), 120 loaded (~65 s).
  const idleN = ctx.short ? 5 : 200;
  const loadN = ctx.short ? 5 : 120;
  const loadBefore = loadavg()[0]!;
  const rows: BenchRow[] = [];
  rows.push(...rowsFor(await scenario('idle', { devices: 1, pollMs: 1_000, burst: false, n: idleN, gapMs: 50 })));
  rows.push(...rowsFor(await scenario('loaded', { devices: 20, pollMs: 250, burst: true, n: loadN, gapMs: BURST_PERIOD_MS })));
  rows.push({ metric: 'machine load (1-min average), start → end', value: `${loadBefore.toFixed(2)} → ${loadavg()[0]!.toFixed(2)}`, verdict: 'n/a', notes: `${cpuCount()} cores; the gateway, the panel, the centre, the rig and the bench share one event loop` });
  return rows;
}

if (isMain(import.meta.url)) {
  installCleanupHooks();
  const ctx = { short: process.argv.includes('--short') };
  printTable(`fire-relay: panel fire alarm → fire monitoring centre, idle and under load${ctx.short ? ' — short' : ''}`, await run(ctx));
}
