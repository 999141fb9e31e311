import { check, rigTest } from '../harness/rig-test.js';
import { checkAlarm } from './support.js';

/** GB 26875.1: a fire alarm reaches the monitoring centre within 10 s. */
export const CENTRE_DEADLINE_MS = 10_000;

rigTest(
  'fire-to-centre',
  {
    title: 'Fire panel alarm reaches the monitoring centre within 10 s',
    requires: (rig) => (rig.kind === 'virtual' ? (rig.fire ? null : 'the rig file has no fire panel') : rig.firePanel && rig.monitoringCentre ? null : 'the rig file has no fire panel and monitoring centre'),
  },
  async (rig, step, t) => {
    const panel = rig.firePanel!;
    await step(`${panel}: no fire at rest`, () => checkAlarm(rig, `${panel}/fire`, ['normal']));
    const trigger = await step(`${panel} reports a fire`, () => rig.fire());
    const arrived = await step('the monitoring centre receives the fire alarm', () => rig.centreReceivedFire(trigger, CENTRE_DEADLINE_MS + 5_000));
    if (arrived !== null) {
      const ms = arrived - trigger.sentAt;
      t.figure(`fire alarm to centre (from ${trigger.measuredFrom})`, ms, 'ms', `< ${CENTRE_DEADLINE_MS}`);
      await step('within 10 s (GB 26875.1)', async () => check(ms < CENTRE_DEADLINE_MS, `took ${Math.round(ms)} ms`));
    }
    await step(`the gateway shows ${panel}/fire, unacknowledged`, () => rig.expectAlarm(`${panel}/fire`, ['unacknowledged']));
    await step('the panel is reset', () => rig.resetFirePanel());
  },
);
