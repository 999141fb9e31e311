import { check, rigTest } from '../harness/rig-test.js';
import { deviceOf, GAS, needsDevice, sounderOf } from './support.js';

/**
 * A Raspberry Pi has no RTC: it boots with a wrong wall clock until NTP syncs. Readings taken
 * before that must say clockTrusted=false, health must show it, and alarms must work regardless
 * (they run on monotonic time). Once synchronised, new readings say clockTrusted=true.
 */
rigTest('unsynchronised-clock', { title: 'Boot with an unsynchronised clock', needs: { unsynchronisedClock: true }, requires: needsDevice(GAS) }, async (rig, step, t) => {
  const det = deviceOf(rig, GAS);
  const sounder = sounderOf(rig.file);
  await step('health shows the clock untrusted', async () => {
    const h = await rig.gateway.health();
    check(!h.clock.trusted, 'health says the clock is trusted at boot');
    check(h.reasons.some((r) => /clock/i.test(r)), `health gives no clock reason: ${JSON.stringify(h.reasons)}`);
  });
  await step('readings reach the subscriber with clockTrusted=false', () =>
    rig.waitFor('10 readings at the subscriber', async () => {
      const got = rig.cloud.readings;
      if (got.some((r) => r.clockTrusted)) throw new Error('a reading says clockTrusted=true before the clock was synchronised');
      return got.length >= 10 ? true : undefined;
    }, 20_000),
  );
  await step(`alarms still work: ${det} at 30 %LEL raises gas_high`, async () => {
    await rig.apply(det, 'gas_lel', 30);
    await rig.expectAlarm(`${det}/gas_high`, ['unacknowledged']);
    if (sounder) await rig.expectOutput(sounder, 'on');
  });
  await step('the clock is synchronised', () => rig.synchroniseClock());
  // The marker is re-checked every 10 s (SYNC_RECHECK_MS), so this can take that long.
  const synced = performance.now();
  await step('health shows the clock trusted', () => rig.waitFor('clock trusted in health', async () => ((await rig.gateway.health()).clock.trusted ? true : undefined), 25_000));
  t.figure('synchronised to trusted in health (marker re-checked every 10 s)', performance.now() - synced, 'ms');
  t.figure('readings delivered with clockTrusted=false', rig.cloud.readings.filter((r) => !r.clockTrusted).length, 'readings');
  await step('new readings carry clockTrusted=true', () => {
    const from = rig.cloud.readings.length;
    return rig.waitFor('a trusted reading', async () => (rig.cloud.readings.slice(from).some((r) => r.clockTrusted) ? true : undefined), 15_000);
  });
});
