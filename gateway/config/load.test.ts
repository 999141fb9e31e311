import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isConfigurationFault, VigilError } from '../errors.js';
import { loadSiteConfig, requireSiteConfig } from './load.js';
import { formatProblem } from './problems.js';
import { lines, loadText, siteDir, testCatalog, VALID_SITE } from './testcases/helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => join(here, 'testcases', name, 'site.yaml');
const shown = (problems: Parameters<typeof formatProblem>[0][]) => problems.map((p) => formatProblem(p).replace(`${here}/testcases/`, ''));

describe('loadSiteConfig: every problem in one run', () => {
  it('reports all mistakes of a file, in file order, with path, line:column and value', () => {
    const r = loadSiteConfig(fixture('many-mistakes'), { catalog: testCatalog, env: {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(shown(r.problems)).toEqual([
      'many-mistakes/site.yaml:4:7 site.id: a site id is lower case letters, digits, - and _ (got "Plant-2")',
      'many-mistakes/site.yaml:11:5 buses[0].baudRate: missing required key "baudRate": one of 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200',
      'many-mistakes/site.yaml:14:5 buses[0].baudrate: unknown key "baudrate" (did you mean "baudRate"?); allowed keys here: name, description, timeoutMs, retries, interRequestDelayMs, backoff, type, port, baudRate, dataBits, parity, stopBits',
      'many-mistakes/site.yaml:20:11 buses[1].port: must be a number, not text — write 502 without quotes (got "502")',
      'many-mistakes/site.yaml:24:13 devices[0].unitId: must be a whole number (got 1.5)',
      'many-mistakes/site.yaml:28:10 devices[1].bus: no bus is named "line2" (did you mean "line1"?); buses in this file: "line1", "meters" (got "line2")',
      'many-mistakes/site.yaml:34:16 storage.budgetBytes: must be ≥ 1048576 (got 100)',
    ]);
    expect(shown(r.warnings)).toEqual([
      'many-mistakes/site.yaml:36:9 api.bind: the local API (alarm acknowledge, reset, shelve) is reachable from the network; make sure that network is trusted (got "0.0.0.0")',
    ]);
    expect(r.code).toBe('CONFIG_INVALID');
  });

  it('loads a valid file: config with the schema defaults, configDir, no warnings', () => {
    const r = loadText(VALID_SITE);
    expect(lines(r)).toEqual({ errors: [], warnings: [] });
    if (!r.ok) return;
    expect(r.configDir).toBe(r.dir);
    expect(r.config.buses[1]).toMatchObject({ type: 'tcp', port: 502, timeoutMs: 1000, retries: 1 });
    expect(r.config.api).toEqual({ bind: '127.0.0.1', port: 8080 });
    expect(r.secrets).toEqual({});
    expect(r.profiles.get('generic/combustible-gas')?.id).toBe('generic/combustible-gas');
  });
});

describe('the file itself', () => {
  it('names a missing file with the path it looked at', () => {
    const r = loadSiteConfig('/nonexistent/site.yaml', { catalog: testCatalog });
    expect(r.ok ? [] : r.problems.map(formatProblem)).toEqual(['/nonexistent/site.yaml: file not found (looked for /nonexistent/site.yaml)']);
  });

  it('gives the line and column of a YAML syntax error and stops there', () => {
    const r = loadText(VALID_SITE.replace('    port: /dev/ttyUSB0', '    port: [/dev/ttyUSB0'));
    expect(lines(r).errors).toEqual([
      'site.yaml:13:5: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ] (fix this first: the parser reports 10 more errors after it, most likely caused by this one)',
    ]);
  });

  it('reports a tab used for indentation at its position', () => {
    const r = loadText(VALID_SITE.replace('  name: Plant 2', '\tname: Plant 2'));
    expect(lines(r).errors).toEqual(['site.yaml:4:1: YAML syntax: Tabs are not allowed as indentation']);
  });

  it('rejects a duplicate key at the repeat, naming the first, and still checks the rest', () => {
    const r = loadText(VALID_SITE.replace('  name: Plant 2\n', '  name: Plant 2\n  name: Plant Two\n').replace('unitId: 1\n    profile: generic/combustible-gas', 'unitId: 0\n    profile: generic/combustible-gas'));
    expect(lines(r).errors).toEqual([
      'site.yaml:5:3 site.name: duplicate key "name" (first at line 4): a key may appear only once in a mapping',
      'site.yaml:23:13 devices[0].unitId: must be 1–247 on RTU bus "line1" (0 is the broadcast address, which no device answers); 0 and 255 are accepted only on TCP (got 0)',
    ]);
  });

  it('says an empty file is empty', () => {
    expect(lines(loadText('# nothing yet\n')).errors).toEqual(['site.yaml: the file is empty; a site file is a YAML mapping that starts with `version: 1`']);
  });

  it('refuses a list at the top level', () => {
    expect(lines(loadText('- version: 1\n')).errors).toEqual(['site.yaml:1:1: must be a YAML mapping (key: value lines) that starts with `version: 1`']);
  });
});

describe('version', () => {
  it('a missing version says which versions are read, and the rest is still checked', () => {
    const r = loadText(VALID_SITE.replace('version: 1\n', '').replace('trust: ntp', 'trust: gps'));
    expect(lines(r).errors).toEqual([
      'site.yaml:1:1 version: missing required key "version": this Vigil reads site file version 1 — add `version: 1`',
      'site.yaml:7:10 clock.trust: must be one of "ntp", "always" (got "gps")',
    ]);
  });

  it('a newer version stops the check: its shape is unknown to this build', () => {
    const r = loadText(VALID_SITE.replace('version: 1', 'version: 2').replace('trust: ntp', 'trust: gps'));
    expect(lines(r).errors).toEqual(['site.yaml:1:10 version: is newer than this Vigil understands (it reads version 1); upgrade Vigil (got 2)']);
  });

  it('a version written as text is not read as a number', () => {
    const r = loadText(VALID_SITE.replace('version: 1', 'version: "1"'));
    expect(lines(r).errors).toEqual(['site.yaml:1:10 version: must be a whole number; this Vigil reads site file version 1 (got "1")']);
  });

  it('an old version without a migration is refused by name', () => {
    const r = loadText(VALID_SITE.replace('version: 1', 'version: 0'));
    expect(lines(r).errors).toEqual(['site.yaml:1:10 version: is not a site file version this Vigil reads (it reads 1) (got 0)']);
  });
});

describe('schema messages', () => {
  it('names an unknown top-level key and suggests the near one', () => {
    const r = loadText(VALID_SITE.replace('devices:', 'devics:'));
    expect(lines(r).errors).toEqual([
      'site.yaml:1:1 devices: missing required key "devices"',
      'site.yaml:19:1 devics: unknown key "devics" (did you mean "devices"?); allowed keys here: version, site, gateway, clock, log, secrets, buses, devices, cloud, storage, api, alarms, outputs, interlocks, schedules, firePanels, fireCentre, electricity, profileDirs',
    ]);
  });

  it('judges a new device alarm in the site file as an alarm, not as a broken override', () => {
    const r = loadText(
      VALID_SITE.replace(
        'unitId: 1\n    profile: generic/combustible-gas',
        'unitId: 1\n    alarms:\n      gas_spike: { kind: hihg, point: gas_lel, description: spike, priority: low, class: gas, latch: false, setpoint: 3 }\n      gas_rising: { kind: rate, point: gas_lel, description: rising, priority: low, class: gas, latch: false }\n    profile: generic/combustible-gas',
      ),
    );
    expect(lines(r).errors.map((e) => e.replace(/^site\.yaml:\d+:\d+ /, ''))).toEqual([
      'devices[0].alarms.gas_spike.kind: must be one of "high", "low", "rate", "stale", "quality", "state" (did you mean "high"?) (got "hihg")',
      'devices[0].alarms.gas_rising.perMinute: missing required key "perMinute"',
    ]);
  });

  it('never coerces: "502", 1.5, true-for-text and "1000ms" are errors', () => {
    const r = loadText(
      VALID_SITE.replace('    host: 10.0.0.5', '    host: 10.0.0.5\n    port: "502"')
        .replace('unitId: 1\n    profile: generic/power', 'unitId: 1.5\n    profile: generic/power')
        .replace('pollMs: 10000', 'pollMs: 10s')
        .replace('  name: Plant 2', '  name: true'),
    );
    expect(lines(r).errors).toEqual([
      'site.yaml:4:9 site.name: must be text, not a boolean (got true)',
      'site.yaml:19:11 buses[1].port: must be a number, not text — write 502 without quotes (got "502")',
      'site.yaml:28:13 devices[1].unitId: must be a whole number (got 1.5)',
      'site.yaml:30:13 devices[1].pollMs: must be a number, not text (got "10s")',
    ]);
  });

  it('gives both ends of a range that was crossed', () => {
    const r = loadText(VALID_SITE.replace('baudRate: 9600', 'baudRate: 9600\n    timeoutMs: 5'));
    expect(lines(r).errors).toEqual(['site.yaml:14:16 buses[0].timeoutMs: must be from 10 to 60000 (got 5)']);
  });

  it('names the bus types when `type` is wrong or missing', () => {
    const r = loadText(VALID_SITE.replace('    type: tcp\n', '').replace('    type: rtu', '    type: modbus-rtu'));
    expect(lines(r).errors).toEqual([
      'site.yaml:11:11 buses[0].type: must be one of "rtu", "tcp" (got "modbus-rtu")',
      'site.yaml:16:5 buses[1].type: missing required key "type": one of "rtu", "tcp"',
    ]);
  });

  it('an empty section says what it should hold', () => {
    const r = loadText(VALID_SITE.replace('clock:\n  trust: ntp', 'clock:'));
    expect(lines(r).errors).toEqual(['site.yaml:7:1 clock: is empty; expected a mapping with keys trust, syncMarkers']);
  });

  it('never shows a password written into the site file', () => {
    const r = loadText(`${VALID_SITE}cloud:\n  mqtt:\n    url: mqtts://broker:8883\n    clientId: gw-1\n    password: hunter2\n`);
    const { errors } = lines(r);
    expect(errors).toEqual([
      'site.yaml:37:15 cloud.mqtt.password: must be a secret reference — { secret: KEY } (a key of the secrets file) or { env: NAME } (an environment variable); a secret itself never goes in the site file',
    ]);
    expect(errors.join('\n')).not.toContain('hunter2');
  });

  it('a misspelt password key is reported without its value', () => {
    const r = loadText(`${VALID_SITE}cloud:\n  mqtt:\n    url: mqtts://broker:8883\n    clientId: gw-1\n    pasword: hunter2\n`);
    expect(lines(r).errors[0]).toMatch(/^site\.yaml:37:5 cloud\.mqtt\.pasword: unknown key "pasword" \(did you mean "password"\?\)/);
    expect(lines(r).errors.join('\n')).not.toContain('hunter2');
  });
});

describe('requireSiteConfig', () => {
  it('throws a configuration VigilError listing every problem', () => {
    const file = fixture('many-mistakes');
    let caught: unknown;
    try {
      requireSiteConfig(file, { catalog: testCatalog, env: {} });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(VigilError);
    expect(isConfigurationFault(caught)).toBe(true);
    expect((caught as VigilError).code).toBe('CONFIG_INVALID');
    expect((caught as VigilError).message.split('\n')).toHaveLength(1 + 7);
  });
});

describe('profile directories', () => {
  const PROFILE = `id: acme/gd-100
vendor: Acme
model: GD-100
category: gas-combustible
description: Acme GD-100 detector
source: { generic: false, manual: "GD-100 manual rev 3" }
modbus: {}
points:
  - { name: lel, table: input, address: 0, type: u16 }
`;

  it('are resolved against the site file and searched before the built-in profiles', () => {
    const dir = siteDir({
      'site.yaml': VALID_SITE.replace('storage:', 'profileDirs: [site-profiles, missing-dir]\nstorage:').replace('profile: generic/combustible-gas', 'profile: acme/gd-100'),
    });
    mkdirSync(join(dir, 'site-profiles', 'acme'), { recursive: true });
    writeFileSync(join(dir, 'site-profiles', 'acme', 'gd-100.yaml'), PROFILE);
    const r = loadSiteConfig(join(dir, 'site.yaml'), { env: {} });
    expect(r.ok ? [] : r.problems.map((p) => formatProblem(p).replace(`${dir}/`, ''))).toEqual([
      `site.yaml:30:30 profileDirs[1]: directory not found (resolved to ${dir}/missing-dir) (got "missing-dir")`,
    ]);
  });

  it('a profile from a site directory is used by devices', () => {
    const dir = siteDir({ 'site.yaml': VALID_SITE.replace('storage:', 'profileDirs: [site-profiles]\nstorage:').replace('profile: generic/combustible-gas', 'profile: acme/gd-100') });
    mkdirSync(join(dir, 'site-profiles', 'acme'), { recursive: true });
    writeFileSync(join(dir, 'site-profiles', 'acme', 'gd-100.yaml'), PROFILE);
    const r = loadSiteConfig(join(dir, 'site.yaml'), { env: {} });
    expect(r.ok && r.profiles.get('acme/gd-100')?.model).toBe('GD-100');
    expect(r.ok && r.profiles.get('generic/power-meter-3p')?.id).toBe('generic/power-meter-3p');
  });
});
