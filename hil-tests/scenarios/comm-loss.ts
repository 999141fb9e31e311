import { check, rigTest } from '../harness/rig-test.js';
import { checkAlarm, sounderOf } from './support.js';

/**
 * DESIGN principle 2: lost communication is a fault alarm, never silence. The device stops
 * answering → "<device>/communication" (class fault) and health says so; when it answers again
 * the condition clears and health is ok again. The device chosen is the last gas detector, so
 * the interlock's detector keeps watching on a rig with two.
 */
function victim(devices: readonly { name: string; profile: string }[]): string | undefined {
  return devices.filter((d) => d.profile === 'generic/combustible-gas').at(-1)?.name ?? devices[0]?.name;
}

rigTest('comm-loss', { title: 'Communication loss → fault alarm → recovery', requires: (rig) => (victim(rig.devices) ? null : 'the rig has no device') }, async (rig, step, t) => {
  const dev = victim(rig.file.devices)!;
  const sounder = sounderOf(rig.file);
  await step(`${dev}: communication alarm normal at rest`, () => checkAlarm(rig, `${dev}/communication`, ['normal']));
  await step(`cut ${dev} off the bus`, () => rig.cut(dev));
  t.figure('communication fault alarm after the cut', await step(`${dev}/communication raised`, () => rig.expectAlarm(`${dev}/communication`, ['unacknowledged'], 20_000)), 'ms');
  await step(`health shows ${dev} not answering`, async () => {
    const h = await rig.gateway.health();
    const state = h.devices.find((d) => d.name === dev)?.state;
    check(state === 'comm-fault' || state === 'backed-off', `${dev} health state is ${state ?? 'missing'}, expected comm-fault or backed-off`);
    check(h.status === 'fault', `gateway status is ${h.status}, expected fault while a device is lost`);
  });
  if (sounder) await step(`${sounder} announces the fault`, () => rig.expectOutput(sounder, 'on'));
  await step(`reconnect ${dev}`, () => rig.reconnect(dev));
  const t1 = performance.now();
  await step(`health shows ${dev} ok again`, () =>
    rig.waitFor(`${dev} ok in health`, async () => ((await rig.gateway.health()).devices.find((d) => d.name === dev)?.state === 'ok' ? true : undefined), 20_000),
  );
  t.figure('recovery after reconnecting', performance.now() - t1, 'ms');
  await step(`${dev}/communication clears (waits for acknowledgement only)`, () => rig.expectAlarm(`${dev}/communication`, ['rtn-unacknowledged', 'normal'], 10_000));
  await step('acknowledged, it is normal', async () => {
    if ((await rig.alarmState(`${dev}/communication`)) === 'rtn-unacknowledged') {
      const r = await rig.gateway.acknowledge(`${dev}/communication`);
      check(r.ok, `acknowledge refused: ${r.message}`);
    }
    await rig.expectAlarm(`${dev}/communication`, ['normal']);
  });
});
