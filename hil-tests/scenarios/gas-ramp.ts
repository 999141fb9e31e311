import { check, rigTest } from '../harness/rig-test.js';
import { checkAlarm, GAS, resetLatched, sounderOf } from './support.js';

/**
 * GB/T 50493-2019 §5: a combustible-gas leak raises the first level (25 %LEL), then the second
 * (50 %LEL), which drives the interlock — the valve closes (confirmed by its limit switch, not
 * by reading the coil back) and the fan starts. Alarms latch: acknowledging does not clear them,
 * a reset is refused while the gas is still there and accepted once it has gone.
 */
rigTest(
  'gas-ramp-interlock',
  {
    title: 'Gas ramp → first and second level → interlock → acknowledge → reset',
    requires: (rig) => (rig.interlock ? (sounderOf(rig) ? null : 'the rig has no sounder output') : 'the rig file has no interlock'),
  },
  async (rig, step, t) => {
    const il = rig.file.interlock!;
    const det = il.detector;
    const sounder = sounderOf(rig.file)!;
    await step(`plant at rest: ${det} gas alarms normal, interlock ready`, async () => {
      await checkAlarm(rig, `${det}/gas_high`, ['normal']);
      await checkAlarm(rig, `${det}/gas_high_high`, ['normal']);
      const state = (await rig.gateway.interlocks()).find((i) => i.name === il.name)?.state;
      check(state === 'ready', `interlock ${il.name} is ${state ?? 'missing'}, expected ready`);
    });
    // Otherwise "the sounder sounds" below could not fail.
    await step(`${sounder} silent at rest`, () => rig.expectOutput(sounder, 'off', 5_000, 600));
    const t1 = performance.now();
    await step(`${det}: gas rises to 30 %LEL`, () => rig.apply(det, 'gas_lel', 30));
    await step('first-level alarm gas_high raised, unacknowledged', () => rig.expectAlarm(`${det}/gas_high`, ['unacknowledged']));
    t.figure('gas at 30 %LEL to first-level alarm in the API', performance.now() - t1, 'ms');
    await step('no second-level alarm at 30 %LEL', () => checkAlarm(rig, `${det}/gas_high_high`, ['normal']));
    await step(`${sounder} sounds`, () => rig.expectOutput(sounder, 'on'));
    const t2 = performance.now();
    await step(`${det}: gas rises to 55 %LEL`, () => rig.apply(det, 'gas_lel', 55));
    await step('second-level alarm gas_high_high raised', () => rig.expectAlarm(`${det}/gas_high_high`, ['unacknowledged']));
    t.figure('gas at 55 %LEL to second-level alarm in the API', performance.now() - t2, 'ms');
    const timing = await step(`interlock ${il.name} trips and is confirmed by ${il.valve}'s limit switch`, () =>
      rig.waitFor(
        `interlock ${il.name} tripped and confirmed`,
        async () => {
          const s = (await rig.gateway.interlocks()).find((i) => i.name === il.name);
          if (s?.state === 'failed') throw new Error(`interlock failed: ${s.lastError ?? 'no reason given'}`);
          return s?.state === 'tripped' && s.lastTiming?.confirmedAt != null ? s.lastTiming : undefined;
        },
        il.confirmWithinMs + 5_000,
      ),
    );
    check(timing.trigger === `${det}/gas_high_high`, `tripped by ${timing.trigger}, expected ${det}/gas_high_high`);
    t.figure('interlock: trip to confirmed (valve closed)', timing.confirmedAt! - timing.trippedAt, 'ms', `< ${il.confirmWithinMs}`);
    // The interlock read the limit switch itself to confirm; the point table shows it at the
    // valve's next poll, so wait for it (bounded) rather than race that poll.
    await step(`${il.valve} reports closed`, () =>
      rig.waitFor(
        `${il.valve}/closed_feedback true in the API`,
        async () => ((await rig.gateway.points(il.valve)).find((p) => p.point === 'closed_feedback')?.value === true ? true : undefined),
        5_000,
      ),
    );
    if (il.fan) await step(`${il.fan} runs`, () => rig.expectOutput(il.fan!, 'on'));
    await step('acknowledge every alarm through the local API', async () => {
      const r = await rig.gateway.acknowledgeAll();
      check(r.ok, `acknowledge-all refused: ${r.message}`);
      await checkAlarm(rig, `${det}/gas_high`, ['acknowledged']);
      await checkAlarm(rig, `${det}/gas_high_high`, ['acknowledged']);
    });
    await step('reset refused while the gas is still high', async () => {
      const r = await rig.gateway.reset(`${det}/gas_high_high`);
      check(!r.ok && r.status === 409, `reset at 55 %LEL answered HTTP ${r.status} ${r.message}; expected a 409 refusal`);
      await checkAlarm(rig, `${det}/gas_high_high`, ['acknowledged']);
      const il2 = await rig.gateway.resetInterlock(il.name);
      check(!il2.ok && il2.status === 409, `interlock reset at 55 %LEL answered HTTP ${il2.status} ${il2.message}; expected a 409 refusal`);
    });
    await step(`${det}: gas falls to 2 %LEL`, () => rig.apply(det, 'gas_lel', 2));
    await step('the alarms stay latched until a person resets them', async () => {
      await rig.expectAlarm(`${det}/gas_high`, ['latched']);
      await rig.expectAlarm(`${det}/gas_high_high`, ['latched']);
    });
    await step('reset accepted once the gas has gone', async () => {
      const reset = await resetLatched(rig, det);
      check(reset.includes(`${det}/gas_high_high`), `reset ${reset.join(', ')}; ${det}/gas_high_high was not among them`);
      await rig.expectAlarm(`${det}/gas_high`, ['normal']);
      await rig.expectAlarm(`${det}/gas_high_high`, ['normal']);
    });
    await step(`interlock ${il.name} reset by a person`, async () => {
      const r = await rig.gateway.resetInterlock(il.name);
      check(r.ok, `interlock reset refused: ${r.message}`);
      await rig.waitFor('interlock ready', async () => ((await rig.gateway.interlocks()).find((i) => i.name === il.name)?.state === 'ready' ? true : undefined), 10_000);
    });
    if (il.fan) await step(`${il.fan} stops (released on reset)`, () => rig.expectOutput(il.fan!, 'off'));
    await step(`${sounder} falls silent`, () => rig.expectOutput(sounder, 'off'));
  },
);
