import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../gateway/config/problems.js';
import { loadProfileFile } from './loader.js';

const testcases = join(fileURLToPath(new URL('.', import.meta.url)), 'testcases');

describe('profile identify: sections (vigil scan)', () => {
  it('reports every mistake in the checks with its place', () => {
    const file = join(testcases, 'bad-identify', 'acme', 'gd100.yaml');
    const r = loadProfileFile(file, join(testcases, 'bad-identify'));
    expect(r.profile).toBeUndefined();
    const messages = r.problems.map(formatProblem).map((m) => m.slice(file.length));
    expect(messages).toEqual([
      ':15:16 identify.checks[0].point: no point of this name in the profile (points: gas_lel, status, fault, level_f) (got "gas_lvl")',
      ':16:16 identify.checks[1].point: "fault" (holding 2 bit 0, bool) is a bit; identification reads numbers from holding/input registers (FC03/FC04) (got "fault")',
      ':17:31 identify.checks[2].range: "status" (holding 1, u16) is an enumeration; compare its raw codes with `equals`',
      ':18:33 identify.checks[3].equals: "level_f" (input 0–1, f32) is an f32; compare it with `range`',
      ':19:71 identify.checks[4].equals[0]: cannot occur in a u16 (0 to 65535) (got 70000)',
      ':20:28 identify.checks[5].register.table: expected one of "holding", "input" (got "coil")',
      ':21:7 identify.checks[6].equals: a check has exactly one of `equals` (raw values) or `range` (engineering values)',
    ]);
  });

  it('refuses model-code identification without a model code', () => {
    const file = join(testcases, 'identify-model-code', 'acme', 'gd100.yaml');
    const r = loadProfileFile(file, join(testcases, 'identify-model-code'));
    expect(r.problems.map(formatProblem)).toEqual([
      `${file}:10:7 identify.by: model-code needs at least one check with \`equals\` (the model code); use plausibility for ranges only (got "model-code")`,
    ]);
  });
});
