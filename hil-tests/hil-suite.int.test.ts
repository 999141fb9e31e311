import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../gateway/paths.js';

/**
 * `npm run hil -- --rig hil-tests/rigs/virtual.yaml` as CI runs it: the compiled runner in a child
 * process, every scenario on the virtual rig (a real gateway process per scenario), and the two
 * files a test engineer gets. `npm test` builds first.
 */
const RUNNER = join(packageRoot(), 'dist', 'hil-tests', 'harness', 'run-hil.js');
const RIG = join(packageRoot(), 'hil-tests', 'rigs', 'virtual.yaml');
const SCENARIOS = ['gas-ramp-interlock', 'electrical-fire', 'fire-to-centre', 'comm-loss', 'power-cycle-latched', 'broker-outage', 'unsynchronised-clock'];
const tmp = mkdtempSync(join(tmpdir(), 'vigil-hil-suite-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function hil(...args: string[]) {
  return spawnSync(process.execPath, [RUNNER, ...args], { encoding: 'utf8', timeout: 110_000, cwd: packageRoot() });
}

describe('npm run hil on the virtual rig', () => {
  it('passes every scenario and writes a JUnit file and a Markdown report with the timings', () => {
    expect(existsSync(RUNNER), `${RUNNER} is missing — run \`npm run build\` first`).toBe(true);
    const report = join(tmp, 'report');
    const r = hil('--rig', RIG, '--report', report);
    expect(r.status, `exit ${r.status}; output:\n${r.stdout}\n${r.stderr}`).toBe(0);
    for (const name of SCENARIOS) expect(r.stdout).toMatch(new RegExp(`^PASS  ${name}  \\d+\\.\\d s`, 'm'));

    const junit = readFileSync(join(report, 'junit.xml'), 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(junit).toMatch(/<testsuite name="ci-virtual" tests="7" failures="0" errors="0" skipped="0" time="\d+\.\d{3}" timestamp="[^"]+" hostname="[^"]+">/);
    for (const name of SCENARIOS) expect(junit).toMatch(new RegExp(`<testcase classname="hil\\.ci-virtual" name="${name}" time="\\d+\\.\\d{3}">`));
    expect(junit).not.toContain('<failure');

    const md = readFileSync(join(report, 'report.md'), 'utf8');
    expect(md).toContain('# Vigil HIL report — rig ci-virtual');
    expect(md).toMatch(/\| gateway version \| \d+\.\d+\.\d+ \|/);
    expect(md).toMatch(/\| result \| PASS: 7 passed, 0 failed, 0 skipped \|/);
    // each step with its duration, and the key figures
    expect(md).toMatch(/\| \d+ \| interlock close-gas-valve trips and is confirmed by valve-1's limit switch \| ok \| \d+ ms \|/);
    const centre = /\| fire alarm to centre \(from the panel simulator's fire frame\) \| (\d+) ms \| < 10000 \|/.exec(md);
    expect(centre, md).not.toBeNull();
    expect(Number(centre![1])).toBeLessThan(10_000);
    const outage = /\| readings produced during the outage \| (\d+) readings \|/.exec(md);
    const delivered = /\| of those delivered after it \| (\d+) readings \|/.exec(md);
    expect(Number(outage?.[1])).toBeGreaterThanOrEqual(40);
    expect(delivered?.[1]).toBe(outage?.[1]);
  });

  it('runs only the scenarios named with --only', () => {
    const report = join(tmp, 'only');
    const r = hil('--rig', RIG, '--only', 'fire-to-centre', '--report', report);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(readFileSync(join(report, 'junit.xml'), 'utf8')).toMatch(/tests="1" failures="0"/);
  });

  it('says which scenarios exist for an unknown --only name, and exits 2', () => {
    const r = hil('--rig', RIG, '--only', 'gas-rampp', '--report', join(tmp, 'x'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no scenario named gas-rampp; the scenarios are: gas-ramp-interlock, electrical-fire/);
  });

  it('refuses a bad rig file naming the line, the path and the value, and exits 2', () => {
    const r = hil('--rig', join(packageRoot(), 'hil-tests', 'rig-file', 'testcases', 'bad-rig.yaml'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad-rig\.yaml: 2 problem\(s\) in the rig file:/);
    expect(r.stderr).toMatch(/bad-rig\.yaml:10:\d+ buses\[0\]\.baudRate: must be one of 1200, .*\(got 9601\)/);
  });
});
