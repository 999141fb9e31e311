import { describe, expect, it } from 'vitest';
import { subscribe, waitUntil } from '../forward/testing/broker.js';
import { signCommand } from '../forward/command-auth.js';
import {
  alarmEvents,
  alarmsById,
  COMMAND_KEY,
  COMMANDS_TOPIC,
  edgeIntervals,
  eventually,
  GATEWAY_ID,
  LINES,
  REPLY_TOPIC,
  setGas,
  SITE_ID,
  startSafetySite,
} from './testing/safety-site.js';

/**
 * Alarms acted on from afar and alarms about the field bus itself, on the virtual rig: a signed
 * cloud command acknowledges an alarm (and the journal names the cloud user), an unsigned or
 * replayed one is refused in the reply; a detector that stops answering is a fault alarm (故障)
 * with its own pattern, never silence. Requires the compiled build (dist/).
 */

interface Reply {
  id: string | null;
  ok: boolean;
  error?: string;
  message: string;
  state?: string;
}

describe('cloud commands on the virtual rig', () => {
  it('carries out a signed acknowledge and names the cloud user in the journal; refuses unsigned, forged and replayed commands', async () => {
    const site = await startSafetySite();
    const { gw, api } = await site.startGateway();
    await setGas(site, gw, 'gas-1', 30);
    await eventually(() => alarmsById(api), (a) => a.get('gas-1/gas_high')?.state === 'unacknowledged', 2_000, 'gas-1/gas_high unacknowledged');
    await site.waitForCommandSubscription();

    const cloud = await subscribe(site.broker.url, REPLY_TOPIC);
    try {
      const send = async (command: Record<string, unknown>): Promise<Reply> => {
        await cloud.client.publishAsync(COMMANDS_TOPIC, JSON.stringify(command), { qos: 1 });
        const [m] = await cloud.waitFor((r) => r.json<Reply>().id === command['id'], { timeoutMs: 3_000 });
        return m!.json<Reply>();
      };
      const command = (id: string) => ({ id, ts: Date.now(), user: 'zhang.wei', action: 'acknowledge', alarm: 'gas-1/gas_high', note: '阀门已关闭 valve closed', site: SITE_ID, gateway: GATEWAY_ID });

      // Unsigned, or signed with another key: refused, nothing changes.
      expect(await send(command('cmd-unsigned'))).toMatchObject({ ok: false, error: 'bad-signature' });
      expect(await send(signCommand(command('cmd-forged'), 'a-key-someone-guessed-0000000000000'))).toMatchObject({ ok: false, error: 'bad-signature' });
      expect((await alarmsById(api)).get('gas-1/gas_high')?.state).toBe('unacknowledged');

      const signed = signCommand(command('cmd-1'), COMMAND_KEY);
      expect(await send(signed)).toMatchObject({ ok: true, state: 'acknowledged' });
      expect((await alarmsById(api)).get('gas-1/gas_high')).toMatchObject({ state: 'acknowledged', occurrence: { acknowledgedBy: { kind: 'cloud', name: 'zhang.wei' } } });

      // The same signed command again is a replay.
      const [replayed] = await Promise.all([
        cloud.waitFor((r) => r.json<Reply>().id === 'cmd-1', { count: 2, timeoutMs: 3_000 }).then((ms) => ms[1]!.json<Reply>()),
        cloud.client.publishAsync(COMMANDS_TOPIC, JSON.stringify(signed), { qos: 1 }),
      ]);
      expect(replayed).toMatchObject({ ok: false, error: 'replay' });
    } finally {
      await cloud.close();
    }

    // The journal and the cloud's event stream both say who acknowledged it and why.
    const journal = await eventually(
      () => api.get<{ entries: { event: { type: string; data: { actor: { kind: string; name?: string }; note?: string } } }[] }>('/api/alarms/journal?subject=gas-1/gas_high'),
      (j) => j.body.entries.some((e) => e.event.type === 'alarm.acknowledged'),
      3_000,
      'alarm.acknowledged in the journal',
    );
    expect(journal.body.entries[0]!.event).toMatchObject({ type: 'alarm.acknowledged', data: { actor: { kind: 'cloud', name: 'zhang.wei' }, note: '阀门已关闭 valve closed' } });
    await waitUntil(() => alarmEvents(site.broker.published, 'gas-1/gas_high').some((e) => e.type === 'alarm.acknowledged'), 5_000, 'alarm.acknowledged at the broker');
    expect(alarmEvents(site.broker.published, 'gas-1/gas_high').map((e) => e.type)).toEqual(['alarm.activated', 'alarm.acknowledged']);
    expect(alarmEvents(site.broker.published, 'gas-1/gas_high')[1]!.data).toMatchObject({ actor: { kind: 'cloud', name: 'zhang.wei' } });
  });
});

describe('lost communication on the virtual rig', () => {
  it('raises gas-2/communication as a fault alarm with the fault pattern on the strobe; it returns to normal unacknowledged when the detector answers again', async () => {
    const site = await startSafetySite();
    const { gw, gpio, api } = await site.startGateway();
    await setGas(site, gw, 'gas-2', 3);
    expect((await alarmsById(api)).get('gas-2/communication')?.state).toBe('normal');

    const cutAt = Date.now();
    site.rig.inject('gas-2', 'dead');
    const alarms = await eventually(() => alarmsById(api), (a) => a.get('gas-2/communication')?.state === 'unacknowledged', 5_000, 'gas-2/communication unacknowledged');
    expect(alarms.get('gas-2/communication')).toMatchObject({ class: 'fault', priority: 'high', conditionActive: true });
    // Only gas-2 is in fault: the other detectors on the same line keep being read.
    expect(alarms.get('gas-1/communication')?.state).toBe('normal');
    const health = await api.get<{ status: string; reasons: string[] }>('/api/health');
    expect(health.body.status).toBe('fault');
    expect(health.body.reasons.some((r) => r.includes('gas-2'))).toBe(true);

    // GB 16808: a fault lamp flashes at ≥ 0.2 Hz and differently from a gas alarm — 1 s on, 1 s off here.
    await waitUntil(() => edgeIntervals(gpio, LINES.strobe, cutAt).length >= 2, 4_000, 'the strobe to flash the fault pattern');
    for (const dt of edgeIntervals(gpio, LINES.strobe, cutAt)) {
      expect(dt).toBeGreaterThanOrEqual(1_000 - 60);
      expect(dt).toBeLessThan(1_000 + 300);
    }
    expect(gpio.writes(LINES.sounder, cutAt).some((w) => w.level === 1)).toBe(true); // the fault beep

    await waitUntil(() => alarmEvents(site.broker.published, 'gas-2/communication').length > 0, 5_000, 'the fault at the broker');
    expect(alarmEvents(site.broker.published, 'gas-2/communication')[0]).toMatchObject({ type: 'alarm.activated', severity: 'fault', device: 'gas-2' });

    // The detector answers again: the condition clears; a person still has to acknowledge it.
    site.rig.clear('gas-2');
    const back = await eventually(() => alarmsById(api), (a) => a.get('gas-2/communication')?.state === 'rtn-unacknowledged', 5_000, 'gas-2/communication back to normal, unacknowledged');
    expect(back.get('gas-2/communication')).toMatchObject({ conditionActive: false, occurrence: { clearedTs: expect.any(Number) } });
    await waitUntil(() => alarmEvents(site.broker.published, 'gas-2/communication').some((e) => e.type === 'alarm.cleared'), 5_000, 'alarm.cleared at the broker');
  });
});

describe('a failed interlock on the virtual rig', () => {
  it('is a fault alarm of its own (interlock/<name>) and a health fault; it clears once a retry is confirmed', async () => {
    const site = await startSafetySite();
    const { gw, api } = await site.startGateway();
    await setGas(site, gw, 'gas-1', 3);
    expect((await alarmsById(api)).get('interlock/close-gas-valve')?.state).toBe('normal');

    // The valve controller stops answering just before the gas reaches the second level.
    site.rig.inject('valve-1', 'dead');
    await setGas(site, gw, 'gas-1', 60);
    const alarms = await eventually(() => alarmsById(api), (a) => a.get('interlock/close-gas-valve')?.state === 'unacknowledged', 10_000, 'interlock/close-gas-valve unacknowledged');
    expect(alarms.get('interlock/close-gas-valve')).toMatchObject({ class: 'fault', priority: 'high', value: 'failed' });
    const health = await api.get<{ status: string; reasons: string[] }>('/api/health');
    expect(health.body.status).toBe('fault');
    expect(health.body.reasons.some((r) => r.startsWith('interlock close-gas-valve: failed'))).toBe(true);

    // The controller answers again: the periodic retry closes the valve and the fault clears.
    site.rig.clear('valve-1');
    const back = await eventually(() => alarmsById(api), (a) => a.get('interlock/close-gas-valve')?.state === 'rtn-unacknowledged', 15_000, 'interlock fault back to normal');
    expect(back.get('interlock/close-gas-valve')?.conditionActive).toBe(false);
    expect(site.rig.device('valve-1').get('close_command')).toBe(true);
  });
});
