import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PointSnapshot } from '../../gateway/api/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';
import { AnswersOperator, checkAnswers, loadAnswers } from './answers.js';
import { planDetectorSteps } from './detector-plan.js';

const alarm = (id: string, over: Partial<AlarmSnapshot>): AlarmSnapshot =>
  ({ id, name: id.split('/')[1]!, description: '', kind: 'high', priority: 'high', colour: 'orange', class: 'gas', latch: true, state: 'normal', conditionActive: false, latchPending: false, annunciating: false, shelvedUntil: null, occurrence: null, ...over }) as AlarmSnapshot;

describe('planDetectorSteps', () => {
  it('picks each gas/EF point once, by its first level; skips faults, process alarms and alarms without a set point', () => {
    const alarms = [
      alarm('gas-1/gas_high_high', { device: 'gas-1', point: 'gas_lel', setpoint: 50, priority: 'critical' }),
      alarm('gas-1/gas_high', { device: 'gas-1', point: 'gas_lel', setpoint: 25 }),
      alarm('gas-1/communication', { device: 'gas-1', kind: 'communication', class: 'fault' }),
      alarm('o2-1/o2_low_low', { device: 'o2-1', point: 'o2', kind: 'low', setpoint: 18 }),
      alarm('o2-1/o2_low', { device: 'o2-1', point: 'o2', kind: 'low', setpoint: 19.5 }),
      alarm('em-1/leakage', { device: 'em-1', point: 'residual_current', setpoint: 300, class: 'electrical-fire' }),
      alarm('ahu/temp_high', { device: 'ahu', point: 'temp', setpoint: 30, class: 'process' }),
      alarm('gas-1/detector_alarm', { device: 'gas-1', point: 'status', kind: 'state' }),
    ];
    const points = [{ device: 'gas-1', point: 'gas_lel', unit: '%LEL' }, { device: 'em-1', point: 'residual_current', unit: 'mA' }] as PointSnapshot[];
    expect(planDetectorSteps(alarms, points).map((s) => [s.alarmId, s.setpoint, s.unit, s.class])).toEqual([
      ['gas-1/gas_high', 25, '%LEL', 'gas'],
      ['o2-1/o2_low', 19.5, null, 'gas'],
      ['em-1/leakage', 300, 'mA', 'electrical-fire'],
    ]);
  });
});

describe('answers file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-answers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };

  it('reads booleans and { confirmed, note } and answers the questions by output name', async () => {
    const answers = loadAnswers(file('a.yaml', 'outputs:\n  sounder-1: true\n  strobe-1: { confirmed: false, note: dim }\n'));
    const printed: string[] = [];
    const op = new AnswersOperator(answers, (l) => printed.push(l));
    expect(await op.confirm('strobe-1: is the strobe flashing now (line 27)?', 1_000)).toBe(false);
    expect(op.noteFor('strobe-1')).toBe('dim');
    expect(printed).toEqual(['strobe-1: is the strobe flashing now (line 27)? no (answers file)']);
    await expect(op.confirm('fan: is the relay energised now (line 22)?', 1_000)).rejects.toThrow('no answer from the operator');
  });

  it('names the file and the field for a bad answer, and lists unknown and missing outputs', () => {
    const bad = file('b.json', '{"outputs": {"sounder-1": "yes"}}');
    expect(() => loadAnswers(bad)).toThrow(`${bad}: outputs.sounder-1:`);
    expect(checkAnswers({ 'sounder-2': { confirmed: true } }, ['sounder-1', 'fan'], 'a.yaml')).toEqual([
      'a.yaml: outputs.sounder-2: the gateway has no such output (it has: sounder-1, fan)',
      'a.yaml: no answer for sounder-1, fan',
    ]);
  });
});
