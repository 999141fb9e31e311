/**
 * Case e — disk full. `vigil run` keeps its database on a small tmpfs of its own
 * (injectors/small-disk.ts) that the campaign fills to the last byte, so SQLite gets ENOSPC
 * and answers SQLITE_FULL as on a full SD card. While the disk is full, a combustible-gas
 * reading crosses the second level: DESIGN principle 1 says the alarm path never waits on
 * disk, so the alarm must still trip (visible in /api/alarms) and the interlock must still
 * close the gas valve (the simulated valve receives the coil write) — GB/T 50493-2019 §5.5:
 * the second level drives the interlock. Telemetry that cannot be committed is dropped and
 * counted (vigil_readings_dropped_total), /api/health shows the store fault, and when space
 * comes back the gateway commits again by itself.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, freePort, getJson, makeTempDir, removeTempDir, spawnTracked, stopChild, type Tracked } from '../../bench/support/proc.js';
import { metricTotal, outbox } from '../../bench/support/site.js';
import { fmtInt } from '../../bench/table.js';
import { mountSmallDisk, type SmallDisk } from '../injectors/small-disk.js';
import { startVirtualRig } from '../virtual-rig/rig.js';
import type { CampaignContext, Figure } from './figures.js';
import { waitFor, waitForOutbox } from './wait.js';

const DISK_BYTES = 8 * 1024 * 1024;
const ALARM = 'gas-1/gas_high_high';
/**
 * Load detectors, polled every 100 ms (the shortest period a site file allows): ≈ 4,000 readings/s, so the gateway's in-memory hold
 * (IngestBatcher maxPending, 50,000 readings) overflows within seconds and dropping is seen.
 */
const LOAD = Array.from({ length: 40 }, (_, i) => `load-${String(i + 1).padStart(2, '0')}`);

function siteYaml(port: number, apiPort: number, dbPath: string): string {
  return `version: 1
site: { id: campaign, name: Disk full campaign }
gateway: { id: gw-campaign }
clock: { trust: always }
log: { level: error }
buses:
  - { name: plant-net, type: tcp, host: 127.0.0.1, port: ${port}, timeoutMs: 500 }
devices:
  - { name: gas-1, bus: plant-net, unitId: 1, profile: generic/combustible-gas, pollMs: 100 }
  - { name: valve-1, bus: plant-net, unitId: 2, profile: generic/gas-valve-actuator, pollMs: 100 }
${LOAD.map((n, i) => `  - { name: ${n}, bus: plant-net, unitId: ${i + 3}, profile: generic/combustible-gas, pollMs: 100 }`).join('\n')}
outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: on }
interlocks:
  - name: close-gas-valve
    description: Close the gas valve on the second-level alarm
    when: [${ALARM}]
    actions: [{ write: { device: valve-1, point: close_command, value: true } }]
    retries: 1
storage: { path: ${dbPath}, budgetBytes: 268435456 }
api: { bind: 127.0.0.1, port: ${apiPort} }
`;
}

interface HealthView {
  status: string;
  outbox: { error?: string; lastSeq?: number };
}

interface AlarmsView {
  alarms: Array<{ id: string; state: string }>;
}

export async function run(ctx: CampaignContext): Promise<Figure[]> {
  const scale = `e: database on an ${DISK_BYTES / 1024 / 1024} MiB tmpfs filled to ENOSPC; gas 2nd level → interlock closes a valve; detector + valve @ 100 ms, ${LOAD.length} load detectors @ 100 ms`;
  const rig = await startVirtualRig({
    buses: [{ name: 'plant-net', type: 'tcp' }],
    devices: [
      { name: 'gas-1', bus: 'plant-net', unitId: 1, profile: 'generic/combustible-gas', behaviours: { gas_lel: 3, status: 'normal' } },
      { name: 'valve-1', bus: 'plant-net', unitId: 2, profile: 'generic/gas-valve-actuator', behaviours: { close_command: false, open_feedback: true } },
      ...LOAD.map((name, i) => ({ name, bus: 'plant-net', unitId: i + 3, profile: 'generic/combustible-gas', behaviours: { gas_lel: 1, status: 'normal' } })),
    ],
    tickMs: 0,
  });
  const dir = makeTempDir('disk-full');
  let disk: SmallDisk | undefined;
  let gw: Tracked | undefined;
  try {
    disk = mountSmallDisk(DISK_BYTES);
    const bus = rig.buses['plant-net'];
    if (bus?.type !== 'tcp') throw new Error('virtual rig: no tcp bus');
    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    const siteFile = join(dir, 'site.yaml');
    writeFileSync(siteFile, siteYaml(bus.port, apiPort, join(disk.dir, 'vigil.db')));
    gw = spawnTracked([cliPath, 'run', '--config', siteFile], { cwd: dir });
    await waitForOutbox(api, gw);
    const g = gw;
    const health = (): Promise<HealthView> => getJson<HealthView>(`${api}/api/health`);
    await waitFor(async () => ((await outbox(api))?.lastSeq ?? 0) > 20, 15_000, 'the first committed readings');

    const filled = disk.fill();
    ctx.log(`disk-full: filled ${fmtInt(filled)} bytes; waiting for SQLITE_FULL`);
    const d = disk;
    const faultSeen = await waitFor(async () => {
      const h = await health();
      return h.outbox.error !== undefined ? h : undefined;
    }, 60_000, 'the store fault in /api/health (SQLITE_FULL)').catch(() => undefined);
    const droppedBefore = (await metricTotal(api, 'vigil_readings_dropped_total')) ?? 0;

    // The second level while nothing can be committed.
    const t0 = performance.now();
    rig.device('gas-1').set('gas_lel', 60);
    const valve = rig.device('valve-1');
    const closedMs = await waitFor(() => (valve.get('close_command') === true ? performance.now() - t0 : undefined), 10_000, 'the interlock to close the valve', 10).catch(() => Number.NaN);
    const alarm = await waitFor(async () => (await getJson<AlarmsView>(`${api}/api/alarms`)).alarms.find((a) => a.id === ALARM && a.state !== 'normal'), 10_000, `${ALARM} to trip`).catch(() => undefined);
    await waitFor(async () => ((await metricTotal(api, 'vigil_readings_dropped_total')) ?? 0) > droppedBefore, 60_000, 'readings dropped and counted', 250).catch(() => undefined);
    const dropped = (await metricTotal(api, 'vigil_readings_dropped_total')) ?? 0;
    const stillFull = (await health()).outbox.error !== undefined;
    const alive = g.child.exitCode === null && g.child.signalCode === null;

    // Space comes back.
    d.free();
    const seqAtFree = (await outbox(api))?.lastSeq ?? 0;
    const freedAt = performance.now();
    const recovered = await waitFor(async () => {
      const o = await outbox(api);
      return o !== null && o.lastSeq > seqAtFree + 20;
    }, 60_000, 'commits to resume after space returned').then(() => true, () => false);
    const recoveryMs = performance.now() - freedAt;
    return [
      {
        figure: 'store fault shown while the disk is full',
        measured: faultSeen ? `status ${faultSeen.status}: ${String(faultSeen.outbox.error).slice(0, 60)}` : 'no fault shown',
        target: '/api/health outbox.error, status fault',
        kind: 'must',
        pass: faultSeen !== undefined && faultSeen.status === 'fault',
        test: `${scale}; ${fmtInt(filled)} filler bytes`,
      },
      {
        figure: 'gas alarm trips on a full disk',
        measured: alarm ? `${ALARM}: ${alarm.state}` : 'did not trip within 10 s',
        target: 'trips',
        kind: 'must',
        pass: alarm !== undefined && stillFull,
        test: `${scale}; disk still full when checked: ${stillFull}`,
      },
      {
        figure: 'interlock writes its output on a full disk',
        measured: Number.isNaN(closedMs) ? 'valve not closed within 10 s' : `valve closed ${closedMs.toFixed(0)} ms after the reading changed`,
        target: 'closes (GB 50166: within 3 s)',
        kind: 'must',
        pass: !Number.isNaN(closedMs) && closedMs <= 3_000,
        test: scale,
      },
      {
        figure: 'telemetry dropped on a full disk, counted',
        measured: `${fmtInt(dropped)} readings`,
        target: '> 0, in vigil_readings_dropped_total',
        kind: 'must',
        pass: dropped > 0,
        test: `${scale}; the gateway process ${alive ? 'kept running' : 'EXITED'}`,
      },
      {
        figure: 'commits resume when space returns',
        measured: recovered ? `${(recoveryMs / 1000).toFixed(1)} s after the filler was deleted` : 'not within 60 s',
        target: 'by itself, no restart',
        kind: 'must',
        pass: recovered && alive,
        test: scale,
      },
    ];
  } finally {
    if (gw) await stopChild(gw, 5_000);
    await rig.stop().catch(() => undefined);
    disk?.unmount();
    removeTempDir(dir);
  }
}
