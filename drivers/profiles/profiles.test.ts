import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../gateway/config/problems.js';
import { isVigilError } from '../../gateway/errors.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { createCatalog, loadProfileCatalog, loadProfileFile } from './loader.js';
import type { Profile } from './schema.js';

// Paths as a user would type them (relative to the working directory), so the asserted
// messages are exactly what `vigil validate` prints.
const here = relative(process.cwd(), dirname(fileURLToPath(import.meta.url)));
const testcases = join(here, 'testcases');

/** Load testcases/<name>/<vendor>/<model>.yaml and return the messages a user would read. */
function messages(name: string, file = 'acme/gd100.yaml'): string[] {
  const result = loadProfileFile(join(testcases, name, file), join(testcases, name));
  expect(result.profile).toBeUndefined();
  return result.problems.map(formatProblem);
}

/** Every <vendor>/<model>.yaml under the built-in directory, found independently of the loader. */
function builtinFiles(): string[] {
  const root = builtinProfilesDir();
  return readdirSync(root)
    .filter((v) => statSync(join(root, v)).isDirectory() && v !== 'testcases')
    .flatMap((v) => readdirSync(join(root, v)).filter((f) => f.endsWith('.yaml')).map((f) => `${v}/${f}`));
}

function point(profile: Profile | undefined, name: string) {
  const p = profile?.points.find((x) => x.name === name);
  if (!p) throw new Error(`no point ${name} in ${profile?.id}`);
  return p;
}

describe('built-in profiles', () => {
  const { catalog, problems } = loadProfileCatalog([builtinProfilesDir()]);

  it('all load with zero problems', () => {
    expect(problems.map(formatProblem)).toEqual([]);
  });

  it('every <vendor>/<model>.yaml file is in the catalog under its path', () => {
    const files = builtinFiles().map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(catalog.ids()).toEqual(files);
  });

  it('ships the models the gateway documents', () => {
    expect(catalog.ids()).toEqual(
      expect.arrayContaining([
        'eastron/sdm630',
        'generic/combustible-gas',
        'generic/electrical-fire-monitor',
        'generic/power-meter-3p',
        'generic/toxic-gas-co',
        'generic/toxic-gas-h2s',
      ]),
    );
  });

  it.each(builtinFiles())('%s opens with a header comment that says where the map comes from', (file) => {
    const text = readFileSync(join(builtinProfilesDir(), file), 'utf8');
    const header = text.split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => x.startsWith('#')));
    expect(header.length).toBeGreaterThan(3);
    const profile = catalog.get(file.replace(/\.yaml$/, ''));
    const headerText = header.join('\n');
    if (profile?.source.generic) expect(headerText).toContain('GENERIC map');
    else expect(headerText).toMatch(/https?:\/\//);
    expect(headerText).toContain('0-based protocol addresses');
  });

  it('generic/combustible-gas: %LEL ×0.1 at holding 0, a state enum, fault bits, set points', () => {
    const p = catalog.get('generic/combustible-gas');
    expect(point(p, 'gas_lel')).toMatchObject({ table: 'holding', address: 0, type: 'u16', scale: 0.1, unit: '%LEL', range: { min: 0, max: 100 } });
    expect(point(p, 'status')).toMatchObject({ table: 'holding', address: 1, type: 'u16' });
    expect(point(p, 'status').enum).toMatchObject({ '0': 'normal', '1': 'alarm_level_1', '2': 'alarm_level_2', '3': 'fault', '4': 'warm_up' });
    expect(point(p, 'sensor_fault')).toMatchObject({ table: 'holding', address: 2, type: 'bool', bit: 0 });
    expect(point(p, 'alarm_1_setpoint')).toMatchObject({ address: 3, scale: 0.1, unit: '%LEL' });
    expect(point(p, 'alarm_2_setpoint')).toMatchObject({ address: 4, scale: 0.1, unit: '%LEL' });
    expect(p?.modbus).toEqual({ byteOrder: 'ABCD', maxRegistersPerRequest: 125, maxBitsPerRequest: 2000, maxGap: 0 });
  });

  it('generic/electrical-fire-monitor: residual current in mA, 4 temperatures, alarm and fault words', () => {
    const p = catalog.get('generic/electrical-fire-monitor');
    expect(point(p, 'residual_current')).toMatchObject({ address: 0, type: 'u16', unit: 'mA', range: { min: 0, max: 1000 } });
    for (const ch of [1, 2, 3, 4]) {
      expect(point(p, `cable_temperature_${ch}`)).toMatchObject({ address: ch, type: 'i16', scale: 0.1, unit: '°C' });
      expect(point(p, `over_temperature_alarm_${ch}`)).toMatchObject({ address: 5, bit: ch });
      expect(point(p, `temperature_sensor_${ch}_open`)).toMatchObject({ address: 6, bit: ch * 2 });
      expect(point(p, `temperature_sensor_${ch}_short`)).toMatchObject({ address: 6, bit: ch * 2 + 1 });
    }
    expect(point(p, 'leakage_alarm')).toMatchObject({ address: 5, bit: 0 });
    expect(p?.points.some((x) => x.access === 'readwrite')).toBe(false);
  });

  /** name → [kind, point, setpoint, priority, class, latch] of a profile's default alarms. */
  function alarms(id: string) {
    const p = catalog.get(id);
    return Object.fromEntries((p?.alarms ?? []).map((a) => [a.name, [a.kind, a.point, 'setpoint' in a ? a.setpoint : undefined, a.priority, a.class, a.latch]]));
  }

  it('generic/combustible-gas alarms: GB/T 50493 25 and 50 %LEL latched; detector status; faults not latched', () => {
    const a = alarms('generic/combustible-gas');
    expect(a.gas_high).toEqual(['high', 'gas_lel', 25, 'high', 'gas', true]);
    expect(a.gas_high_high).toEqual(['high', 'gas_lel', 50, 'critical', 'gas', true]);
    expect(a.detector_alarm).toEqual(['state', 'status', undefined, 'high', 'gas', true]);
    expect(a.detector_alarm_2).toEqual(['state', 'status', undefined, 'critical', 'gas', true]);
    for (const fault of ['detector_fault', 'sensor_fault', 'supply_fault', 'gas_reading_fault']) {
      expect(a[fault]?.slice(4)).toEqual(['fault', false]);
    }
    expect(a.gas_reading_fault?.[0]).toBe('quality');
    // every gas alarm is latched, and nothing else is
    const latched = Object.entries(a).filter(([, x]) => x[5]).map(([n]) => n);
    expect(latched.sort()).toEqual(['detector_alarm', 'detector_alarm_2', 'gas_high', 'gas_high_high']);
  });

  it('toxic gas alarms at 100 % and 200 % of the OEL, converted to the detector\'s ppm (rounded down)', () => {
    expect(alarms('generic/toxic-gas-co').gas_high).toEqual(['high', 'co_ppm', 17, 'high', 'gas', true]);
    expect(alarms('generic/toxic-gas-co').gas_high_high).toEqual(['high', 'co_ppm', 34, 'critical', 'gas', true]);
    expect(alarms('generic/toxic-gas-h2s').gas_high).toEqual(['high', 'h2s_ppm', 7, 'high', 'gas', true]);
    expect(alarms('generic/toxic-gas-h2s').gas_high_high).toEqual(['high', 'h2s_ppm', 14.1, 'critical', 'gas', true]);
  });

  it('generic/electrical-fire-monitor alarms: 300 mA and cable temperature latched, sensor-lead faults not', () => {
    const a = alarms('generic/electrical-fire-monitor');
    expect(a.residual_current_high).toEqual(['high', 'residual_current', 300, 'high', 'electrical-fire', true]);
    for (const ch of [1, 2, 3, 4]) {
      expect(a[`cable_temperature_${ch}_high`]).toEqual(['high', `cable_temperature_${ch}`, 70, 'high', 'electrical-fire', true]);
      expect(a[`over_temperature_alarm_${ch}`]?.slice(4)).toEqual(['electrical-fire', true]);
      expect(a[`temperature_sensor_${ch}_open`]?.slice(4)).toEqual(['fault', false]);
      expect(a[`temperature_sensor_${ch}_short`]?.slice(4)).toEqual(['fault', false]);
    }
    expect(a.leakage_alarm?.slice(4)).toEqual(['electrical-fire', true]);
    expect(a.leakage_sensor_open?.slice(4)).toEqual(['fault', false]);
  });

  it('power meters: no default alarms; a silent meter is a low-priority process alarm, not a sounded fault', () => {
    for (const id of ['generic/power-meter-3p', 'eastron/sdm630']) {
      expect(catalog.get(id)?.alarms).toBeUndefined();
      expect(catalog.get(id)?.communicationAlarm).toEqual({ priority: 'low', class: 'process' });
    }
  });

  it('eastron/sdm630: IEEE floats in input registers at the manual\'s addresses minus 30001', () => {
    const p = catalog.get('eastron/sdm630');
    expect(p?.source.generic).toBe(false);
    const at = (name: string) => [point(p, name).table, point(p, name).address, point(p, name).type, point(p, name).unit];
    expect(at('voltage_l1')).toEqual(['input', 0, 'f32', 'V']);
    expect(at('voltage_l3')).toEqual(['input', 4, 'f32', 'V']);
    expect(at('current_l1')).toEqual(['input', 6, 'f32', 'A']);
    expect(at('total_active_power')).toEqual(['input', 52, 'f32', 'W']);
    expect(at('frequency')).toEqual(['input', 70, 'f32', 'Hz']);
    expect(at('import_active_energy')).toEqual(['input', 72, 'f32', 'kWh']);
    expect(p?.modbus.maxRegistersPerRequest).toBe(80);
  });
});

describe('loadProfileFile reports every problem with file:line:column, path and value', () => {
  const f = (name: string, file = 'acme/gd100.yaml') => join(testcases, name, file);

  it('an id that is not the file path', () => {
    expect(messages('bad-id')).toEqual([
      `${f('bad-id')}:2:5 id: must equal the file's path under the profile directory without .yaml: "acme/gd100" (got "acme/gd-100")`,
    ]);
  });

  it('an unknown key, on its own line, with a suggestion', () => {
    expect(messages('unknown-key')).toEqual([`${f('unknown-key')}:15:5 points[1].scal: unknown key (did you mean "scale"?)`]);
  });

  it('a duplicate point name, pointing back at the first', () => {
    expect(messages('duplicate-point')).toEqual([
      `${f('duplicate-point')}:12:13 points[2].name: duplicate point name; first defined at points[0] (line 10) (got "gas_lel")`,
    ]);
  });

  it('overlapping registers name both points; bits of one word, identical reads and other tables are allowed', () => {
    const rule = 'registers may be shared only by bit points of one u16 register or by identical definitions';
    expect(messages('overlapping-registers')).toEqual([
      `${f('overlapping-registers')}:12:46 points[1].address: "status" (holding 11, u16) overlaps "current" (holding 10–11, f32) at points[0]; ${rule} (got 11)`,
      `${f('overlapping-registers')}:19:45 points[8].address: "flags" (holding 20, u16) overlaps "alarm" (holding 20 bit 0, bool) at points[2]; ${rule} (got 20)`,
      `${f('overlapping-registers')}:19:45 points[8].address: "flags" (holding 20, u16) overlaps "fault" (holding 20 bit 1, bool) at points[3]; ${rule} (got 20)`,
    ]);
  });

  it('bad enum keys: not an integer, or outside the point type', () => {
    expect(messages('bad-enum-key')).toEqual([
      `${f('bad-enum-key')}:16:7 points[0].enum.one: bad key "one": enum keys are integers`,
      `${f('bad-enum-key')}:21:24 points[1].enum.70000: enum key 70000 cannot occur in a u16 (0 to 65535)`,
      `${f('bad-enum-key')}:21:41 points[1].enum.-1: enum key -1 cannot occur in a u16 (0 to 65535)`,
    ]);
  });

  it('a bit taken from an f32', () => {
    expect(messages('bit-on-f32')).toEqual([
      `${f('bit-on-f32')}:10:62 points[0].bit: \`bit\` applies to a holding/input register point of type bool (got 2)`,
    ]);
  });

  it('readwrite only on holding registers and coils', () => {
    expect(messages('readwrite-input')).toEqual([
      `${f('readwrite-input')}:10:65 points[0].access: input points are read-only; readwrite needs table holding or coil (got "readwrite")`,
      `${f('readwrite-input')}:11:67 points[1].access: discrete points are read-only; readwrite needs table holding or coil (got "readwrite")`,
    ]);
  });

  it('several mistakes in one file are all reported, in file order', () => {
    const file = f('many-errors');
    expect(messages('many-errors')).toEqual([
      `${file}:2:5 id: must equal the file's path under the profile directory without .yaml: "acme/gd100" (got "acme/wrong")`,
      `${file}:5:11 category: expected one of "gas-combustible", "gas-toxic", "gas-oxygen", "electrical-fire", "power-meter", "fire-panel", "other" (got "gas")`,
      `${file}:8:22 modbus.byteOrder: expected one of "ABCD", "CDAB", "BADC", "DCBA" (got "ABDC")`,
      `${file}:8:36 modbus.maxGap: must be ≤ 124 (got 200)`,
      `${file}:10:82 points[0].range: range.min (100) must be below range.max (0) (got {"min":100,"max":0})`,
      `${file}:11:13 points[1].name: duplicate point name; first defined at points[0] (line 10) (got "gas_lel")`,
      `${file}:12:13 points[2].name: a point name is lower case letters, digits and _ , starting with a letter (got "Temperature")`,
      `${file}:12:49 points[2].address: must be ≤ 65535 (got 70000)`,
      // the unknown key does not hide the `bit` problem of the same point
      `${file}:13:62 points[3].bit: \`bit\` applies to a holding/input register point of type bool (got 3)`,
      `${file}:13:65 points[3].colour: unknown key (allowed: name, description, table, address, type, byteOrder, bit, scale, offset, unit, enum, range, access)`,
      `${file}:14:5 points[4].name: is required (a string)`,
    ]);
  });

  it('alarms that do not fit their points, duplicate or reserved names, bad kinds: all reported', () => {
    const file = f('bad-alarms');
    expect(messages('bad-alarms')).toEqual([
      `${file}:12:65 points[3].bit: \`bit\` applies to a holding/input register point of type bool (got 1)`,
      `${file}:14:99 alarms[0].point: no point "gas_lell" (did you mean "gas_lel"?); points: gas_lel, status, sensor_fault (got "gas_lell")`,
      `${file}:15:13 alarms[1].name: duplicate alarm name; first defined at alarms[0] (line 14) (got "gas_high")`,
      `${file}:15:99 alarms[1].point: a high alarm needs a numeric point; "status" is an enumeration (normal, alarm_level_1, fault) — use a state alarm (got "status")`,
      `${file}:16:120 alarms[2].setpoint: set point 150 is outside the point's measuring range 0–100 %LEL; no valid reading reaches it (got 150)`,
      `${file}:17:130 alarms[3].deadband: the alarm could never return: it needs a reading below 0 (set point − deadband), outside the point's measuring range 0–100 %LEL (got 25)`,
      `${file}:18:129 alarms[4].deadband: the alarm could never return: it needs a reading above 100 (set point + deadband), outside the point's measuring range 0–100 %LEL (got 10)`,
      `${file}:19:135 alarms[5].activeWhen[1]: "status" has no label "alarm_levl_2" (did you mean "alarm_level_1"?); its labels: normal, alarm_level_1, fault (got "alarm_levl_2")`,
      `${file}:19:149 alarms[5].activeWhen[2]: "status" is an enumeration: activeWhen lists its labels (normal, alarm_level_1, fault) (got true)`,
      `${file}:20:129 alarms[6].activeWhen[0]: "sensor_fault" is a bool point: activeWhen lists true or false (got "yes")`,
      `${file}:21:102 alarms[7].point: a state alarm needs a bool or enumeration point; "gas_lel" is a number (u16, %LEL) — use a high or low alarm (got "gas_lel")`,
      `${file}:22:13 alarms[8].name: is reserved: every device gets a communication fault alarm of this name; override it in the site file (got "communication")`,
      // alarms[9] watches the point that failed the schema: its own error above says enough
      `${file}:24:110 alarms[10].setpiont: unknown key (did you mean "setpoint"?)`,
      `${file}:25:89 alarms[11].kind: expected one of "high", "low", "rate", "stale", "quality", "state" (got "highest")`,
    ]);
  });

  it('YAML syntax errors and duplicate keys are located', () => {
    expect(messages('yaml-syntax')).toEqual([
      `${f('yaml-syntax')}:10:3: YAML: Flow map in block collection must be sufficiently indented and end with a }`,
    ]);
    expect(messages('duplicate-yaml-key')).toEqual([`${f('duplicate-yaml-key')}:12:5: YAML: Map keys must be unique`]);
  });

  it('source: generic false needs a manual; generic must be true or false', () => {
    expect(messages('source-branch')).toEqual([`${f('source-branch')}:7:9 source.manual: is required (a string)`]);
    expect(messages('source-branch', 'acme/gd200.yaml')).toEqual([
      `${f('source-branch', 'acme/gd200.yaml')}:6:20 source.generic: expected one of true, false (got "maybe")`,
    ]);
  });

  it('a missing file is a problem, not an exception', () => {
    const file = join(testcases, 'nowhere', 'acme', 'gd100.yaml');
    const result = loadProfileFile(file, join(testcases, 'nowhere'));
    expect(result.profile).toBeUndefined();
    expect(result.problems.map(formatProblem)).toEqual([`${file}: cannot read the file (ENOENT)`]);
  });

  it('a valid file yields a profile with the modbus defaults filled in', () => {
    const result = loadProfileFile(f('site-override', 'generic/combustible-gas.yaml'), join(testcases, 'site-override'));
    expect(result.problems).toEqual([]);
    expect(result.profile?.modbus).toEqual({ byteOrder: 'ABCD', maxRegistersPerRequest: 125, maxBitsPerRequest: 2000, maxGap: 0 });
  });
});

describe('loadProfileCatalog', () => {
  const site = join(testcases, 'site-override');

  it('a site directory listed first overrides a built-in id', () => {
    const { catalog } = loadProfileCatalog([site, builtinProfilesDir()]);
    expect(point(catalog.get('generic/combustible-gas'), 'gas_lel').address).toBe(100);
    expect(catalog.get('eastron/sdm630')).toBeDefined();
  });

  it('the built-in wins when it is listed first', () => {
    const { catalog } = loadProfileCatalog([builtinProfilesDir(), site]);
    expect(point(catalog.get('generic/combustible-gas'), 'gas_lel').address).toBe(0);
  });

  it('a broken override hides the built-in (no silent fallback) and says why; misplaced files are reported', () => {
    const missing = join(testcases, 'no-such-dir');
    const { catalog, problems } = loadProfileCatalog([site, missing, builtinProfilesDir()]);
    expect(catalog.get('generic/electrical-fire-monitor')).toBeUndefined();
    expect(catalog.ids()).not.toContain('generic/electrical-fire-monitor');
    expect(problems.map(formatProblem)).toEqual([
      `${join(site, 'acme/detector.yml')}: not loaded: profile files end in .yaml, not .yml`,
      `${join(site, 'loose.yaml')}: not loaded: a profile file sits at <vendor>/<model>.yaml`,
      `${join(site, 'generic/electrical-fire-monitor.yaml')}:9:9 points: needs at least 1 item`,
      `${missing}: profile directory not found`,
    ]);
  });

  it('does not pick up the loader test fixtures under the built-in directory', () => {
    const { catalog } = loadProfileCatalog([builtinProfilesDir()]);
    expect(existsSync(join(builtinProfilesDir(), 'testcases', 'bad-id', 'acme', 'gd100.yaml'))).toBe(true);
    expect(catalog.ids().filter((id) => id.startsWith('acme/') || id.startsWith('testcases/'))).toEqual([]);
  });
});

describe('createCatalog', () => {
  const { catalog: builtin } = loadProfileCatalog([builtinProfilesDir()]);
  const gas = builtin.get('generic/combustible-gas') as Profile;
  const meter = builtin.get('eastron/sdm630') as Profile;

  it('looks profiles up by id and lists ids sorted', () => {
    const catalog = createCatalog([gas, meter]);
    expect(catalog.ids()).toEqual(['eastron/sdm630', 'generic/combustible-gas']);
    expect(catalog.get('generic/combustible-gas')).toBe(gas);
    expect(catalog.get('generic/nothing')).toBeUndefined();
  });

  it('refuses two profiles with one id', () => {
    let caught: unknown;
    try {
      createCatalog([gas, meter, gas]);
    } catch (e) {
      caught = e;
    }
    expect(isVigilError(caught) && caught.code).toBe('PROFILE_INVALID');
    expect((caught as Error).message).toBe('two profiles have the id "generic/combustible-gas"');
  });
});
