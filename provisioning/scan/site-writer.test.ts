import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../gateway/paths.js';
import type { Identification } from './identify.js';
import { settingOf } from './plan.js';
import { addDevicesToSite, SiteWriteError, type WriteRequest } from './site-writer.js';
import type { FoundDevice } from './sweep.js';

const example = readFileSync(join(packageRoot(), 'examples', 'small-gas-site.yaml'), 'utf8');
const line19200N = settingOf(19200, 'none');

function identified(profile: string): Identification {
  return { verdict: 'identified', matches: [{ profile, by: 'plausibility', why: ['voltage 180–260 V'] }], raw: [] };
}
const unknown: Identification = { verdict: 'unknown', matches: [], raw: [{ span: { table: 'holding', address: 0, count: 1 }, result: { words: [7] } }] };

function found(unit: number, identification: Identification, setting = line19200N): FoundDevice {
  return { unit, setting, answerMs: 4, probe: 'data', identification };
}

function request(over: Partial<WriteRequest> = {}): WriteRequest {
  return {
    file: 'site.yaml',
    bus: 'field-2',
    target: { type: 'rtu', port: '/dev/ttyUSB1' },
    found: [found(17, identified('eastron/sdm630')), found(5, unknown), found(201, identified('generic/electrical-fire-monitor'))],
    pollMs: 1000,
    date: '2026-11-23',
    ...over,
  };
}

describe('writing scanned devices into a site file', () => {
  it('keeps every line of the file (comments included) and appends a bus and the identified devices', () => {
    const { text, outcome } = addDevicesToSite(example, request());
    const before = example.trimEnd().split('\n');
    const after = text.split('\n');
    // Every original line is still there, in order: the edit only inserted lines.
    let at = 0;
    for (const l of before) {
      const i = after.indexOf(l, at);
      expect(i, `line kept: ${l}`).toBeGreaterThanOrEqual(at);
      at = i + 1;
    }
    const site = parse(text) as { buses: Array<Record<string, unknown>>; devices: Array<Record<string, unknown>> };
    expect(site.buses.at(-1)).toEqual({ name: 'field-2', type: 'rtu', port: '/dev/ttyUSB1', baudRate: 19200, parity: 'none', stopBits: 2 });
    expect(site.devices.slice(-2)).toEqual([
      { name: 'sdm630-u17', bus: 'field-2', unitId: 17, profile: 'eastron/sdm630', pollMs: 1000 },
      { name: 'electrical-fire-monitor-u201', bus: 'field-2', unitId: 201, profile: 'generic/electrical-fire-monitor', pollMs: 1000 },
    ]);
    expect(text).toContain('# Added by vigil scan on 2026-11-23: plausible match (voltage 180–260 V) — confirm on the label.');
    expect(text).toMatch(/# {3}- unit 5: unknown model \(read holding 0=7\) — add it by hand/);
    expect(outcome.written.map((w) => w.unit)).toEqual([17, 201]);
    expect(outcome.notWritten).toEqual([{ unit: 5, reason: 'unknown model (read holding 0=7)' }]);
    expect(outcome.busAdded).toBe(true);
  });

  it('adds to an existing bus with the same line setting, skipping units already in the file', () => {
    const { text, outcome } = addDevicesToSite(example, request({ bus: 'rs485-1', found: [found(3, identified('generic/toxic-gas-co'), settingOf(9600, 'none')), found(30, identified('generic/power-meter-3p'), settingOf(9600, 'none'))] }));
    expect(outcome.busAdded).toBe(false);
    expect(outcome.notWritten).toEqual([{ unit: 3, reason: 'already in the file as "boiler-co"' }]);
    const site = parse(text) as { buses: unknown[]; devices: Array<Record<string, unknown>> };
    expect(site.buses).toHaveLength(2);
    expect(site.devices.at(-1)).toMatchObject({ name: 'power-meter-3p-u30', bus: 'rs485-1', unitId: 30 });
  });

  it('refuses a bus whose line setting differs from the one the devices answered at, naming both', () => {
    expect(() => addDevicesToSite(example, request({ bus: 'rs485-1' }))).toThrow(SiteWriteError);
    expect(() => addDevicesToSite(example, request({ bus: 'rs485-1' }))).toThrow(
      /bus "rs485-1" runs baudRate 9600, parity none, but the devices answered at 19200 8N2; change the bus to baudRate: 19200, parity: none, stopBits: 2/,
    );
  });

  it('leaves the file untouched when nothing identified can be written', () => {
    const { text, outcome } = addDevicesToSite(example, request({ found: [found(5, unknown)] }));
    expect(text).toBe(example);
    expect(outcome.written).toEqual([]);
    expect(outcome.busAdded).toBe(false);
  });

  it('refuses a file that is not a site file', () => {
    expect(() => addDevicesToSite('- just\n- a list\n', request())).toThrow(/not a site file/);
  });
});
