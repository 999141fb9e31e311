import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateCommand } from './validate.js';
import { siteDir, testCatalog, VALID_SITE } from './testcases/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));

function run(file: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = validateCommand(file, { log: (l) => out.push(l), error: (l) => err.push(l) }, { catalog: testCatalog, env: {} });
  return { code, out, err };
}

describe('vigil validate', () => {
  it('prints every error, then the warnings, then a summary, and exits 1', () => {
    const r = run(join(here, 'testcases/many-mistakes/site.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.map((l) => l.replace(`${here}/`, ''))).toEqual([
      'testcases/many-mistakes/site.yaml:4:7 site.id: a site id is lower case letters, digits, - and _ (got "Plant-2")',
      'testcases/many-mistakes/site.yaml:11:5 buses[0].baudRate: missing required key "baudRate": one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
      'testcases/many-mistakes/site.yaml:14:5 buses[0].baudrate: unknown key "baudrate" (did you mean "baudRate"?); allowed keys here: name, description, timeoutMs, retries, interRequestDelayMs, backoff, type, port, baudRate, dataBits, parity, stopBits',
      'testcases/many-mistakes/site.yaml:20:11 buses[1].port: must be a number, not text — write 502 without quotes (got "502")',
      'testcases/many-mistakes/site.yaml:24:13 devices[0].unitId: must be a whole number (got 1.5)',
      'testcases/many-mistakes/site.yaml:28:10 devices[1].bus: no bus is named "line2" (did you mean "line1"?); buses in this file: "line1", "meters" (got "line2")',
      'testcases/many-mistakes/site.yaml:34:16 storage.budgetBytes: must be ≥ 1048576 (got 100)',
      'testcases/many-mistakes/site.yaml:36:9 api.bind: the local API (alarm acknowledge, reset, shelve) is reachable from the network; make sure that network is trusted (got "0.0.0.0") [warning]',
      'site.yaml: 7 errors, 1 warning',
    ]);
  });

  it('on success prints a one-line summary and exits 0, even with warnings', () => {
    const dir = siteDir({ 'site.yaml': `${VALID_SITE}api:\n  bind: 0.0.0.0\n` });
    const r = run(join(dir, 'site.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toEqual([`${dir}/site.yaml:34:9 api.bind: the local API (alarm acknowledge, reset, shelve) is reachable from the network; make sure that network is trusted (got "0.0.0.0") [warning]`]);
    // 2 points from the combustible-gas stand-in + 2 from the power meter stand-in.
    expect(r.out).toEqual(['site.yaml: OK — site "plant-2", gateway "gw-1": 2 buses, 2 devices, 4 points; 1 warning']);
  });

  it('counts only enabled points', () => {
    const site = VALID_SITE.replace('    pollMs: 1000\n', '    pollMs: 1000\n    points:\n      status: { enabled: false }\n');
    const r = run(join(siteDir({ 'site.yaml': site }), 'site.yaml'));
    expect(r.out).toEqual(['site.yaml: OK — site "plant-2", gateway "gw-1": 2 buses, 2 devices, 3 points']);
    expect(r.code).toBe(0);
  });

  it('a missing file is one error', () => {
    const r = run('/nonexistent/site.yaml');
    expect(r.err).toEqual(['/nonexistent/site.yaml: file not found (looked for /nonexistent/site.yaml)', 'site.yaml: 1 error, 0 warnings']);
    expect(r.code).toBe(1);
  });
});
