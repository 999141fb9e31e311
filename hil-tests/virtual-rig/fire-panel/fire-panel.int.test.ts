/**
 * The panel link end to end over real TCP on 127.0.0.1: the simulated panel sends, the gateway's
 * FirePanelLink confirms or denies, and the readings reach the alarm path in the frame's turn.
 */
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../../gateway/clock/clock.js';
import type { Reading } from '../../../gateway/readings.js';
import { TcpServerConnector, tcpClientConnector } from '../../../drivers/fire-panel/connectors.js';
import { FirePanelLink } from '../../../drivers/fire-panel/panel-link.js';
import { panelDialing, panelListening } from './tcp.js';
import { playDemoScript } from './simulated-panel.js';

const clock: Clock = { now: () => Date.now(), monotonic: () => performance.now(), isTrusted: () => true };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('fire panel over TCP (virtual rig)', () => {
  it('a component fire frame → any_fire true within 10 ms of the frame arriving, and a confirm back; a corrupt frame is denied and the link keeps working', async () => {
    const sim = await panelListening();
    cleanups.push(sim.close);
    const batches: { at: number; readings: Reading[] }[] = [];
    const link = new FirePanelLink({ device: 'panel-1', connector: tcpClientConnector({ host: '127.0.0.1', port: sim.port }), clock, onReadings: (readings) => batches.push({ at: performance.now(), readings }) });
    let frameAt = 0;
    link.link.on('frame', () => (frameAt = performance.now())); // registered after the link's own listener: the time the frame was taken
    link.start();
    cleanups.push(() => link.stop());
    await sim.connected();

    const before = performance.now();
    expect(await sim.panel.component({ componentType: 42, zone: 3, position: 12, description: '1号楼3层烟感', flags: { fire: true } })).toBe('confirm');
    const fire = batches.find((b) => b.readings.some((r) => r.point === 'any_fire' && r.value === true));
    expect(fire).toBeDefined();
    // Same turn: the readings were emitted before the link's frame listener returned.
    expect(fire!.at).toBeGreaterThanOrEqual(before);
    expect(frameAt - fire!.at).toBeGreaterThanOrEqual(0);
    expect(frameAt - fire!.at).toBeLessThan(10);
    expect(link.components()[0]).toMatchObject({ key: 'c_1_1_3_12', description: '1号楼3层烟感', fire: true });

    expect(await sim.panel.corrupt('bad-checksum')).toBe('deny');
    expect(await sim.panel.corrupt('garbage')).toBe('no-reply');
    expect(await sim.panel.heartbeat()).toBe('confirm');
    expect(link.counters()).toMatchObject({ confirmed: 2, denied: { 'bad-checksum': 1 }, heartbeats: 1 });
    expect(sim.panel.counters).toMatchObject({ confirmed: 2, denied: 1, noReply: 0 });
  });

  it('the panel dials a listening gateway, plays the demo script, and a dropped connection is a comm fault until it dials again', async () => {
    const connector = new TcpServerConnector({ host: '127.0.0.1', port: 0 });
    const port = await connector.listen();
    const readings: Reading[] = [];
    const link = new FirePanelLink({ device: 'panel-2', connector, clock, onReadings: (r) => readings.push(...r), reconnect: { initialMs: 100, maxMs: 200 } });
    link.start();
    cleanups.push(() => link.stop());
    const panel = await panelDialing(port);
    expect(await playDemoScript(panel)).toEqual(['confirm', 'confirm', 'confirm', 'confirm', 'confirm']);
    const last = (p: string) => readings.filter((r) => r.point === p).at(-1);
    expect(last('c_1_1_3_12_fire')?.value).toBe(false); // reset by the panel
    expect(last('c_1_1_3_20_fault')?.value).toBe(false);

    await panel.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(last('any_fire')).toMatchObject({ quality: 'comm-fault' });

    const again = await panelDialing(port);
    cleanups.push(() => again.close());
    await new Promise((r) => setTimeout(r, 250)); // the link's backoff before it takes the next connection
    expect(await again.heartbeat()).toBe('confirm');
    expect(last('any_fire')).toMatchObject({ quality: 'good', value: false });
    expect(link.counters().connects).toBe(2);
  });
});
