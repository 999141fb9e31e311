import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../drivers/profiles/loader.js';
import { ProfileSchema } from '../../drivers/profiles/schema.js';
import { loadSiteConfig } from './load.js';
import { formatPath, formatProblem } from './problems.js';
import { SiteConfigSchema, type SiteConfig } from './schema.js';
import { checkSemantics, type SemanticInput } from './semantic.js';
import { siteDir, VALID_SITE } from './testcases/helpers.js';

type Input = Parameters<typeof SiteConfigSchema.parse>[0];

const alarm = (name: string, kind: string, point: string, extra: object = {}) => ({ name, description: name, kind, point, priority: 'high', class: 'gas', latch: true, ...extra });
/** A new alarm in the site file: its key is its name, so it carries none. */
const siteAlarm = (name: string, kind: string, point: string, extra: object = {}) => {
  const { name: _key, ...def } = alarm(name, kind, point, extra);
  return def;
};

/** A detector with a valve coil and a fan-speed register, and default alarms of several kinds. */
const catalog = createCatalog([
  ProfileSchema.parse({
    id: 'acme/gd',
    vendor: 'acme',
    model: 'gd',
    category: 'gas-combustible',
    description: 'test detector',
    source: { generic: true, notes: 'test' },
    points: [
      { name: 'gas_lel', table: 'holding', address: 0, type: 'u16', scale: 0.1, unit: '%LEL', range: { min: 0, max: 100 } },
      { name: 'status', table: 'holding', address: 1, type: 'u16', enum: { '0': 'normal', '1': 'alarm_level_1', '2': 'alarm_level_2', '3': 'fault' } },
      { name: 'sensor_fault', table: 'holding', address: 2, type: 'bool', bit: 0 },
      { name: 'valve_closed', table: 'discrete', address: 0, type: 'bool' },
      { name: 'valve', table: 'coil', address: 0, type: 'bool', access: 'readwrite' },
      { name: 'fan_speed', table: 'holding', address: 10, type: 'u16', scale: 0.5, access: 'readwrite' },
      { name: 'mode', table: 'holding', address: 11, type: 'u16', enum: { '0': 'auto', '1': 'manual' }, access: 'readwrite' },
      { name: 'run_bit', table: 'holding', address: 12, type: 'bool', bit: 3, access: 'readwrite' },
    ],
    alarms: [
      alarm('gas_high', 'high', 'gas_lel', { setpoint: 25, deadband: 1 }),
      alarm('gas_high_high', 'high', 'gas_lel', { setpoint: 50, deadband: 1, priority: 'critical' }),
      alarm('detector_alarm', 'state', 'status', { activeWhen: ['alarm_level_1', 'alarm_level_2'] }),
      alarm('sensor_fault', 'state', 'sensor_fault', { activeWhen: [true], class: 'fault', latch: false }),
      alarm('gas_stale', 'stale', 'gas_lel', { afterMs: 5_000, class: 'fault', latch: false }),
    ],
  }),
]);

const dev = (name: string, unitId: number, extra: object = {}) => ({ name, bus: 'a', unitId, profile: 'acme/gd', pollMs: 1000, ...extra });
const vote = (name: string, k: number, of: string[], extra: object = {}) => ({ name, description: 'vote', kind: 'vote', k, of, priority: 'critical', class: 'gas', latch: true, ...extra });

function site(parts: Record<string, unknown>): SiteConfig {
  const input = {
    version: 1,
    site: { id: 's', name: 'S' },
    gateway: { id: 'g' },
    clock: { trust: 'always' },
    storage: { path: 'x.db', budgetBytes: 1_048_576 },
    buses: [{ name: 'a', type: 'rtu', port: '/dev/ttyUSB0', baudRate: 9600, parity: 'even', stopBits: 1 }],
    devices: [dev('d1', 1), dev('d2', 2)],
    ...parts,
  } as Input;
  return SiteConfigSchema.parse(input);
}

/** What the installer reads, minus the file position. */
const check = (config: SemanticInput) =>
  checkSemantics(config, catalog).map((f) => `${formatPath(f.at)}: ${f.message}${f.value !== undefined ? ` (got ${JSON.stringify(f.value)})` : ''}${f.severity === 'warning' ? ' [warning]' : ''}`);

const relays = { driver: { kind: 'virtual' }, lines: [{ name: 'fan', kind: 'relay', line: 5, failsafe: 'off' }, { name: 'horn', kind: 'sounder', line: 6, failsafe: 'on' }] };

describe('semantic pass: safety sections', () => {
  it('accepts a sound config using every section', () => {
    const config = site({
      devices: [dev('d1', 1, { alarms: { gas_high: { setpoint: 20 }, gas_rising: siteAlarm('gas_rising', 'rate', 'gas_lel', { perMinute: 10 }) } }), dev('d2', 2)],
      alarms: [vote('two_of_two', 2, ['d1/gas_high_high', 'd2/gas_high_high'])],
      outputs: { ...relays, inputs: [{ name: 'ack', action: 'acknowledge', line: 17 }] },
      interlocks: [
        {
          name: 'close-valve',
          description: 'close the gas valve',
          when: ['site/two_of_two', 'd1/gas_high_high'],
          actions: [{ write: { device: 'd1', point: 'valve', value: true } }, { write: { device: 'd1', point: 'fan_speed', value: 12.5 } }, { output: { name: 'fan', value: 'on' } }],
          confirm: { device: 'd1', point: 'valve_closed', value: true, withinMs: 5000 },
        },
      ],
      schedules: { maintenance: [{ name: 'calibration', description: 'monthly', cron: '0 2 1 * *', durationMinutes: 60, alarms: ['d2/*', 'd1/gas_high'] }], selfTest: { cron: '0 9 * * MON' } },
    });
    expect(check(config)).toEqual([]);
  });

  describe('devices[].alarms', () => {
    it('an override naming an alarm the profile does not have, with did-you-mean', () => {
      expect(check(site({ devices: [dev('d1', 1, { alarms: { gas_hihg: { setpoint: 20 } } })] }))).toEqual([
        'devices[0].alarms.gas_hihg: profile "acme/gd" has no alarm "gas_hihg" (did you mean "gas_high"?); its alarms: gas_high, gas_high_high, detector_alarm, sensor_fault, gas_stale, communication. A new alarm needs a full definition with kind',
      ]);
    });

    it('override fields that do not apply to the alarm\'s kind', () => {
      const alarms = { detector_alarm: { setpoint: 3, deadband: 1 }, gas_high: { activeWhen: ['x'] }, communication: { afterMs: 5000 } };
      expect(check(site({ devices: [dev('d1', 1, { alarms })] }))).toEqual([
        'devices[0].alarms.detector_alarm.setpoint: does not apply to "detector_alarm" (state on status); a state alarm\'s own fields are activeWhen (got 3)',
        'devices[0].alarms.detector_alarm.deadband: does not apply to "detector_alarm" (state on status); a state alarm\'s own fields are activeWhen (got 1)',
        'devices[0].alarms.gas_high.activeWhen: does not apply to "gas_high" (high on gas_lel); a high alarm\'s own fields are setpoint, deadband (got ["x"])',
        'devices[0].alarms.communication.afterMs: does not apply to "communication" (communication on gas_lel) (got 5000)',
      ]);
    });

    it('an override that puts the alarm outside the point\'s range or names a label the point lacks', () => {
      const alarms = { gas_high: { setpoint: 120 }, gas_high_high: { deadband: 50 }, detector_alarm: { activeWhen: ['alarm_level_3'] } };
      expect(check(site({ devices: [dev('d1', 1, { alarms })] }))).toEqual([
        'devices[0].alarms.gas_high.setpoint: set point 120 is outside the point\'s measuring range 0–100 %LEL; no valid reading reaches it (got 120)',
        'devices[0].alarms.gas_high_high.deadband: the alarm could never return: it needs a reading below 0 (set point − deadband), outside the point\'s measuring range 0–100 %LEL (got 50)',
        'devices[0].alarms.detector_alarm.activeWhen[0]: "status" has no label "alarm_level_3" (did you mean "alarm_level_1"?); its labels: normal, alarm_level_1, alarm_level_2, fault (got "alarm_level_3")',
      ]);
    });

    it('a narrowed point range makes an untouched profile set point unreachable: reported at the override', () => {
      const config = site({ devices: [dev('d1', 1, { points: { gas_lel: { range: { min: 0, max: 20 } } }, alarms: { gas_high: { onDelayMs: 1000 } } })] });
      expect(check(config)).toEqual([
        'devices[0].alarms.gas_high: setpoint: set point 25 is outside the point\'s measuring range 0–20 %LEL; no valid reading reaches it',
      ]);
    });

    it('new device alarms: the point must exist, be enabled and fit the kind', () => {
      const alarms = {
        a1: siteAlarm('a1', 'high', 'gas_le', { setpoint: 10 }),
        a2: siteAlarm('a2', 'state', 'gas_lel', { activeWhen: [true] }),
        a3: siteAlarm('a3', 'high', 'sensor_fault', { setpoint: 1 }),
        a5: siteAlarm('a5', 'quality', 'valve_closed'),
        gas_high: siteAlarm('gas_high', 'high', 'gas_lel', { setpoint: 10 }),
        communication: siteAlarm('communication', 'quality', 'gas_lel'),
      };
      expect(check(site({ devices: [dev('d1', 1, { alarms, points: { valve_closed: { enabled: false } } })] }))).toEqual([
        'devices[0].alarms.a1.point: no point "gas_le" (did you mean "gas_lel"?); points: gas_lel, status, sensor_fault, valve_closed, valve, fan_speed, mode, run_bit (got "gas_le")',
        'devices[0].alarms.a2.point: a state alarm needs a bool or enumeration point; "gas_lel" is a number (u16, %LEL) — use a high or low alarm (got "gas_lel")',
        'devices[0].alarms.a3.point: a high alarm needs a numeric point; "sensor_fault" is a bool point — use a state alarm (got "sensor_fault")',
        'devices[0].alarms.a5.point: point "valve_closed" is disabled (devices[0].points.valve_closed.enabled: false); the alarm could never see a reading (got "valve_closed")',
        'devices[0].alarms.gas_high.kind: profile "acme/gd" already has an alarm "gas_high" (high on gas_lel); to change it give only the fields to override, without kind, point and name (got "high")',
        'devices[0].alarms.communication.kind: the automatic communication fault alarm; to change it give only the fields to override, without kind, point and name (got "quality")',
      ]);
    });

    it('a stale alarm must allow more than one poll period', () => {
      expect(check(site({ devices: [dev('d1', 1, { pollMs: 5000 }), dev('d2', 2, { alarms: { gas_stale: { afterMs: 1000 } } })] }))).toEqual([
        'devices[0].pollMs: stale alarm "gas_stale" (afterMs 5000) would fire between two polls of "d1" (pollMs 5000); make afterMs at least 3 × pollMs (got 5000)',
        'devices[1].alarms.gas_stale.afterMs: stale alarm "gas_stale" (afterMs 1000) would fire between two polls of "d2" (pollMs 1000); make afterMs at least 3 × pollMs (got 1000)',
      ]);
    });

    it('warns about overrides without effect and a disabled communication alarm', () => {
      const config = site({ devices: [dev('d1', 1, { points: { gas_lel: { enabled: false } }, alarms: { gas_high: { setpoint: 20 }, communication: { enabled: false } } })] });
      expect(check(config)).toEqual([
        'devices[0].alarms.gas_high: has no effect: alarm "gas_high" watches point "gas_lel", which is disabled, so the alarm does not run [warning]',
        'devices[0].alarms.communication.enabled: device "d1" may stop answering without anyone being told; its other alarms hold their last state meanwhile (got false) [warning]',
      ]);
    });

    it('a device may not be named "site"', () => {
      expect(check(site({ devices: [dev('site', 1)] }))).toEqual(['devices[0].name: "site" is reserved: alarm ids "site/<name>" belong to the gateway (site-level alarms); choose another device name (got "site")']);
      expect(check(site({ devices: [dev('interlock', 1)] }))).toEqual(['devices[0].name: "interlock" is reserved: alarm ids "interlock/<name>" belong to the gateway (interlock fault alarms); choose another device name (got "interlock")']);
    });
  });

  describe('site-level votes', () => {
    it('every id must name a running device alarm, once; k ≤ n', () => {
      const config = site({
        devices: [dev('d1', 1, { alarms: { gas_high_high: { enabled: false } } }), dev('d2', 2, { points: { gas_lel: { enabled: false } } })],
        alarms: [vote('v', 5, ['d1/gas_high_high', 'd2/gas_high_high', 'd3/gas_high_high', 'd1/gas_hihg_high', 'site/other', 'd1/sensor_fault', 'd1/sensor_fault']), vote('v', 1, ['d1/gas_high', 'd1/sensor_fault'])],
      });
      expect(check(config)).toEqual([
        'alarms[1].name: alarm name "v" is already used by alarms[0]; names must be unique (got "v")',
        'alarms[0].of[0]: alarm "d1/gas_high_high" is disabled (enabled: false), so this could never trip (got "d1/gas_high_high")',
        'alarms[0].of[1]: alarm "d2/gas_high_high" watches point "gas_lel", which is disabled (devices[1].points.gas_lel.enabled: false), so this could never trip (got "d2/gas_high_high")',
        'alarms[0].of[2]: no alarm "d3/gas_high_high" (did you mean "d1/gas_high_high"?) (got "d3/gas_high_high")',
        'alarms[0].of[3]: no alarm "d1/gas_hihg_high" (did you mean "d1/gas_high_high"?) (got "d1/gas_hihg_high")',
        'alarms[0].of[4]: a vote counts device alarms ("<device>/<alarm>"), not other site-level alarms (got "site/other")',
        'alarms[0].of[6]: listed twice (also of[5]); each alarm counts once (got "d1/sensor_fault")',
      ]);
    });

    it('k larger than the list', () => {
      expect(check(site({ alarms: [vote('v', 3, ['d1/gas_high', 'd2/gas_high'])] }))).toEqual(['alarms[0].k: k (3) is more than the 2 alarms listed in of; the vote could never trip (got 3)']);
    });
  });

  describe('outputs', () => {
    it('names and lines are unique across outputs and inputs', () => {
      const outputs = {
        driver: { kind: 'gpiod' },
        lines: [{ name: 'horn', kind: 'sounder', line: 5, failsafe: 'on' }, { name: 'horn', kind: 'strobe', line: 6, failsafe: 'on' }],
        inputs: [{ name: 'ack', action: 'acknowledge', line: 5 }],
      };
      expect(check(site({ outputs }))).toEqual([
        'outputs.lines[1].name: name "horn" is already used by outputs.lines[0]; output and input names must be unique (got "horn")',
        'outputs.inputs[0].line: line 5 is already used by "horn" (outputs.lines[0]); one line drives or reads one thing (got 5)',
      ]);
    });
  });

  describe('interlocks', () => {
    const il = (extra: object) => ({ name: 'il', description: 'interlock', when: ['d1/gas_high_high'], actions: [{ output: { name: 'fan', value: 'on' } }], ...extra });

    it('when: the fire-centre link’s own alarms count when a fireCentre is configured', () => {
      const fireCentre = { centre: { host: 'c', port: 1 }, address: { uitd: 1, centre: 2 } };
      const when = ['fire-centre/transmission'];
      expect(check(site({ outputs: relays, interlocks: [il({ when })] }))).toEqual(['interlocks[0].when[0]: no alarm "fire-centre/transmission" (got "fire-centre/transmission")']);
      expect(check(site({ outputs: relays, interlocks: [il({ when })], fireCentre }))).toEqual([]);
    });

    it('when: ids that do not exist or do not run', () => {
      const config = site({ outputs: relays, devices: [dev('d1', 1, { alarms: { gas_high: { enabled: false } } })], interlocks: [il({ when: ['d1/gas_hig_high', 'd1/gas_high', 'gas_high_high', 'site/none'] })] });
      expect(check(config)).toEqual([
        'interlocks[0].when[0]: no alarm "d1/gas_hig_high" (did you mean "d1/gas_high_high"?) (got "d1/gas_hig_high")',
        'interlocks[0].when[1]: alarm "d1/gas_high" is disabled (enabled: false), so this could never trip (got "d1/gas_high")',
        'interlocks[0].when[2]: no alarm "gas_high_high" (did you mean "d1/gas_high_high"?); an alarm id is "<device>/<alarm>" or "site/<alarm>" (got "gas_high_high")',
        'interlocks[0].when[3]: no alarm "site/none" (got "site/none")',
      ]);
    });

    it('write actions: the device and point must exist, be enabled, be writable and take the value', () => {
      const write = (device: string, point: string, value: boolean | number) => ({ write: { device, point, value } });
      const actions = [write('d9', 'valve', true), write('d1', 'valv', true), write('d1', 'gas_lel', 0), write('d1', 'fan_speed', 12.3), write('d1', 'valve', 7), write('d2', 'valve', true), write('d1', 'mode', 5), write('d1', 'run_bit', true), { write: { device: 'd1', point: 'valve', value: true, releaseValue: 3 } }];
      const config = site({ devices: [dev('d1', 1), dev('d2', 2, { points: { valve: { enabled: false } } })], interlocks: [il({ actions })] });
      expect(check(config)).toEqual([
        'interlocks[0].actions[0].write.device: no device "d9" (did you mean "d1"?); devices: "d1", "d2" (got "d9")',
        'interlocks[0].actions[1].write.point: device "d1" (profile acme/gd) has no point "valv" (did you mean "valve"?); its points: gas_lel, status, sensor_fault, valve_closed, valve, fan_speed, mode, run_bit (got "valv")',
        'interlocks[0].actions[2].write.point: point "gas_lel" of "d1" is not writable (profile acme/gd does not mark it access: readwrite) (got "gas_lel")',
        'interlocks[0].actions[3].write.value: point fan_speed: cannot write 12.3: not a whole multiple of scale 0.5 from offset 0 (got 12.3)',
        'interlocks[0].actions[4].write.value: point valve: cannot write 7: a bool point takes true/false (or 0/1) (got 7)',
        'interlocks[0].actions[5].write.point: point "valve" of "d2" is disabled (devices[1].points.valve.enabled: false) (got "valve")',
        'interlocks[0].actions[6].write.value: point mode: cannot write 5: not one of its enumeration values (0=auto, 1=manual) (got 5)',
        'interlocks[0].actions[7].write.value: point "run_bit" is bit 3 of holding register 12; writing one bit would need a read-modify-write of the whole register, which interlocks do not do (map the command as a coil or a whole register) (got true)',
        'interlocks[0].actions[8].write.releaseValue: point valve: cannot write 3: a bool point takes true/false (or 0/1) (got 3)',
      ]);
    });

    it('output actions switch relays that exist', () => {
      const actions = [{ output: { name: 'fna', value: 'on' } }, { output: { name: 'horn', value: 'on' } }];
      expect(check(site({ outputs: relays, interlocks: [il({ actions })] }))).toEqual([
        'interlocks[0].actions[0].output.name: no output "fna" (did you mean "fan"?); outputs: "fan", "horn" (got "fna")',
        'interlocks[0].actions[1].output.name: output "horn" is a sounder; an interlock switches relays (sounders, strobes and lamps follow the alarms by class) (got "horn")',
      ]);
      expect(check(site({ interlocks: [il({})] }))).toEqual(['interlocks[0].actions[0].output.name: no output "fan"; this file has no outputs section (got "fan")']);
    });

    it('confirm names a point that exists and a value it can read', () => {
      const config = site({
        outputs: relays,
        interlocks: [
          il({ confirm: { device: 'd1', point: 'valve_close', value: true, withinMs: 1000 } }),
          il({ name: 'il2', confirm: { device: 'd1', point: 'status', value: 'alarm_levl_1', withinMs: 1000 } }),
          il({ name: 'il3', confirm: { device: 'd1', point: 'valve_closed', value: 1, withinMs: 1000 } }),
        ],
      });
      expect(check(config)).toEqual([
        'interlocks[0].confirm.point: device "d1" (profile acme/gd) has no point "valve_close" (did you mean "valve_closed"?); its points: gas_lel, status, sensor_fault, valve_closed, valve, fan_speed, mode, run_bit (got "valve_close")',
        'interlocks[1].confirm.value: point "status" reads one of its labels: normal, alarm_level_1, alarm_level_2, fault (did you mean "alarm_level_1"?) (got "alarm_levl_1")',
        'interlocks[2].confirm.value: point "valve_closed" reads true or false (got 1)',
      ]);
    });

    it('interlock names are unique', () => {
      expect(check(site({ outputs: relays, interlocks: [il({}), il({})] }))).toEqual(['interlocks[1].name: interlock name "il" is already used by interlocks[0]; names must be unique (got "il")']);
    });
  });

  describe('schedules', () => {
    it('maintenance windows: valid cron, alarm ids and patterns that match something', () => {
      const schedules = {
        maintenance: [
          { name: 'm', description: 'x', cron: '61 * * * *', durationMinutes: 10, alarms: ['d1/gas_hihg', 'd3/*', 'd1/*', '*/gas_high'] },
          { name: 'm', description: 'x', cron: '0 2 * *', durationMinutes: 10, alarms: ['*/nothing_*'] },
        ],
        selfTest: { cron: 'every monday' },
        dailySummary: { cron: '0 8 * * *' },
      };
      expect(check(site({ schedules }))).toEqual([
        'schedules.maintenance[1].name: maintenance window name "m" is already used by schedules.maintenance[0]; names must be unique (got "m")',
        'schedules.maintenance[0].cron: not a valid cron expression (minute hour day-of-month month day-of-week, optionally seconds first): 61 is a invalid expression for minute (got "61 * * * *")',
        'schedules.maintenance[0].alarms[0]: matches no alarm (did you mean "d1/gas_high"?) (got "d1/gas_hihg")',
        'schedules.maintenance[0].alarms[1]: matches no alarm; `*` matches within one part of "<device>/<alarm>" (got "d3/*")',
        'schedules.maintenance[1].cron: not a valid cron expression (minute hour day-of-month month day-of-week, optionally seconds first): expected 5 or 6 fields but got 4 (got "0 2 * *")',
        'schedules.maintenance[1].alarms[0]: matches no alarm; `*` matches within one part of "<device>/<alarm>" (got "*/nothing_*")',
        'schedules.selfTest.cron: not a valid cron expression (minute hour day-of-month month day-of-week, optionally seconds first): expected 5 or 6 fields but got 2 (got "every monday")',
        'schedules.selfTest: a self-test switches the sounders, strobes and lamps, and this file has none (no outputs section, or no sounder/strobe/lamp in it); remove selfTest or add the outputs',
      ]);
    });

    it('a self-test needs something to test', () => {
      const selfTest = { cron: '0 9 * * 1' };
      expect(check(site({ schedules: { selfTest }, outputs: relays }))).toEqual([]);
      const onlyRelay = { driver: { kind: 'virtual' }, lines: [{ name: 'fan', kind: 'relay', line: 5, failsafe: 'off' }] };
      expect(check(site({ schedules: { selfTest }, outputs: onlyRelay }))).toHaveLength(1);
    });
  });

  it('references to a device that failed the schema are not called unknown', () => {
    const parsed = site({ alarms: [vote('v', 2, ['d1/gas_high', 'broken/gas_high'])], interlocks: [{ name: 'il', description: 'x', when: ['broken/gas_high'], actions: [{ write: { device: 'broken', point: 'valve', value: true } }] }] });
    const input: SemanticInput = { ...parsed, devices: [parsed.devices[0], undefined], rawNames: { buses: ['a'], devices: ['d1', 'broken'] } };
    expect(check(input)).toEqual([]);
  });

  it('vigil validate shows each problem at its line in the site file', () => {
    const text = VALID_SITE.replace('profile: generic/combustible-gas', 'profile: acme/gd\n    alarms:\n      gas_hihg:\n        setpoint: 20\n      detector_alarm:\n        setpoint: 3')
      .replace('profile: generic/power-meter-3p', 'profile: acme/gd') +
      'interlocks:\n  - name: valve\n    description: close the valve\n    when: [ch4-1/gas_high_hihg]\n    actions:\n      - write: { device: ch4-1, point: valve, value: true }\n';
    const dir = siteDir({ 'site.yaml': text });
    const r = loadSiteConfig(join(dir, 'site.yaml'), { catalog, env: {} });
    expect(r.ok ? [] : r.problems.map((p) => formatProblem(p).split(`${dir}/`).join(''))).toEqual([
      'site.yaml:25:7 devices[0].alarms.gas_hihg: profile "acme/gd" has no alarm "gas_hihg" (did you mean "gas_high"?); its alarms: gas_high, gas_high_high, detector_alarm, sensor_fault, gas_stale, communication. A new alarm needs a full definition with kind',
      'site.yaml:28:19 devices[0].alarms.detector_alarm.setpoint: does not apply to "detector_alarm" (state on status); a state alarm\'s own fields are activeWhen (got 3)',
      // meter-1 polls every 10 s, but the profile's stale alarm fires after 5 s
      'site.yaml:34:13 devices[1].pollMs: stale alarm "gas_stale" (afterMs 5000) would fire between two polls of "meter-1" (pollMs 10000); make afterMs at least 3 × pollMs (got 10000)',
      'site.yaml:41:12 interlocks[0].when[0]: no alarm "ch4-1/gas_high_hihg" (did you mean "ch4-1/gas_high_high"?) (got "ch4-1/gas_high_hihg")',
    ]);
  });
});
