/**
 * The UITD link against the virtual rig's monitoring centre over real TCP on 127.0.0.1: a fire alarm
 * end to end with its time measured, the centre unreachable and coming back, 查岗 and a read.
 */
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { Command, DataType, type ApplicationData } from '../../../drivers/gb26875/index.js';
import { startMonitoringCentre, type MonitoringCentre } from '../../../hil-tests/virtual-rig/monitoring-centre/centre.js';
import type { Clock } from '../../clock/clock.js';
import { UitdConfigSchema } from './config-schema.js';
import { MemoryUitdQueueStore } from './queue-store.js';
import type { UitdDelivery, UitdSendQueueEvents } from './send-queue.js';
import { UitdLink, type UitdLinkHooks } from './uitd-link.js';

const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now(), isTrusted: () => true };
const T = { second: 0, minute: 0, hour: 8, day: 23, month: 11, year: 26 };
const FIRE: ApplicationData = {
  type: DataType.ComponentStatus,
  objects: [{ systemType: 1, systemAddress: 1, componentType: 42, componentAddress: { zone: 3, position: 12 }, status: 0x0003, description: '1号楼3层烟感', time: T }],
};

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function makeLink(port: number, hooks: UitdLinkHooks = {}, timeouts = { fireMs: 2_000 }): UitdLink {
  const config = UitdConfigSchema.parse({
    centre: { host: '127.0.0.1', port, connectTimeoutMs: 1_000 },
    address: { uitd: 1001, centre: 2001 },
    timeouts,
    reconnect: { initialMs: 100, maxMs: 400 },
  });
  const link = new UitdLink({
    config,
    store: new MemoryUitdQueueStore(),
    state: { systemStatus: (refs) => refs.map((r) => ({ ...r, status: 0x0001, time: T })) },
    clock,
    hooks,
  });
  cleanups.push(() => link.stop());
  return link;
}

async function centre(port = 0): Promise<MonitoringCentre> {
  const c = await startMonitoringCentre({ port });
  cleanups.push(() => c.close());
  return c;
}

function until<T>(subscribe: (resolve: (v: T) => void) => void, what: string, ms = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    subscribe((v) => {
      clearTimeout(timer);
      resolve(v);
    });
  });
}

const isFireFrame = (f: { message?: { header: { command: number }; data?: { type: unknown } } }) =>
  f.message?.header.command === Command.Send && f.message.data?.type === DataType.ComponentStatus;

describe('UITD link ⇄ monitoring centre over TCP', () => {
  it('a fire alarm reaches the centre and is confirmed well inside 10 s', async () => {
    const c = await centre();
    const link = makeLink(c.port);
    await link.start();
    await until<void>((r) => link.on('connected', () => r()), 'the connection');
    const delivered = until<UitdDelivery>((r) => link.queue.on('delivered', r), 'the confirm');
    const t0 = performance.now();
    link.enqueue('fire', FIRE);
    const arrived = await c.waitFor(isFireFrame);
    const d = await delivered;
    expect(arrived.reply).toBe('confirm');
    expect(arrived.message!.data).toEqual(FIRE);
    // Measured on the same clock as the centre's arrival stamp; a loopback send takes milliseconds.
    expect(arrived.arrivedMs - t0).toBeLessThan(1_000);
    expect(d).toMatchObject({ attempts: 1, late: false });
    expect(d.latencyMs).toBeLessThan(1_000);
    expect(link.queue.items()).toEqual([]);
  });

  it('centre unreachable: failure reported after the retries, the item kept, then delivered once when the centre is back', async () => {
    const probe = await startMonitoringCentre();
    const port = probe.port;
    await probe.close(); // nothing listens on `port` now
    const failures: UitdSendQueueEvents['send-failure'][] = [];
    const link = makeLink(port, { onSendFailure: (e) => failures.push(e) }, { fireMs: 250 });
    await link.start();
    const failed = until<void>((r) => link.queue.on('send-failure', () => r()), 'the failure');
    const t0 = performance.now();
    const item = link.enqueue('fire', FIRE);
    await failed;
    const failedAfter = performance.now() - t0;
    expect(failedAfter).toBeGreaterThanOrEqual(900); // 4 attempts × 250 ms
    expect(failedAfter).toBeLessThan(3_000);
    expect(failures).toMatchObject([{ attempts: 4, reason: 'no-confirm', connected: false }]);
    expect(link.queue.items()).toEqual([item]);

    const delivered = until<UitdDelivery>((r) => link.queue.on('delivered', r), 'delivery after the centre came back');
    const back = await centre(port);
    const d = await delivered;
    expect(d.item.id).toBe(item.id);
    expect(back.received.filter(isFireFrame)).toHaveLength(1);
    expect(link.queue.items()).toEqual([]);
  });

  it('a centre that denies is answered with resends; 查岗 is answered only after a person answers; reads are answered', async () => {
    const c = await centre();
    const dutyChecks: number[] = [];
    const link = makeLink(c.port, { onDutyCheck: (r) => dutyChecks.push(r.serial) });
    await link.start();
    await until<void>((r) => link.on('connected', () => r()), 'the connection');

    c.denyNext(1);
    const delivered = until<UitdDelivery>((r) => link.queue.on('delivered', r), 'the confirm');
    link.enqueue('fire', FIRE);
    expect((await delivered).attempts).toBe(2);
    expect(c.received.filter(isFireFrame).map((f) => f.reply)).toEqual(['deny', 'confirm']);

    const confirm = await c.control({ type: DataType.DutyCheck, objects: [{ answerMinutes: 10 }] });
    expect(confirm.header.command).toBe(Command.Confirm);
    expect(dutyChecks).toHaveLength(1);
    const isAnswer = (f: { message?: { data?: { type: unknown } } }) => f.message?.data?.type === DataType.UitdOperation;
    await new Promise((r) => setTimeout(r, 200));
    expect(c.received.filter(isAnswer)).toEqual([]);
    expect(link.answerDutyCheck({ kind: 'api', name: 'duty officer' }).ok).toBe(true);
    const answer = await c.waitFor(isAnswer);
    expect(answer.message!.data).toMatchObject({ objects: [{ operation: 0x20 }] });

    const read = await c.request({ type: DataType.ReadSystemStatus, objects: [{ systemType: 1, systemAddress: 2 }] });
    expect(read.header.command).toBe(Command.Answer);
    expect(read.data).toEqual({ type: DataType.SystemStatus, objects: [{ systemType: 1, systemAddress: 2, status: 1, time: T }] });
  });
});
