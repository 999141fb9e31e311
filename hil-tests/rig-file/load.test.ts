import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../gateway/config/problems.js';
import { packageRoot } from '../../gateway/paths.js';
import { loadRigFile } from './load.js';

const rigs = join(packageRoot(), 'hil-tests', 'rigs');

describe('rig files', () => {
  it.each(['virtual.yaml', 'bench-example.yaml'])('the shipped %s is valid', (name) => {
    const r = loadRigFile(join(rigs, name));
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual([]);
  });

  it('the bench example describes the documented bench: 2 gas detectors, an electrical-fire monitor, a read-back sounder, a fire panel', () => {
    const r = loadRigFile(join(rigs, 'bench-example.yaml'));
    if (!r.ok || r.rig.kind !== 'bench') throw new Error('bench-example.yaml did not load as a bench rig');
    expect(r.rig.devices.filter((d) => d.profile === 'generic/combustible-gas')).toHaveLength(2);
    expect(r.rig.devices.filter((d) => d.profile === 'generic/electrical-fire-monitor')).toHaveLength(1);
    expect(r.rig.outputs.find((o) => o.kind === 'sounder')?.readBack).toMatchObject({ kind: 'gpio' });
    expect(r.rig.firePanel?.transport.type).toBe('serial');
    expect(new Set(r.rig.buses.map((b) => b.port)).size).toBe(1);
  });

  it('reports every mistake with line, path and value', () => {
    const r = loadRigFile(join(packageRoot(), 'hil-tests', 'rig-file', 'testcases', 'bad-rig.yaml'));
    expect(r.ok).toBe(false);
    const lines = r.ok ? [] : r.problems.map(formatProblem);
    // the schema pass stops the semantic one: first the shape
    expect(lines).toEqual([
      expect.stringMatching(/bad-rig\.yaml:4:7 name: a rig name is lower case letters, digits, - and _ \(got "Bench A"\)/),
      expect.stringMatching(/bad-rig\.yaml:10:\d+ buses\[0\]\.baudRate: must be one of 1200, 2400, .*\(got 9601\)/),
    ]);
  });

  it('after the shape is right, names bad references, duplicate units, unknown profiles and points, and bench outputs nobody can observe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-rig-'));
    try {
      const text = readFileSync(join(packageRoot(), 'hil-tests', 'rig-file', 'testcases', 'bad-rig.yaml'), 'utf8').replace('Bench A', 'bench-a').replace('9601', '9600');
      const file = join(dir, 'rig.yaml');
      writeFileSync(file, text);
      const r = loadRigFile(file);
      const lines = r.ok ? [] : r.problems.map(formatProblem);
      expect(lines).toEqual([
        expect.stringMatching(/rig\.yaml:12:\d+ devices\[0\]\.stimuli\.gas_lell: profile generic\/combustible-gas has no point of that name \(did you mean "gas_lel"\?\).*\(got "gas_lell"\)/),
        expect.stringMatching(/rig\.yaml:13:\d+ devices\[1\]\.bus: no bus of that name \(did you mean "rs485-1"\?\) \(got "rs458-1"\)/),
        expect.stringMatching(/rig\.yaml:14:\d+ devices\[2\]\.unitId: another device on bus "rs485-1" has unit id 1 \(got 1\)/),
        expect.stringMatching(/rig\.yaml:14:\d+ devices\[2\]\.profile: no such profile.*\(got "generic\/combustible-gaz"\)/),
        expect.stringMatching(/rig\.yaml:16:\d+ outputs\[0\]: a bench output needs readBack/),
        expect.stringMatching(/rig\.yaml:17:\d+ interlock\.valve: must be a generic\/gas-valve-actuator device, not generic\/combustible-gas \(got "gas-2"\)/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
