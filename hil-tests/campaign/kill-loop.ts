/**
 * Case a — SIGKILL in a loop during ingest. `vigil run` polls 10 simulated Modbus TCP devices
 * × 100 registers every second (≈ 1,000 readings/s) and forwards to a broker that stays up, so
 * each kill lands somewhere in poll → commit → publish → PUBACK → delete: the hardest place
 * for both loss and duplicates. After the last kill a final gateway starts, drains what its
 * predecessors left, and is stopped; then every seq from 1 to the highest ever committed must
 * have reached the broker or still be in the outbox (a seq in neither is a committed reading
 * lost). Duplicates (QoS 1 is at-least-once; the cloud dedupes on seq) are counted.
 */
import { join } from 'node:path';
import { removeTempDir, stopChild } from '../../bench/support/proc.js';
import { createBenchSite, outbox, spawnGateway, type BenchSite } from '../../bench/support/site.js';
import { fmtInt } from '../../bench/table.js';
import { seededRandom } from '../../drivers/serial/specs/gb26875-synthetic.js';
import { killLoop } from '../injectors/gateway-killer.js';
import { startRecordingBroker, type RecordingBroker } from '../injectors/recording-broker.js';
import { pct, type CampaignContext, type Figure } from './figures.js';
import { auditOutbox } from './outbox-audit.js';
import { waitFor, waitForOutbox } from './wait.js';

export const DEVICES = 10;
export const REGISTERS = 100;

export async function run(ctx: CampaignContext): Promise<Figure[]> {
  const kills = ctx.short ? 6 : 100;
  const liveMs = ctx.short ? ([1_000, 3_000] as const) : ([1_000, 4_000] as const);
  const scale = `a: ${kills} × SIGKILL at ${liveMs[0] / 1000}–${liveMs[1] / 1000} s, ${fmtInt(DEVICES * REGISTERS)} points @ 1 s, broker up${ctx.short ? ' (short; full: 100 kills at 1–4 s)' : ''}`;
  let broker: RecordingBroker | undefined;
  let site: BenchSite | undefined;
  try {
    broker = await startRecordingBroker();
    site = await createBenchSite({ devices: DEVICES, registersPerDevice: REGISTERS, pollMs: 1_000, brokerUrl: broker.url });
    const s = site;
    const loop = await killLoop({
      kills,
      liveMs,
      random: seededRandom(ctx.seed),
      spawn: () => spawnGateway(s),
      onKill: (round) => {
        if (round % 10 === 0 || round === kills) ctx.log(`kill-loop: ${round}/${kills} kills`);
      },
    });

    // The survivor: drains the backlog, then stops cleanly.
    const survivor = spawnGateway(s);
    const drainStart = performance.now();
    await waitForOutbox(s.apiUrl, survivor);
    await waitFor(async () => {
      const o = await outbox(s.apiUrl);
      return o !== null && o.depth.telemetry + o.depth.event < 2 * DEVICES * REGISTERS; // caught up: about one poll's worth in flight
    }, ctx.short ? 60_000 : 300_000, 'the restarted gateway to drain the backlog');
    const drainMs = performance.now() - drainStart;
    await stopChild(survivor, 10_000);
    const audit = auditOutbox(join(s.dir, 'gateway.db'));
    const gaps = broker.ledger.gaps(audit.maxSeq, audit.pending);
    const minutes = loop.elapsedMs / 60_000;
    return [
      {
        figure: 'committed readings lost after SIGKILL × N',
        measured: gaps.count === 0 ? '0' : `${fmtInt(gaps.count)} (first: ${gaps.first.join(', ')})`,
        target: '0',
        kind: 'must',
        pass: gaps.count === 0 && audit.evicted === 0,
        test: `${scale}; seqs 1..${fmtInt(audit.maxSeq)} committed, ${fmtInt(broker.ledger.distinct)} delivered, ${fmtInt(audit.pending.size)} still queued, ${fmtInt(audit.evicted)} evicted`,
      },
      {
        figure: 'gateway crashes (exited before its kill)',
        measured: fmtInt(loop.crashes.length),
        target: '0',
        kind: 'must',
        pass: loop.crashes.length === 0,
        test: loop.crashes.length ? `${scale}; first: round ${loop.crashes[0]!.round} exit ${loop.crashes[0]!.code}: ${loop.crashes[0]!.output.slice(-300)}` : scale,
      },
      {
        figure: 'duplicates delivered (QoS 1 redelivery after a kill)',
        measured: `${fmtInt(broker.ledger.duplicates)} (${pct(broker.ledger.duplicates, broker.ledger.distinct)} of delivered)`,
        target: 'counted',
        kind: 'info',
        pass: true,
        test: scale,
      },
      {
        figure: 'restarts per minute',
        measured: (loop.kills / minutes).toFixed(1),
        target: '—',
        kind: 'info',
        pass: true,
        test: `${scale}; ${loop.kills} kills in ${minutes.toFixed(1)} min`,
      },
      {
        figure: 'ingest rate over the loop (committed seqs / s)',
        measured: fmtInt(audit.maxSeq / ((loop.elapsedMs + drainMs) / 1000)),
        target: '≈ 1,000 less restart time',
        kind: 'info',
        pass: true,
        test: `${scale}; survivor drained in ${(drainMs / 1000).toFixed(1)} s`,
      },
    ];
  } finally {
    await broker?.close();
    if (site) {
      await site.rig.stop().catch(() => undefined);
      removeTempDir(site.dir);
    }
  }
}
