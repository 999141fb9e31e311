import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { removeTempDir, spawnTracked, stopChild } from '../../bench/support/proc.js';
import { createBenchSite, outbox } from '../../bench/support/site.js';
import { packageRoot } from '../../gateway/paths.js';
import { seededRandom } from '../../drivers/serial/specs/gb26875-synthetic.js';
import { auditOutbox } from '../campaign/outbox-audit.js';
import { waitFor, waitForOutbox } from '../campaign/wait.js';
import { flapBroker, startRecordingBroker } from './recording-broker.js';

/**
 * The flapping-broker injector against a real `vigil run`: the broker process is stopped and
 * started on the same port three times while the gateway polls. The gateway must reconnect by
 * itself each time, and in the end every seq it committed has reached the broker or is still
 * in its outbox. Needs the build (the CLI and the broker process run from dist/).
 */
const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

describe('broker flapping', () => {
  it('the gateway reconnects after every outage and loses nothing it committed', async () => {
    expect(existsSync(CLI), `${CLI} is missing — run \`npm run build\` first`).toBe(true);
    const broker = await startRecordingBroker();
    onTestFinished(() => broker.close());
    const site = await createBenchSite({ devices: 3, registersPerDevice: 10, pollMs: 200, brokerUrl: broker.url });
    onTestFinished(async () => {
      await site.rig.stop();
      removeTempDir(site.dir);
    });
    const gw = spawnTracked([CLI, 'run', '--config', site.siteFile], { cwd: site.dir });
    onTestFinished(() => stopChild(gw, 5_000));
    await waitForOutbox(site.apiUrl, gw);
    await waitFor(() => broker.ledger.distinct > 50, 15_000, 'first readings at the broker');

    const flap = await flapBroker(broker, { cycles: 3, downMs: [500, 1_500], upMs: [1_000, 2_000], random: seededRandom(7) });
    expect(flap.outages).toBe(3);
    expect(broker.starts).toBe(4);
    expect(broker.up).toBe(true);

    // Delivery resumes after the last outage: seqs committed after it arrive.
    const afterFlaps = (await outbox(site.apiUrl))!.lastSeq;
    await waitFor(() => broker.ledger.gaps(afterFlaps).count === 0, 30_000, `every seq up to ${afterFlaps} at the broker`, 200);
    await waitFor(() => broker.ledger.highest > afterFlaps, 15_000, 'live readings after the flapping');

    await stopChild(gw, 10_000);
    const audit = auditOutbox(join(site.dir, 'gateway.db'));
    expect(audit.maxSeq).toBeGreaterThan(afterFlaps);
    expect(broker.ledger.gaps(audit.maxSeq, audit.pending)).toEqual({ count: 0, first: [] });
    expect(audit.evicted).toBe(0);
    expect(broker.badPayloads).toEqual([]);
  });
});
