import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startVirtualRig, type VirtualRig } from '../virtual-rig/rig.js';
import type { BenchRigFile } from '../rig-file/schema.js';
import { ScriptedOperator, type ScriptedAnswer } from './operator.js';
import { installFakeGpiod, type FakeGpiod } from './output-probe.js';
import { BenchSession } from './bench-session.js';
import { BASELINES } from './virtual-session.js';
import { runScenario, scenarios } from './rig-test.js';
import { junitXml } from './junit.js';
import '../scenarios/index.js';

/**
 * The bench path in CI: a bench rig file whose "real" serial port is a virtual rig's pty, and a
 * scripted operator who does what a person would — puts test gas on a detector (sets the
 * simulator), pulls an A/B pair (the device goes dead), looks at the fan (reads the GPIO the
 * gateway drives) — and answers truthfully. The scenarios and the bench session are the ones a
 * real bench runs; only the hands and eyes are scripted.
 */
let rig: VirtualRig | undefined;
let dir: string | undefined;
afterEach(async () => {
  await rig?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function benchOnVirtualHardware(): Promise<{ file: BenchRigFile; gpio: FakeGpiod }> {
  dir = mkdtempSync(join(tmpdir(), 'vigil-hil-bench-'));
  const devices = [
    { name: 'gas-1', unitId: 1, profile: 'generic/combustible-gas' },
    { name: 'gas-2', unitId: 2, profile: 'generic/combustible-gas' },
    { name: 'valve-1', unitId: 5, profile: 'generic/gas-valve-actuator' },
  ];
  rig = await startVirtualRig({ buses: [{ name: 'rs485-1', type: 'rtu' }], devices: devices.map((d) => ({ ...d, bus: 'rs485-1', behaviours: { ...BASELINES[d.profile] } })), tickMs: 100 });
  const bus = rig.buses['rs485-1'];
  if (bus?.type !== 'rtu') throw new Error('no rtu bus');
  const gpio = installFakeGpiod(dir);
  const file: BenchRigFile = {
    version: 1,
    kind: 'bench',
    name: 'scripted-bench',
    gateway: { pollMs: 250, timeoutMs: 200 },
    broker: { mode: 'in-process' },
    gpioChip: gpio.chip,
    operatorTimeoutMs: 10_000,
    buses: [{ name: 'rs485-1', type: 'rtu', port: bus.gatewayPort, baudRate: 9600, parity: 'even', stopBits: 1 }],
    devices: devices.map((d) => ({ ...d, bus: 'rs485-1' })),
    outputs: [
      { name: 'sounder', kind: 'sounder', line: 17, activeLow: false, failsafe: 'on', readBack: { kind: 'operator' } },
      { name: 'fan', kind: 'relay', line: 23, activeLow: false, failsafe: 'off', readBack: { kind: 'operator' } },
    ],
    interlock: { name: 'close-gas-valve', detector: 'gas-1', valve: 'valve-1', fan: 'fan', confirmWithinMs: 5_000 },
  };
  return { file, gpio };
}

/** A person's eyes on an output: on = driven within the last 1.5 s (a pulsing sounder), off = not driven now. */
function looks(gpio: FakeGpiod, line: number, want: 'on' | 'off'): () => boolean {
  return () => {
    const ev = gpio.probe(line, false).events();
    const now = performance.now();
    const on = ev.at(-1)?.active === true || ev.some((e) => e.active && now - e.at < 1_500);
    return want === 'on' ? on : !on;
  };
}

function gas(name: string, lel: number): () => void {
  return () => {
    rig!.device(name).set('gas_lel', lel);
    rig!.device(name).set('status', lel >= 50 ? 'alarm_level_2' : lel >= 25 ? 'alarm_level_1' : 'normal');
  };
}

describe('a bench rig with a scripted operator', () => {
  it('runs the gas ramp and the comm-loss scenarios through the operator prompts', async () => {
    const { file, gpio } = await benchOnVirtualHardware();
    const answers: ScriptedAnswer[] = [
      { match: /sounder "sounder" OFF/, act: looks(gpio, 17, 'off') },
      { match: /apply 30 %LEL test gas to detector gas-1 \(unit 1\)/, act: gas('gas-1', 30) },
      { match: /sounder "sounder" sounding/, act: looks(gpio, 17, 'on') },
      { match: /apply 55 %LEL test gas to detector gas-1/, act: gas('gas-1', 55) },
      { match: /relay "fan" energised/, act: looks(gpio, 23, 'on') },
      { match: /remove the test gas from detector gas-1 and let it fall to 2 %LEL/, act: gas('gas-1', 2) },
      { match: /relay "fan" OFF/, act: looks(gpio, 23, 'off') },
      { match: /sounder "sounder" OFF/, act: looks(gpio, 17, 'off') },
      // comm-loss
      { match: /Disconnect the RS-485 A\/B pair of gas-2 \(unit 2 on rs485-1\)/, act: () => rig!.inject('gas-2', 'dead') },
      { match: /sounder "sounder" sounding/, act: looks(gpio, 17, 'on') },
      { match: /Reconnect the RS-485 A\/B pair of gas-2/, act: () => rig!.clear('gas-2') },
    ];
    const operator = new ScriptedOperator(answers);
    for (const name of ['gas-ramp-interlock', 'comm-loss']) {
      const scenario = scenarios().find((s) => s.name === name)!;
      const r = await runScenario(scenario, file, (needs) => BenchSession.open(file, operator, needs, dir!, gpio.env));
      expect(r.message ?? '', operator.transcript.join('\n')).toBe('');
      expect(r.status).toBe('passed');
    }
    // every scripted act was asked for: the prompts a person at the bench would have seen
    expect(operator.transcript.filter((l) => l.startsWith('instruct:'))).toHaveLength(5);
    expect(operator.transcript.filter((l) => l.startsWith('confirm:'))).toHaveLength(6);
  });

  it('fails the scenario at the step the operator says no to, and JUnit reports it', async () => {
    const { file, gpio } = await benchOnVirtualHardware();
    const operator = new ScriptedOperator([
      { match: /sounder "sounder" OFF/, act: looks(gpio, 17, 'off') },
      { match: /apply 30 %LEL/, act: gas('gas-1', 30) },
      { match: /sounder "sounder" sounding/, act: () => false }, // the person hears nothing
    ]);
    const scenario = scenarios().find((s) => s.name === 'gas-ramp-interlock')!;
    const r = await runScenario(scenario, file, (needs) => BenchSession.open(file, operator, needs, dir!, gpio.env));
    expect(r.status).toBe('failed');
    expect(r.message).toBe('step "sounder sounds": the operator says sounder is not on');
    const xml = junitXml({ name: 'scripted-bench', timestamp: 'now', hostname: 'ci' }, [r]);
    expect(xml).toContain('<failure message="step &quot;sounder sounds&quot;: the operator says sounder is not on" type="ScenarioFailed">');
    expect(readFileSync(join(dir!, 'site.yaml'), 'utf8')).toContain(`port: ${file.buses[0]!.port}`);
  });
});
