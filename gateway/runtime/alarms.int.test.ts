import { describe, expect, it } from 'vitest';
import { waitUntil } from '../forward/testing/broker.js';
import { publishedSeqs } from './testing/collect.js';
import {
  alarmEvents,
  alarmsById,
  edgeIntervals,
  eventually,
  FullDiskStore,
  INTERLOCK,
  interlock,
  interlockEvents,
  LINES,
  setGas,
  startSafetySite,
  GATEWAY_ID,
  VALVE_TRAVEL_MS,
} from './testing/safety-site.js';

/**
 * The local alarm end to end on the virtual rig (issue 3): a simulated combustible-gas detector
 * ramps up → first- then second-level alarm → the gas valve's coil is written on the RS-485 line
 * and its limit switch read back → the sounder and strobe lines play the gas pattern → the alarm
 * and interlock events reach the cloud broker, in order. Then the same with the broker down and
 * the disk full: the sounder and the interlock do not wait for either (DESIGN.md principle 1),
 * and nothing is lost once they are back. Requires the compiled build (dist/).
 */

/** GB 16808 gas pattern: 0.5 s on, 0.5 s off on both the sounder and the strobe (patterns.ts). */
const GAS_HALF_PERIOD_MS = 500;

function expectGasPattern(intervals: number[], line: string): void {
  expect(intervals.length, `${line}: level changes seen`).toBeGreaterThanOrEqual(3);
  for (const dt of intervals) {
    // Timers on a loaded test machine run late, never early; an edge is still one half-period apart.
    expect(dt, `${line}: time between level changes`).toBeGreaterThanOrEqual(GAS_HALF_PERIOD_MS - 60);
    expect(dt, `${line}: time between level changes`).toBeLessThan(GAS_HALF_PERIOD_MS + 300);
  }
}

describe('gas alarm on the virtual rig', () => {
  it('ramps gas-1 to 60 %LEL: two alarm levels, the valve closes, the sounder and strobe play the gas pattern, the events reach the broker in order', async () => {
    const site = await startSafetySite();
    const { gw, gpio, api } = await site.startGateway();
    await site.broker.waitForClient(GATEWAY_ID);
    await setGas(site, gw, 'gas-1', 0);
    expect(site.rig.device('valve-1').get('close_command')).toBe(false);
    expect(gpio.level(LINES.sounder)).toBe(0);

    // Below the first level: nothing.
    await setGas(site, gw, 'gas-1', 15);
    let alarms = await alarmsById(api);
    expect(alarms.get('gas-1/gas_high')?.state).toBe('normal');

    // 30 %LEL: the first level (GB/T 50493: 25 %LEL) — not yet the second.
    await setGas(site, gw, 'gas-1', 30);
    const firstLevelAt = Date.now();
    alarms = await alarmsById(api);
    expect(alarms.get('gas-1/gas_high')).toMatchObject({ state: 'unacknowledged', priority: 'high', class: 'gas', conditionActive: true });
    expect(alarms.get('gas-1/gas_high')?.occurrence).toMatchObject({ firstValue: 30 });
    expect(alarms.get('gas-1/gas_high_high')?.state).toBe('normal');
    expect((await interlock(api))?.state).toBe('ready');
    expect(site.rig.device('valve-1').get('close_command')).toBe(false);

    await setGas(site, gw, 'gas-1', 45);
    expect((await alarmsById(api)).get('gas-1/gas_high_high')?.state).toBe('normal');

    // 60 %LEL: the second level (50 %LEL), critical, drives the interlock.
    await setGas(site, gw, 'gas-1', 60);
    alarms = await alarmsById(api);
    expect(alarms.get('gas-1/gas_high_high')).toMatchObject({ state: 'unacknowledged', priority: 'critical', conditionActive: true });
    expect(alarms.get('gas-1/gas_high')?.occurrence).toMatchObject({ firstValue: 30, peakValue: 60 });
    // The coil is written on the wire, the valve travels, its limit switch confirms.
    await waitUntil(() => site.rig.device('valve-1').get('close_command') === true, 2_000, 'the valve close coil to be written');
    const il = await eventually(() => interlock(api), (s) => s?.state === 'tripped', 3_000, `interlock ${INTERLOCK} tripped (confirmed)`);
    expect(il).toMatchObject({ trippedBy: 'gas-1/gas_high_high', activeTriggers: ['gas-1/gas_high_high'], lastError: null });
    // The command left in the same turn as the alarm (GB/T 50493 linkage: within 3 s; Vigil: < 100 ms),
    // and the confirmation really waited for the valve's travel.
    const timing = il!.lastTiming!;
    expect(timing.issuedAt - timing.trippedAt).toBeLessThan(100);
    expect(timing.confirmedAt! - timing.trippedAt).toBeGreaterThanOrEqual(VALVE_TRAVEL_MS);
    expect(timing.attempts).toBe(1);
    expect(site.rig.device('valve-1').get('closed_feedback')).toBe(true);
    expect(gpio.level(LINES.fan)).toBe(1); // the exhaust fan relay is on

    // The sounder and the strobe play the gas pattern (GB 16808: ≥ 1 Hz flash).
    await waitUntil(() => edgeIntervals(gpio, LINES.sounder, firstLevelAt).length >= 4 && edgeIntervals(gpio, LINES.strobe, firstLevelAt).length >= 4, 4_000, 'the sounder and strobe to toggle');
    expectGasPattern(edgeIntervals(gpio, LINES.sounder, firstLevelAt), 'sounder');
    expectGasPattern(edgeIntervals(gpio, LINES.strobe, firstLevelAt), 'strobe');

    // The cloud sees the activations (with the occurrence and the transition), then the interlock.
    await waitUntil(() => interlockEvents(site.broker.published).some((e) => e.type === 'interlock.confirmed'), 5_000, 'interlock.confirmed at the broker');
    const high = alarmEvents(site.broker.published, 'gas-1/gas_high');
    const highHigh = alarmEvents(site.broker.published, 'gas-1/gas_high_high');
    expect(high.map((e) => e.type)).toEqual(['alarm.activated']);
    expect(highHigh.map((e) => e.type)).toEqual(['alarm.activated']);
    expect(high[0]).toMatchObject({ severity: 'alarm', device: 'gas-1', point: 'gas_lel' });
    expect(high[0]!.data).toMatchObject({
      alarmId: 'gas-1/gas_high',
      event: 'activate',
      from: 'normal',
      to: 'unacknowledged',
      actor: { kind: 'sensor', name: 'gas-1' },
      priority: 'high',
      colour: 'orange',
      value: 30,
      setpoint: 25,
      occurrence: { id: expect.stringMatching(/^gas-1\/gas_high@\d+$/), firstValue: 30 },
    });
    expect(highHigh[0]!.data).toMatchObject({ alarmId: 'gas-1/gas_high_high', priority: 'critical', colour: 'red', value: 60, setpoint: 50, to: 'unacknowledged' });
    const interlockTrail = interlockEvents(site.broker.published);
    expect(interlockTrail.map((e) => e.type)).toEqual(['interlock.tripped', 'interlock.confirmed']);
    expect(interlockTrail[0]!.data).toMatchObject({ trigger: 'gas-1/gas_high_high' });
    // In order: first level, second level, the interlock it caused, its confirmation.
    const order = [high[0]!, highHigh[0]!, ...interlockTrail].map((e) => e.seq);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('with the broker down and the disk full, still sounds and closes the valve; health says fault; nothing is lost when both come back', async () => {
    const site = await startSafetySite();
    const store = new FullDiskStore({ budgetBytes: 16_777_216 });
    const { gw, gpio, api } = await site.startGateway({ storeFactory: FullDiskStore.factory(store) });
    await site.broker.waitForClient(GATEWAY_ID);
    await setGas(site, gw, 'gas-1', 0);

    await site.broker.stop();
    store.failing = true;
    const outageAt = Date.now();
    await setGas(site, gw, 'gas-1', 60);

    // The alarm path does not wait for the disk or the network.
    await waitUntil(() => edgeIntervals(gpio, LINES.sounder, outageAt).length >= 2, 3_000, 'the sounder to toggle');
    await waitUntil(() => site.rig.device('valve-1').get('close_command') === true, 2_000, 'the valve close coil to be written');
    await eventually(() => interlock(api), (s) => s?.state === 'tripped', 3_000, 'the interlock confirmed');
    const alarms = await alarmsById(api);
    expect(alarms.get('gas-1/gas_high')?.state).toBe('unacknowledged');
    expect(alarms.get('gas-1/gas_high_high')?.state).toBe('unacknowledged');

    // Fail safe and say so: health is a fault naming the store; the broker is not connected.
    const health = await eventually(
      () => api.get<{ status: string; reasons: string[]; outbox: { error?: string }; broker: { connected: boolean }; safety: { faults: string[] } }>('/api/health'),
      (h) => h.body.outbox.error !== undefined,
      3_000,
      'health to report the store error',
    );
    expect(health.status).toBe(503);
    expect(health.body.status).toBe('fault');
    expect(health.body.outbox.error).toContain('disk is full');
    expect(health.body.reasons.some((r) => r.startsWith('store:') && r.includes('disk is full'))).toBe(true);
    expect(health.body.safety.faults).toEqual([]); // the alarm side itself is sound
    expect(health.body.broker.connected).toBe(false);
    expect(alarmEvents(site.broker.published, 'gas-1/gas_high_high')).toEqual([]);

    // The disk comes back first: the journal held in memory is committed (nothing was dropped) …
    store.failing = false;
    const trail = (j: { subject: string }) => j.subject === 'gas-1/gas_high' || j.subject === 'gas-1/gas_high_high' || j.subject === `interlock:${INTERLOCK}`;
    const journal = await eventually(() => store.readJournal({ limit: 1000 }), (j) => j.filter(trail).length >= 4, 5_000, 'the held journal to be committed');
    const committed = journal.filter(trail);
    expect(committed.map((j) => j.event.type).sort()).toEqual(['alarm.activated', 'alarm.activated', 'interlock.confirmed', 'interlock.tripped']);
    // … then the broker: every alarm and interlock event reaches the cloud as backlog, none twice.
    await site.restartBroker();
    await waitUntil(() => committed.every((j) => publishedSeqs(site.broker.published).has(j.seq)), 10_000, 'every journaled alarm event at the broker');
    expect(alarmEvents(site.broker.published, 'gas-1/gas_high_high').map((e) => e.type)).toEqual(['alarm.activated']);
    expect(alarmEvents(site.broker.published, 'gas-1/gas_high').map((e) => e.type)).toEqual(['alarm.activated']);
    expect(interlockEvents(site.broker.published).map((e) => e.type)).toEqual(['interlock.tripped', 'interlock.confirmed']);
    expect([...alarmEvents(site.broker.published), ...interlockEvents(site.broker.published)].every((e) => e.historical)).toBe(true);
    const back = await eventually(() => api.get<{ outbox: { error?: string } }>('/api/health'), (h) => h.body.outbox.error === undefined, 5_000, 'the store error to clear');
    expect(back.body.outbox.error).toBeUndefined();
  });
});
