import { rigTest } from '../harness/rig-test.js';
import { checkAlarm, GAS, needsDevice } from './support.js';

/**
 * DESIGN principle 3: latched alarms and acknowledgements survive a power cut. One alarm is left
 * unacknowledged, one acknowledged; both conditions go away, so both are latched in memory only
 * by the gateway's persisted state. After SIGKILL + restart (virtual) or a real power cycle
 * (bench), each must be exactly as it was.
 */
rigTest('power-cycle-latched', { title: 'Power cycle with latched alarms', requires: needsDevice(GAS) }, async (rig, step) => {
  const [first, second] = rig.devices(GAS);
  const a = `${first}/gas_high`;
  const b = second ? `${second}/gas_high` : undefined;
  await step(`${first}${second ? ` and ${second}` : ''}: gas rises to 30 %LEL`, async () => {
    await rig.apply(first!, 'gas_lel', 30);
    if (second) await rig.apply(second, 'gas_lel', 30);
  });
  await step('first-level alarms raised', async () => {
    await rig.expectAlarm(a, ['unacknowledged']);
    if (b) await rig.expectAlarm(b, ['unacknowledged']);
  });
  if (b) {
    await step(`acknowledge ${b} only`, async () => {
      const r = await rig.gateway.acknowledge(b);
      if (!r.ok) throw new Error(`acknowledge refused: ${r.message}`);
    });
  }
  await step('the gas goes away', async () => {
    await rig.apply(first!, 'gas_lel', 2);
    if (second) await rig.apply(second, 'gas_lel', 2);
  });
  const before = await step('alarms latched: one unacknowledged, one acknowledged and waiting for reset', async () => {
    await rig.expectAlarm(a, ['rtn-unacknowledged', 'unacknowledged']);
    if (b) await rig.expectAlarm(b, ['latched']);
    return { a: await rig.alarmState(a), b: b ? await rig.alarmState(b) : undefined };
  });
  await step('power cycle the gateway', () => rig.powerCycle());
  await step(`${a} is still ${before.a} after the restart`, () => checkAlarm(rig, a, [before.a]));
  if (b && before.b) await step(`${b} is still ${before.b} after the restart`, () => checkAlarm(rig, b, [before.b!]));
  await step('and still needs a person: acknowledge and reset work as before', async () => {
    const ack = await rig.gateway.acknowledge(a);
    if (!ack.ok) throw new Error(`acknowledge of ${a} refused: ${ack.message}`);
    await rig.expectAlarm(a, ['latched', 'normal']);
  });
});
