import { check, rigTest } from '../harness/rig-test.js';

/**
 * DESIGN principle 3: nothing is lost. The gateway's link to the broker is cut while it keeps
 * polling; every reading committed during the outage must arrive at the subscriber after it
 * ends — counted by sequence number, gaps are losses, repeats are counted as duplicates.
 */
const READINGS_DURING_OUTAGE = 40;
/** Long enough for several reconnect attempts (the site file's reconnect backoff is 200 ms–1 s). */
const OUTAGE_MS = 3_000;

rigTest('broker-outage', { title: 'Broker outage: every reading produced during it arrives afterwards' }, async (rig, step, t) => {
  const lastSeq = async (): Promise<number> => {
    const o = (await rig.gateway.health()).outbox;
    if ('error' in o) throw new Error(`outbox: ${o.error}`);
    return o.lastSeq;
  };
  const startSeq = await step('readings flow to the subscriber', () =>
    rig.waitFor('20 readings at the subscriber', async () => (rig.cloud.seqs.size >= 20 ? lastSeq() : undefined), 20_000),
  );
  await step('cut the link to the broker', () => rig.cloud.cut());
  await step('the gateway sees the broker gone', () => rig.waitFor('broker disconnected in health', async () => ((await rig.gateway.health()).broker.connected ? undefined : true), 15_000));
  const outageStart = await lastSeq();
  const cutAt = performance.now();
  const endSeq = await step(`the outage lasts ${OUTAGE_MS / 1000} s and at least ${READINGS_DURING_OUTAGE} readings are committed in it`, () =>
    rig.waitFor('readings during the outage', async () => {
      const s = await lastSeq();
      return s >= outageStart + READINGS_DURING_OUTAGE && performance.now() - cutAt >= OUTAGE_MS ? s : undefined;
    }, 30_000),
  );
  const delivered = new Set(rig.cloud.seqs.keys());
  await step('the subscriber got nothing during the outage', async () => {
    const leaked = [...delivered].filter((s) => s > outageStart && s <= endSeq);
    check(leaked.length === 0, `${leaked.length} readings arrived while the link was cut: the outage was not real`);
  });
  await step('restore the link', () => rig.cloud.restore());
  await step('the gateway reconnects', () => rig.waitFor('broker connected in health', async () => ((await rig.gateway.health()).broker.connected ? true : undefined), 15_000));
  const missing = (): number[] => {
    const out: number[] = [];
    for (let s = 1; s <= endSeq; s++) if (!rig.cloud.seqs.has(s)) out.push(s);
    return out;
  };
  await step(`every seq 1…${endSeq} arrives`, () =>
    rig.waitFor('a gap-free sequence at the subscriber', async () => (missing().length === 0 ? true : undefined), 30_000).catch((e: unknown) => {
      const m = missing();
      throw new Error(`${m.length} readings never arrived (first: ${m.slice(0, 10).join(', ')}): ${e instanceof Error ? e.message : String(e)}`);
    }),
  );
  const duplicates = [...rig.cloud.seqs.values()].reduce((n, c) => n + (c - 1), 0);
  t.figure('readings produced during the outage', endSeq - outageStart, 'readings');
  t.figure('of those delivered after it', [...rig.cloud.seqs.keys()].filter((s) => s > outageStart && s <= endSeq).length, 'readings', `= ${endSeq - outageStart}`);
  t.figure('duplicates at the subscriber (QoS 1 allows)', duplicates, 'messages');
  t.figure('highest seq before the outage', startSeq, 'seq');
});
