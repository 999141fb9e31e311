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

  it('on success prints a one-line summary and the bus budget, and exits 0, even with warnings', () => {
    const dir = siteDir({ 'site.yaml': `${VALID_SITE}api:\n  bind: 0.0.0.0\n` });
    const r = run(join(dir, 'site.yaml'));
    expect(r.code).toBe(0);
    expect(r.err).toEqual([`${dir}/site.yaml:34:9 api.bind: the local API (alarm acknowledge, reset, shelve) is reachable from the network; make sure that network is trusted (got "0.0.0.0") [warning]`]);
    // 2 points from the combustible-gas stand-in + 2 from the power meter stand-in.
    expect(r.out).toEqual([
      'site.yaml: OK — site "plant-2", gateway "gw-1": 2 buses, 2 devices, 4 points; 1 warning',
      '',
      'Bus budget (line time per second; 5 ms device turnaround assumed; worst cycle: every other device queued ahead, one of them dead):',
      '',
      // one FC03 read of 2 registers at 9600 8E1: (8 + 9 + 2 × 3.5) chars × 11/9.6 ms + 5 ms = 32.5 ms
      'line1: RTU 9600 baud 8E1, 1 device: 3 % busy — 0.03 s of line time per second, 1.0 transactions/s — ok',
      '  device  unit  pollMs  reads    cycle  share  worst cycle',
      '  ch4-1      1    1000      1  32.5 ms    3 %  32.5 ms',
      '',
      'meters: TCP 10.0.0.5:502, 1 device: 0.1 transactions/s — utilisation n/a (not a shared serial line)',
    ]);
  });

  it('counts only enabled points', () => {
    const site = VALID_SITE.replace('    pollMs: 1000\n', '    pollMs: 1000\n    points:\n      status: { enabled: false }\n');
    const r = run(join(siteDir({ 'site.yaml': site }), 'site.yaml'));
    expect(r.out[0]).toBe('site.yaml: OK — site "plant-2", gateway "gw-1": 2 buses, 2 devices, 3 points');
    expect(r.code).toBe(0);
  });

  it('a missing file is one error', () => {
    const r = run('/nonexistent/site.yaml');
    expect(r.err).toEqual(['/nonexistent/site.yaml: file not found (looked for /nonexistent/site.yaml)', 'site.yaml: 1 error, 0 warnings']);
    expect(r.code).toBe(1);
  });

  it('rejects an overbooked bus with what to change, and exits 1 (real profiles)', () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = validateCommand(join(here, 'testcases/overbooked-bus/site.yaml'), { log: (l) => out.push(l), error: (l) => err.push(l) }, { env: {} });
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(err.map((l) => l.replace(`${here}/`, ''))).toEqual([
      'testcases/overbooked-bus/site.yaml:8:5 buses[0]: bus "rs485-1" cannot keep up: needs 1.18 s of line time per second at 2400 baud (118 %, 8.2 transactions/s); ' +
        'raise baudRate to 4800 on the bus and every device on it (61 %), lengthen pollMs of gas-1..gas-8 to 2000 (61 %), or split its devices over 2 buses (serial ports)',
      'site.yaml: 1 error, 0 warnings',
    ]);
  });
});
