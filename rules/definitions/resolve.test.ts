import { describe, expect, it } from 'vitest';
import { loadProfileCatalog } from '../../drivers/profiles/loader.js';
import { SiteConfigSchema, type SiteConfig } from '../../gateway/config/schema.js';
import { isVigilError } from '../../gateway/errors.js';
import { builtinProfilesDir } from '../../gateway/paths.js';
import { alarmPattern } from './alarm-ids.js';
import { resolveAlarms } from './resolve.js';

const { catalog } = loadProfileCatalog([builtinProfilesDir()]);

function site(devices: object[], alarms?: object[]): SiteConfig {
  return SiteConfigSchema.parse({
    version: 1,
    site: { id: 's', name: 'S' },
    gateway: { id: 'g' },
    clock: { trust: 'always' },
    storage: { path: 'x.db', budgetBytes: 1_048_576 },
    buses: [{ name: 'a', type: 'rtu', port: '/dev/ttyUSB0', baudRate: 9600, parity: 'even', stopBits: 1 }],
    devices: devices.map((d, i) => ({ bus: 'a', unitId: i + 1, pollMs: 1000, profile: 'generic/combustible-gas', ...d })),
    ...(alarms ? { alarms } : {}),
  });
}

const byId = (config: SiteConfig) => new Map(resolveAlarms(config, catalog).map((a) => [a.id, a.def] as const));

function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return isVigilError(e) ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
}

describe('resolveAlarms', () => {
  it('a device gets its profile alarms, then its communication alarm, with every field explicit', () => {
    const alarms = resolveAlarms(site([{ name: 'ch4-1' }]), catalog);
    expect(alarms.map((a) => a.id)).toEqual([
      'ch4-1/gas_high',
      'ch4-1/gas_high_high',
      'ch4-1/detector_alarm',
      'ch4-1/detector_alarm_2',
      'ch4-1/detector_fault',
      'ch4-1/sensor_fault',
      'ch4-1/supply_fault',
      'ch4-1/gas_reading_fault',
      'ch4-1/not_watching',
      'ch4-1/calibration_due',
      'ch4-1/communication',
    ]);
    expect(alarms.every((a) => a.device === 'ch4-1')).toBe(true);
    expect(alarms[0]?.def).toEqual({
      name: 'gas_high', description: 'Combustible gas first-level alarm (一级报警, ≥ 25 %LEL)', kind: 'high', point: 'gas_lel',
      setpoint: 25, deadband: 1, priority: 'high', class: 'gas', latch: true, onDelayMs: 0, offDelayMs: 0, enabled: true,
    });
    expect(alarms[alarms.length - 1]?.def).toEqual({
      name: 'communication', description: 'Communication with ch4-1 lost: it does not answer (故障)', kind: 'communication', point: 'gas_lel',
      priority: 'high', class: 'fault', latch: false, onDelayMs: 0, offDelayMs: 0, enabled: true,
    });
  });

  it('a site override changes only the fields it names; enabled: false drops the alarm', () => {
    const m = byId(site([{ name: 'd', alarms: { gas_high: { setpoint: 20, onDelayMs: 2000 }, calibration_due: { enabled: false }, communication: { priority: 'critical' } } }]));
    expect(m.get('d/gas_high')).toMatchObject({ setpoint: 20, deadband: 1, onDelayMs: 2000, latch: true, priority: 'high' });
    expect(m.has('d/calibration_due')).toBe(false);
    expect(m.get('d/communication')).toMatchObject({ priority: 'critical', class: 'fault' });
  });

  it('an entry with kind is a new alarm of the device', () => {
    const m = byId(site([{ name: 'd', alarms: { gas_rising: { description: 'rising fast', kind: 'rate', point: 'gas_lel', perMinute: 10, priority: 'medium', class: 'gas', latch: false } } }]));
    expect(m.get('d/gas_rising')).toMatchObject({ kind: 'rate', perMinute: 10, direction: 'rise', windowMs: 60_000 });
    expect([...m.keys()].indexOf('d/gas_rising')).toBe([...m.keys()].indexOf('d/communication') - 1);
  });

  it('disabling a point drops its alarms; the communication witness is the first enabled point', () => {
    const m = byId(site([{ name: 'd', points: { gas_lel: { enabled: false }, sensor_fault: { enabled: false } } }]));
    expect([...m.keys()].filter((id) => ['d/gas_high', 'd/gas_high_high', 'd/gas_reading_fault', 'd/sensor_fault'].includes(id))).toEqual([]);
    expect(m.get('d/communication')).toMatchObject({ point: 'status' });
    expect(m.has('d/detector_alarm')).toBe(true);
  });

  it('a power meter has only its communication alarm, low priority and not sounded', () => {
    const m = byId(site([{ name: 'meter', profile: 'eastron/sdm630' }]));
    expect([...m.keys()]).toEqual(['meter/communication']);
    expect(m.get('meter/communication')).toMatchObject({ priority: 'low', class: 'process', point: 'voltage_l1' });
  });

  it('site-level votes follow the devices as site/<name>; disabled ones are dropped', () => {
    const vote = (name: string, enabled = true) => ({ name, description: 'two of three', kind: 'vote', k: 2, of: ['a/gas_high_high', 'b/gas_high_high', 'c/gas_high_high'], priority: 'critical', class: 'gas', latch: true, enabled });
    const alarms = resolveAlarms(site([{ name: 'a' }, { name: 'b' }, { name: 'c' }], [vote('two_of_three'), vote('off', false)]), catalog);
    expect(alarms.slice(-1)).toEqual([{ id: 'site/two_of_three', def: expect.objectContaining({ kind: 'vote', k: 2, faultCounts: true }) }]);
    expect(alarms.some((a) => a.id === 'site/off')).toBe(false);
  });

  it('refuses a config the semantic pass would have refused, naming the device and alarm', () => {
    expect(thrown(() => resolveAlarms(site([{ name: 'd', alarms: { gas_hihg: { setpoint: 3 } } }]), catalog))).toBe(
      'CONFIG_INVALID: devices "d" alarms: "gas_hihg" overrides an alarm profile generic/combustible-gas does not have (the semantic pass should have reported this)',
    );
    expect(thrown(() => resolveAlarms(site([{ name: 'd', alarms: { detector_alarm: { setpoint: 3 } } }]), catalog))).toBe(
      'CONFIG_INVALID: devices "d" alarms: "detector_alarm" (state) has no setpoint (the semantic pass should have reported this)',
    );
    expect(thrown(() => resolveAlarms(site([{ name: 'd', profile: 'acme/none' }]), catalog))).toBe('CONFIG_INVALID: device "d": no device profile "acme/none"');
  });
});

describe('alarmPattern', () => {
  it.each([
    ['ch4-1/gas_high', 'ch4-1/gas_high', true],
    ['ch4-1/gas_high', 'ch4-1/gas_high_high', false],
    ['ch4-1/*', 'ch4-1/gas_high', true],
    ['ch4-1/*', 'ch4-10/gas_high', false],
    ['*/gas_high_high', 'ch4-2/gas_high_high', true],
    ['ch4-*/gas_high', 'ch4-2/gas_high', true],
    ['*', 'ch4-2/gas_high', false],
    ['ch4.1/*', 'ch4x1/gas_high', false],
  ])('%s matches %s: %s', (pattern, id, want) => {
    expect(alarmPattern(pattern)(id)).toBe(want);
  });
});
