/**
 * Case b — the broker down for a long time (full: 10 minutes), stopped and started again as a
 * process on the same port, then a flapping uplink. `vigil run` keeps polling ≈ 1,000
 * readings/s into its outbox throughout. Figures: delivered / produced over every seq the
 * gateway committed up to the end of the test (must be 100 %), duplicates, how long the
 * backlog took to drain once the broker was back, and the same for the flapping phase.
 */
import { join } from 'node:path';
import { removeTempDir, sleep, stopChild, type Tracked } from '../../bench/support/proc.js';
import { createBenchSite, outbox, spawnGateway, type BenchSite } from '../../bench/support/site.js';
import { fmtInt } from '../../bench/table.js';
import { seededRandom } from '../../drivers/serial/specs/gb26875-synthetic.js';
import { flapBroker, startRecordingBroker, type RecordingBroker } from '../injectors/recording-broker.js';
import { pct, type CampaignContext, type Figure } from './figures.js';
import { DEVICES, REGISTERS } from './kill-loop.js';
import { auditOutbox } from './outbox-audit.js';
import { waitFor, waitForOutbox } from './wait.js';

/** The highest seq the gateway has committed so far (from /api/health). */
async function lastSeq(apiUrl: string): Promise<number> {
  const o = await outbox(apiUrl);
  if (!o) throw new Error(`gateway API ${apiUrl} reports no outbox`);
  return o.lastSeq;
}

export async function run(ctx: CampaignContext): Promise<Figure[]> {
  const outageMs = ctx.short ? 10_000 : 600_000;
  const flaps = ctx.short ? 2 : 10;
  const scale = `b: broker process stopped ${outageMs / 1000} s${ctx.short ? ' (short; full: 600 s)' : ''}, ${fmtInt(DEVICES * REGISTERS)} points @ 1 s`;
  const downMs = ctx.short ? ([1_000, 3_000] as const) : ([1_000, 5_000] as const);
  const upMs = ctx.short ? ([1_000, 3_000] as const) : ([2_000, 6_000] as const);
  const flapScale = `b: ${flaps} flaps, down ${downMs[0] / 1000}–${downMs[1] / 1000} s / up ${upMs[0] / 1000}–${upMs[1] / 1000} s${ctx.short ? ' (short; full: 10 flaps, down 1–5 s / up 2–6 s)' : ''}`;
  let broker: RecordingBroker | undefined;
  let site: BenchSite | undefined;
  let gw: Tracked | undefined;
  try {
    broker = await startRecordingBroker();
    site = await createBenchSite({ devices: DEVICES, registersPerDevice: REGISTERS, pollMs: 1_000, brokerUrl: broker.url });
    const api = site.apiUrl;
    gw = spawnGateway(site);
    await waitForOutbox(api, gw);
    const b = broker;
    await waitFor(() => b.ledger.distinct > 2 * DEVICES * REGISTERS, 30_000, 'readings at the broker before the outage');

    await broker.stop();
    const beforeOutage = await lastSeq(api);
    ctx.log(`broker-outage: broker stopped at seq ${beforeOutage}, down for ${outageMs / 1000} s`);
    await sleep(outageMs);
    const atReturn = await lastSeq(api);
    await broker.start();
    const backAt = performance.now();
    const distinctAtReturn = b.ledger.distinct;
    // The gateway's reconnect backoff (mqtt.reconnect, up to maxMs) is part of the drain time; measured apart.
    const reconnected = waitFor(() => b.ledger.distinct > distinctAtReturn, Math.max(120_000, outageMs), 'the first delivery after the outage', 50).then(() => performance.now() - backAt);
    // Drained: every seq committed before the broker came back has reached it.
    // A timeout here is not a crash of the case: the figure below reports what did not arrive.
    await waitFor(() => b.ledger.gaps(atReturn).count === 0, Math.max(60_000, outageMs), 'the backlog to reach the broker', 250).catch(() => undefined);
    const drainMs = performance.now() - backAt;
    const outageGaps = b.ledger.gaps(atReturn);
    const reconnectMs = await reconnected.catch(() => Number.NaN);
    const outageDupStart = b.ledger.duplicates;
    ctx.log(`broker-outage: backlog of ${fmtInt(atReturn - beforeOutage)} drained in ${(drainMs / 1000).toFixed(1)} s; flapping`);

    const flap = await flapBroker(broker, { cycles: flaps, downMs, upMs, random: seededRandom(ctx.seed + 1) });
    const afterFlaps = await lastSeq(api);
    await waitFor(() => b.ledger.gaps(afterFlaps).count === 0, 60_000, 'every seq committed during the flapping to reach the broker', 250).catch(() => undefined);

    await stopChild(gw, 10_000);
    gw = undefined;
    const audit = auditOutbox(join(site.dir, 'gateway.db'));
    const produced = audit.maxSeq;
    const gaps = b.ledger.gaps(produced, audit.pending);
    const delivered = produced - gaps.count - audit.pending.size;
    return [
      {
        figure: 'delivered / produced after a broker outage',
        measured: pct(atReturn - outageGaps.count, atReturn),
        target: '100 %',
        kind: 'must',
        pass: outageGaps.count === 0,
        test: `${scale}; seqs 1..${fmtInt(atReturn)} at the broker's return, ${fmtInt(atReturn - beforeOutage)} of them queued during the outage${outageGaps.count ? `; missing: ${outageGaps.first.join(', ')}…` : ''}`,
      },
      {
        figure: 'backlog drain time after the outage',
        measured: outageGaps.count ? `not drained in ${(drainMs / 1000).toFixed(0)} s` : `${(drainMs / 1000).toFixed(1)} s`,
        target: '—',
        kind: 'info',
        pass: true,
        test: `${scale}; first delivery ${(reconnectMs / 1000).toFixed(1)} s after the broker was back (reconnect backoff), then ${fmtInt((atReturn - beforeOutage) / ((drainMs - reconnectMs) / 1000))} seqs/s while live polling goes on`,
      },
      {
        figure: 'delivered / produced after flapping, whole run',
        measured: pct(delivered, produced - audit.pending.size),
        target: '100 %',
        kind: 'must',
        pass: gaps.count === 0 && audit.evicted === 0,
        test: `${flapScale}; seqs 1..${fmtInt(produced)} committed, ${fmtInt(b.ledger.distinct)} delivered, ${fmtInt(audit.pending.size)} queued at stop, ${fmtInt(gaps.count)} missing, ${fmtInt(audit.evicted)} evicted; down ${(flap.downMs / 1000).toFixed(0)} s in all`,
      },
      {
        figure: 'duplicates delivered (outage; flapping)',
        measured: `${fmtInt(outageDupStart)}; ${fmtInt(b.ledger.duplicates - outageDupStart)}`,
        target: 'counted',
        kind: 'info',
        pass: true,
        test: `${scale}; ${pct(b.ledger.duplicates, b.ledger.distinct)} of delivered in all`,
      },
      {
        figure: 'payloads the cloud could not read',
        measured: fmtInt(b.badPayloads.length),
        target: '0',
        kind: 'must',
        pass: b.badPayloads.length === 0,
        test: b.badPayloads.length ? `first: ${b.badPayloads[0]!.slice(0, 200)}` : scale,
      },
    ];
  } finally {
    if (gw) await stopChild(gw, 5_000);
    await broker?.close();
    if (site) {
      await site.rig.stop().catch(() => undefined);
      removeTempDir(site.dir);
    }
  }
}
