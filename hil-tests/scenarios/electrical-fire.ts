import { rigTest } from '../harness/rig-test.js';
import { checkAlarm, deviceOf, EFM, needsDevice, sounderOf } from './support.js';

/**
 * GB 14287.2/.3 electrical-fire monitoring: a residual current above 300 mA and a cable above
 * 70 °C each raise their own alarm (the profile's defaults), and the sounder announces them.
 */
rigTest('electrical-fire', { title: 'Electrical fire: residual current and cable temperature alarms', requires: needsDevice(EFM) }, async (rig, step, t) => {
  const efm = deviceOf(rig, EFM);
  const sounder = sounderOf(rig.file);
  await step(`${efm}: alarms normal at rest`, async () => {
    await checkAlarm(rig, `${efm}/residual_current_high`, ['normal']);
    await checkAlarm(rig, `${efm}/cable_temperature_1_high`, ['normal']);
  });
  if (sounder) await step(`${sounder} silent at rest`, () => rig.expectOutput(sounder, 'off', 5_000, 600));
  const t1 = performance.now();
  await step(`${efm}: residual current rises to 350 mA`, () => rig.apply(efm, 'residual_current', 350));
  await step('residual_current_high raised', () => rig.expectAlarm(`${efm}/residual_current_high`, ['unacknowledged']));
  t.figure('residual current at 350 mA to alarm in the API', performance.now() - t1, 'ms');
  if (sounder) await step(`${sounder} sounds`, () => rig.expectOutput(sounder, 'on'));
  await step('no temperature alarm yet', () => checkAlarm(rig, `${efm}/cable_temperature_1_high`, ['normal']));
  const t2 = performance.now();
  await step(`${efm}: cable temperature channel 1 rises to 80 °C`, () => rig.apply(efm, 'cable_temperature_1', 80));
  await step('cable_temperature_1_high raised', () => rig.expectAlarm(`${efm}/cable_temperature_1_high`, ['unacknowledged']));
  t.figure('cable at 80 °C to alarm in the API', performance.now() - t2, 'ms');
  await step('both back to normal values: the alarms latch (rtn-unacknowledged)', async () => {
    await rig.apply(efm, 'residual_current', 120);
    await rig.apply(efm, 'cable_temperature_1', 35);
    await rig.expectAlarm(`${efm}/residual_current_high`, ['rtn-unacknowledged']);
    await rig.expectAlarm(`${efm}/cable_temperature_1_high`, ['rtn-unacknowledged']);
  });
});
