import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readWalkTestRecord } from './walk-test-input.js';

const fixture = join(import.meta.dirname, 'testcases', 'walk-test.json');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-wt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function file(content: string): string {
  const f = join(tmp, `r${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, content);
  return f;
}

describe('readWalkTestRecord', () => {
  it('reads a record as `vigil walk-test` writes it', () => {
    const r = readWalkTestRecord(fixture);
    expect(r.site).toBe('riverside-coatings');
    expect(r.outputs.map((o) => o.confirmed)).toEqual([true, true, false, null]);
    expect(r.detectors[0]!.readings[0]).toEqual({ tMs: 0, value: 0 });
  });

  it('names every wrong key with its path and value', () => {
    const f = file(JSON.stringify({ schema: 'vigil.walk-test/1', site: 'a', gateway: 'g', installer: 'x', startedAt: 'yesterday', endedAt: '2026-11-23T09:00:00Z', outputs: [{ name: 'o', kind: 'sounder', confirmed: 'yes', note: null }], detectors: [] }));
    expect(() => readWalkTestRecord(f)).toThrow(`${f}: not a walk-test record:`);
    expect(() => readWalkTestRecord(f)).toThrow(/startedAt: a date-time such as 2026-11-23T09:30:00Z \(got "yesterday"\)/);
    expect(() => readWalkTestRecord(f)).toThrow(/outputs\[0\]\.confirmed: .* \(got "yes"\)/);
  });

  it('refuses a file that is not a walk-test record of this format', () => {
    expect(() => readWalkTestRecord(file('{"site": "a"}'))).toThrow(/schema: "schema" must be "vigil.walk-test\/1"/);
  });

  it('says when the file is not JSON or is missing', () => {
    expect(() => readWalkTestRecord(file('site: a'))).toThrow(/not JSON .*a walk-test record is the JSON file `vigil walk-test` writes/);
    expect(() => readWalkTestRecord(join(tmp, 'nope.json'))).toThrow(/nope\.json: file not found/);
  });
});
