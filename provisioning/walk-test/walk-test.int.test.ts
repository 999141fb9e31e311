import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it, onTestFinished } from 'vitest';
import { waitUntil } from '../../gateway/forward/testing/broker.js';
import { packageRoot } from '../../gateway/paths.js';
import { alarmsById, API_USER, LINES, startSafetySite } from '../../gateway/runtime/testing/safety-site.js';
import type { WalkTestRecord } from './record.js';

const CLI = join(packageRoot(), 'dist', 'provisioning', 'cli.js');

/**
 * `vigil walk-test` end to end: a gateway on the virtual rig (sounder, strobe, fan relay, three
 * gas detectors), the CLI spawned from dist/ with an answers file. The test plays the installer
 * honestly: it reads the CLI's prompts on stdout and does what a person would — on "apply test
 * gas to gas-1 now" it sets the simulated detector's concentration, on "remove the test gas" it
 * sets it back. gas-3 never gets gas, so its step must fail with a reason.
 */
describe('vigil walk-test on the virtual rig', () => {
  it('switches each output, bump-tests the detectors, resets the latched alarms as the installer and writes the record', async () => {
    const site = await startSafetySite();
    const { gw, gpio, api } = await site.startGateway();
    await waitUntil(() => gw.points.snapshot('gas-3').some((p) => p.point === 'gas_lel' && p.quality === 'good'), 10_000, 'gas-3 to be read');
    const answersFile = join(site.dir, 'answers.yaml');
    writeFileSync(answersFile, 'outputs:\n  sounder-1: true\n  strobe-1: { confirmed: true, note: "seen from the gate" }\n  exhaust-fan: true\n');
    const out = join(site.dir, 'walk-test.json');
    const t0 = Date.now();

    const child = spawn(
      process.execPath,
      // As the installer guide has it: the user's token comes from the site's secrets file. The
      // site's api.port is 0 (any free port), so the address is given.
      [CLI, 'walk-test', '--config', site.siteFile, '--user', API_USER, '--api', gw.apiUrl, '--installer', 'Wang Wei', '--out', out, '--answers', answersFile,
        '--only', 'sounder-1,strobe-1,exhaust-fan,gas-1,gas-3', '--output-seconds', '5', '--detector-timeout', '4'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    let gasAppliedAt = Number.POSITIVE_INFINITY;
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      if (line.startsWith('apply test gas to gas-1 now')) {
        gasAppliedAt = Date.now();
        site.rig.device('gas-1').set('gas_lel', 32);
      }
      if (line.includes('remove the test gas from gas-1 now')) site.rig.device('gas-1').set('gas_lel', 0);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(1); // gas-3 failed

    const record = JSON.parse(readFileSync(out, 'utf8')) as WalkTestRecord;
    expect(record).toMatchObject({ schema: 'vigil.walk-test/1', site: 'safety-plant', gateway: 'gw-safety', installer: 'Wang Wei', api: gw.apiUrl });
    expect(record.outputs).toEqual([
      { name: 'sounder-1', kind: 'sounder', line: LINES.sounder, tested: true, confirmed: true, readBack: { on: true, level: 1, fault: null }, note: null },
      { name: 'strobe-1', kind: 'strobe', line: LINES.strobe, tested: true, confirmed: true, readBack: { on: true, level: 1, fault: null }, note: 'seen from the gate' },
      { name: 'exhaust-fan', kind: 'relay', line: LINES.fan, tested: true, confirmed: true, readBack: { on: true, level: 1, fault: null }, note: null },
    ]);
    // The lines really moved, before any gas was applied (and the fan is given back: off).
    for (const line of [LINES.sounder, LINES.strobe, LINES.fan]) expect(gpio.writes(line, t0).some((w) => w.level === 1 && w.ts < gasAppliedAt)).toBe(true);
    expect(gpio.level(LINES.fan)).toBe(0);

    const [gas1, gas3] = record.detectors;
    expect(record.detectors.map((d) => d.device)).toEqual(['gas-1', 'gas-3']);
    expect(gas1).toMatchObject({ point: 'gas_lel', alarmId: 'gas-1/gas_high', setpoint: 25, unit: '%LEL', baseline: 0, peak: 32, passed: true, reason: null });
    expect(gas1!.timeToAlarmMs).toBeGreaterThanOrEqual(0);
    expect(gas1!.timeToAlarmMs).toBeLessThan(4_000);
    expect(gas1!.occurrenceId).toEqual(expect.any(String));
    expect(gas1!.handled).toEqual([{ alarmId: 'gas-1/gas_high', acknowledged: true, reset: true, message: expect.any(String) }]);
    expect(gas1!.readings.some((r) => r.value === 32)).toBe(true);
    expect(gas1!.readings.at(-1)?.value).toBe(0);
    expect(gas3).toMatchObject({ alarmId: 'gas-3/gas_high', passed: false, timeToAlarmMs: null, reason: 'no gas-3/gas_high within 4 s (peak 0 %LEL, set point 25)' });
    expect(record.summary).toEqual({ outputsConfirmed: 3, outputsTotal: 3, detectorsPassed: 1, detectorsTotal: 2, passed: false });

    // What the installer saw: the prompts, the reset, the summary table.
    expect(lines).toContain('sounder-1: is the sounder sounding now (line 17)? yes (answers file)');
    expect(lines.some((l) => l.startsWith('acknowledged and reset as Wang Wei (in the alarm journal): gas-1/gas_high reset'))).toBe(true);
    expect(lines).toContain('outputs confirmed 3/3, detectors passed 1/2: NOT PASSED');

    // The gateway: gas-1 back to normal, the journal names the person and the walk-test.
    expect((await alarmsById(api)).get('gas-1/gas_high')?.state).toBe('normal');
    const journal = await api.get<{ entries: { event: { type: string; data?: { actor?: { name?: string }; note?: string; to?: string } } }[] }>(
      `/api/alarms/journal?subject=${encodeURIComponent('gas-1/gas_high')}`,
    );
    const reset = journal.body.entries.find((e) => e.event.data?.to === 'normal' && e.event.data.actor?.name === API_USER);
    expect(reset?.event.data?.note).toBe('walk-test by Wang Wei: detector bump test');
    const tests = await api.get<{ entries: { event: { type: string; data?: { actor?: { name?: string }; output?: string } } }[] }>('/api/alarms/journal?subject=annunciator');
    const started = tests.body.entries.filter((e) => e.event.type === 'annunciator.output-test-started');
    expect(started.map((e) => [e.event.data?.output, e.event.data?.actor?.name]).sort()).toEqual([['exhaust-fan', API_USER], ['sounder-1', API_USER], ['strobe-1', API_USER]]);
  });
});
