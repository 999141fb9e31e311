import { describe, expect, it } from 'vitest';
import { checkSemantics, type SemanticInput } from './semantic.js';
import { formatPath } from './problems.js';
import { SiteConfigSchema, type SiteConfig } from './schema.js';
import { testCatalog } from './testcases/helpers.js';

type Input = Parameters<typeof SiteConfigSchema.parse>[0];

const rtu = (name: string, port: string) => ({ name, type: 'rtu', port, baudRate: 9600, parity: 'even', stopBits: 1 });
const tcp = (name: string, host: string, port?: number) => ({ name, type: 'tcp', host, ...(port ? { port } : {}) });
const dev = (name: string, bus: string, unitId: number, profile = 'generic/combustible-gas', extra: object = {}) => ({ name, bus, unitId, profile, pollMs: 1000, ...extra });

/** A parsed config (schema defaults applied) with the given buses/devices and overrides. */
function site(parts: { buses: object[]; devices: object[] } & Record<string, unknown>): SiteConfig {
  const input = {
    version: 1,
    site: { id: 's', name: 'S' },
    gateway: { id: 'g' },
    clock: { trust: 'always' },
    storage: { path: 'x.db', budgetBytes: 1_048_576 },
    ...parts,
  } as Input;
  return SiteConfigSchema.parse(input);
}

/** "path: message (severity)" — what the loader will print, minus the position. */
const check = (config: SemanticInput) => checkSemantics(config, testCatalog).map((f) => `${formatPath(f.at)}: ${f.message}${f.severity === 'warning' ? ' [warning]' : ''}`);

describe('semantic pass', () => {
  it('accepts a sound config', () => {
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0'), tcp('t', '10.0.0.5')], devices: [dev('d1', 'a', 1), dev('d2', 'a', 2), dev('m', 't', 1, 'generic/power-meter-3p')] }))).toEqual([]);
  });

  it('reports a duplicate device name even when the other device failed the schema', () => {
    const parsed = site({ buses: [rtu('a', '/dev/ttyUSB0')], devices: [dev('d', 'a', 1)] });
    // devices[0] had an unrelated schema error (so it is undefined), but its name was readable
    const input: SemanticInput = { ...parsed, devices: [undefined, parsed.devices[0]], rawNames: { buses: ['a'], devices: ['d', 'd'] } };
    expect(check(input)).toEqual(['devices[1].name: device name "d" is already used by devices[0]; names must be unique']);
  });

  it('duplicate bus and device names', () => {
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0'), rtu('a', '/dev/ttyUSB1')], devices: [dev('d', 'a', 1), dev('d', 'a', 2)] }))).toEqual([
      'buses[1].name: bus name "a" is already used by buses[0]; names must be unique',
      'devices[1].name: device name "d" is already used by devices[0]; names must be unique',
    ]);
  });

  it('a device on a bus that does not exist lists the buses', () => {
    expect(check(site({ buses: [rtu('line-1', '/dev/ttyUSB0'), tcp('lan', 'h')], devices: [dev('d', 'line-2', 1)] }))).toEqual([
      'devices[0].bus: no bus is named "line-2" (did you mean "line-1"?); buses in this file: "line-1", "lan"',
    ]);
  });

  it('an unknown profile lists near ids', () => {
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0')], devices: [dev('d', 'a', 1, 'generic/combustable-gas'), dev('e', 'a', 2, 'acme/zzz-9000')] }))).toEqual([
      'devices[0].profile: no device profile "generic/combustable-gas" was found; similar ids: "generic/combustible-gas"',
      'devices[1].profile: no device profile "acme/zzz-9000" was found; known ids: "generic/combustible-gas", "generic/electrical-fire-monitor", "generic/power-meter-3p", "generic/toxic-gas-co"',
    ]);
  });

  it('unit id 1–247 on RTU; 0 and 255 only on TCP; 248–254 nowhere', () => {
    const buses = [rtu('a', '/dev/ttyUSB0'), tcp('t', 'h')];
    const devices = [dev('r0', 'a', 0), dev('r1', 'a', 1), dev('r247', 'a', 247), dev('r248', 'a', 248), dev('r255', 'a', 255), dev('t0', 't', 0), dev('t255', 't', 255), dev('t250', 't', 250)];
    expect(check(site({ buses, devices }))).toEqual([
      'devices[0].unitId: must be 1–247 on RTU bus "a" (0 is the broadcast address, which no device answers); 0 and 255 are accepted only on TCP',
      'devices[3].unitId: must be 1–247 on RTU bus "a"; 0 and 255 are accepted only on TCP',
      'devices[4].unitId: must be 1–247 on RTU bus "a"; 0 and 255 are accepted only on TCP',
      'devices[7].unitId: must be 1–247, or 0 or 255 for a device addressed directly, on TCP bus "t" (248–254 are reserved)',
    ]);
  });

  it('two devices with one unit id on a bus', () => {
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0'), rtu('b', '/dev/ttyUSB1')], devices: [dev('d1', 'a', 5), dev('d2', 'b', 5), dev('d3', 'a', 5)] }))).toEqual([
      'devices[2].unitId: unit id 5 on bus "a" is already used by device "d1" (devices[0])',
    ]);
  });

  it('two RTU buses on one serial port', () => {
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0'), rtu('b', '/dev/ttyUSB0')], devices: [dev('d1', 'a', 1), dev('d2', 'b', 2)] }))).toEqual([
      'buses[1].port: serial port "/dev/ttyUSB0" is already used by bus "a" (buses[0]); put every device on that port on one bus',
    ]);
  });

  it('TCP buses may share host:port, but not a unit id on it', () => {
    const buses = [tcp('fast', 'GW.local'), tcp('slow', 'gw.local', 502), tcp('other-port', 'gw.local', 503)];
    const devices = [dev('a', 'fast', 1), dev('b', 'slow', 2), dev('c', 'slow', 1), dev('d', 'other-port', 1)];
    expect(check(site({ buses, devices }))).toEqual([
      'devices[2].unitId: unit id 1 at gw.local:502 (buses "fast" and "slow" reach the same host:port) is already used by device "a" (devices[0])',
    ]);
  });

  it('a point override must name a point of the profile, with a sane range', () => {
    const devices = [dev('d', 'a', 1, 'generic/combustible-gas', { points: { gas_le: { unit: '%LEL' }, status: { enabled: false }, gas_lel: { range: { min: 100, max: 0 } } } })];
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0')], devices }))).toEqual([
      'devices[0].points.gas_le: profile "generic/combustible-gas" has no point "gas_le" (did you mean "gas_lel"?); its points: gas_lel, status',
      'devices[0].points.gas_lel.range: range.min (100) must be below range.max (0)',
    ]);
  });

  it('blank storage.path and secrets.file are errors', () => {
    expect(check(site({ buses: [rtu('a', '/dev/ttyUSB0')], devices: [dev('d', 'a', 1)], storage: { path: '  ', budgetBytes: 1_048_576 }, secrets: { file: ' ' } }))).toEqual([
      'storage.path: must name a file, not blank space',
      'secrets.file: must name a file, not blank space',
    ]);
  });

  it('warns (does not fail) when the API is exposed or an MQTT password would travel in clear', () => {
    const base = { buses: [rtu('a', '/dev/ttyUSB0')], devices: [dev('d', 'a', 1)] };
    const mqtt = (url: string) => ({ mqtt: { url, clientId: 'c', password: { env: 'P' } } });
    for (const bind of ['127.0.0.1', '::1', 'localhost']) expect(check(site({ ...base, api: { bind } }))).toEqual([]);
    expect(check(site({ ...base, api: { bind: '0.0.0.0' }, cloud: mqtt('mqtt://broker:1883') }))).toEqual([
      'api.bind: the local API (alarm acknowledge, reset, shelve) is reachable from the network; make sure that network is trusted [warning]',
      'cloud.mqtt.url: the MQTT password travels in clear text over this URL; use mqtts:// or wss:// [warning]',
    ]);
    expect(check(site({ ...base, cloud: mqtt('mqtts://broker:8883') }))).toEqual([]);
    expect(check(site({ ...base, cloud: { mqtt: { url: 'mqtt://broker:1883', clientId: 'c' } } }))).toEqual([]);
  });

  it('skips entries that failed the schema, without calling their names unknown', () => {
    const input: SemanticInput = { buses: [undefined, SiteConfigSchema.shape.buses.element.parse(rtu('b', '/dev/x'))], devices: [dev('d', 'broken', 1) as never, undefined], unparsedBusNames: ['broken'] };
    expect(check(input)).toEqual([]);
  });

  it('devices on a bus that failed the schema still may not share a unit id', () => {
    const input: SemanticInput = { buses: [undefined], devices: [dev('d1', 'broken', 4), dev('d2', 'broken', 4)] as never[], unparsedBusNames: ['broken'] };
    expect(check(input)).toEqual(['devices[1].unitId: unit id 4 on bus "broken" is already used by device "d1" (devices[0])']);
  });
});
