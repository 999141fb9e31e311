import { describe, expect, it } from 'vitest';
import { waitUntil } from '../forward/testing/broker.js';
import {
  alarmsById,
  API_USER,
  edgeIntervals,
  eventually,
  INTERLOCK,
  interlock,
  LINES,
  setGas,
  startSafetySite,
} from './testing/safety-site.js';

/**
 * Latching and manual reset on the virtual rig (GB/T 50493, GB 16808: a gas alarm stays until a
 * person resets it; ISA-18.2 latched state): a latched alarm and a tripped interlock survive a
 * restart on the same data directory (real SQLite store), and a reset is refused — by the API,
 * with a 409 that says why — while the gas is still there. Requires the compiled build (dist/).
 */

const HH = 'gas-1/gas_high_high';

describe('latched gas alarms on the virtual rig', () => {
  it('keeps a latched alarm latched and the interlock tripped across a restart; the journal names who acknowledged', async () => {
    const site = await startSafetySite();
    const first = await site.startGateway();
    await setGas(site, first.gw, 'gas-1', 55);
    await eventually(() => alarmsById(first.api), (a) => a.get(HH)?.state === 'unacknowledged', 2_000, `${HH} unacknowledged`);
    await eventually(() => interlock(first.api), (s) => s?.state === 'tripped', 3_000, 'the interlock confirmed');

    // Acting needs a token: none → 401, a wrong one → 401, and nothing changes.
    const anonymous = await first.api.post(`/api/alarms/${HH}/acknowledge`, undefined, null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'unauthorized' });
    expect((await first.api.post(`/api/alarms/${HH}/acknowledge`, undefined, 'not-a-token-of-anyone')).status).toBe(401);
    expect((await alarmsById(first.api)).get(HH)?.state).toBe('unacknowledged');

    const ack = await first.api.post(`/api/alarms/${HH}/acknowledge`, { note: 'valve closed, area evacuated' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ ok: true, state: 'acknowledged' });
    expect((await first.api.post('/api/alarms/gas-1/gas_high/acknowledge')).status).toBe(200);

    // The gas goes away: both levels stay latched until a person resets them.
    await setGas(site, first.gw, 'gas-1', 0);
    const latched = await eventually(() => alarmsById(first.api), (a) => a.get(HH)?.state === 'latched', 2_000, `${HH} latched`);
    expect(latched.get(HH)).toMatchObject({ conditionActive: false, latchPending: true });
    expect(latched.get('gas-1/gas_high')?.state).toBe('latched');

    // Restart on the same data directory.
    await first.gw.stop();
    const second = await site.startGateway();
    const restored = await alarmsById(second.api);
    expect(restored.get(HH)).toMatchObject({ state: 'latched', latchPending: true, occurrence: { acknowledgedBy: { kind: 'api', name: API_USER } } });
    expect(restored.get('gas-1/gas_high')?.state).toBe('latched');
    // The interlock was never reset: it re-asserts its actions and is tripped again.
    const il = await eventually(() => interlock(second.api), (s) => s?.state === 'tripped', 3_000, 'the interlock tripped after the restart');
    expect(il).toMatchObject({ trippedBy: HH, activeTriggers: [] });
    expect(site.rig.device('valve-1').get('close_command')).toBe(true);
    expect(second.gpio.level(LINES.fan)).toBe(1);
    // Still annunciated: the strobe flashes for a latched alarm; the sounder stays quiet (acknowledged).
    const startedAt = Date.now();
    await waitUntil(() => edgeIntervals(second.gpio, LINES.strobe, 0).length >= 2, 3_000, 'the strobe to flash after the restart');
    expect(second.gpio.writes(LINES.sounder, startedAt).every((w) => w.level === 0)).toBe(true);

    // The journal (newest first) says who acknowledged it, with the note.
    const journal = await second.api.get<{ entries: { subject: string; event: { type: string; data: { actor: { kind: string; name?: string }; note?: string; to: string } } }[] }>(
      `/api/alarms/journal?subject=${encodeURIComponent(HH)}`,
    );
    expect(journal.status).toBe(200);
    expect(journal.body.entries.map((e) => e.event.type)).toEqual(['alarm.cleared', 'alarm.acknowledged', 'alarm.activated']);
    expect(journal.body.entries[1]!.event.data).toMatchObject({ actor: { kind: 'api', name: API_USER }, note: 'valve closed, area evacuated', to: 'acknowledged' });
    expect(journal.body.entries[0]!.event.data.to).toBe('latched');
    // The interlock's own journal shows the re-assertion after the restart, confirmed.
    const ilJournal = await eventually(
      () => second.api.get<{ entries: { event: { type: string; data: { cause?: string } } }[] }>(`/api/alarms/journal?subject=${encodeURIComponent(`interlock:${INTERLOCK}`)}`),
      (j) => j.body.entries[0]?.event.type === 'interlock.confirmed' && j.body.entries.length === 4,
      3_000,
      'the re-asserted interlock confirmed in the journal',
    );
    expect(ilJournal.body.entries.map((e) => [e.event.type, e.event.data.cause])).toEqual([
      ['interlock.confirmed', undefined],
      ['interlock.tripped', 'restart'],
      ['interlock.confirmed', undefined],
      ['interlock.tripped', 'condition'],
    ]);
  });

  it('refuses a reset (409 condition-present) while the gas is above the set point minus the deadband, and accepts it after', async () => {
    const site = await startSafetySite();
    const { gw, api } = await site.startGateway();
    await setGas(site, gw, 'gas-1', 55);
    await eventually(() => interlock(api), (s) => s?.state === 'tripped', 3_000, 'the interlock confirmed');
    expect((await api.post(`/api/alarms/${HH}/acknowledge`)).status).toBe(200);

    const refused = await api.post(`/api/alarms/${HH}/reset`, { note: 'trying too early' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'condition-present', state: 'acknowledged' });
    expect(refused.body['message']).toContain(HH);
    const ilRefused = await api.post(`/api/interlocks/${INTERLOCK}/reset`);
    expect(ilRefused.status).toBe(409);
    expect(ilRefused.body).toMatchObject({ error: 'condition-present', state: 'tripped' });
    expect(ilRefused.body['message']).toContain(HH);

    // 49.5 %LEL is below the 50 %LEL set point but inside its 1 %LEL deadband: still present.
    await setGas(site, gw, 'gas-1', 49.5);
    expect((await api.post(`/api/alarms/${HH}/reset`)).status).toBe(409);
    expect((await api.post(`/api/interlocks/${INTERLOCK}/reset`)).status).toBe(409);
    const unchanged = await alarmsById(api);
    expect(unchanged.get(HH)).toMatchObject({ state: 'acknowledged', conditionActive: true });
    expect((await interlock(api))?.state).toBe('tripped');

    // 30 %LEL: below 50 − 1. The second level may be reset (the first level is still active).
    await setGas(site, gw, 'gas-1', 30);
    await eventually(() => alarmsById(api), (a) => a.get(HH)?.state === 'latched', 2_000, `${HH} latched`);
    const reset = await api.post(`/api/alarms/${HH}/reset`, { note: 'detector checked, reading 30 %LEL and falling' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ ok: true, state: 'normal' });
    const ilReset = await api.post(`/api/interlocks/${INTERLOCK}/reset`, { note: 'leak repaired' });
    expect(ilReset.status).toBe(200);
    expect(ilReset.body).toMatchObject({ ok: true, state: 'ready' });

    const after = await alarmsById(api);
    expect(after.get(HH)).toMatchObject({ state: 'normal', latchPending: false });
    expect(after.get('gas-1/gas_high')).toMatchObject({ state: 'unacknowledged', conditionActive: true }); // never acknowledged here
    expect((await interlock(api))?.state).toBe('ready');
    // A reset releases the interlock, it does not reopen the valve (manual reopening on site).
    expect(site.rig.device('valve-1').get('close_command')).toBe(true);
  });
});
