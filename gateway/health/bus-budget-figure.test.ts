import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadSiteConfig } from '../config/load.js';
import { formatProblem } from '../config/problems.js';
import { busBudgetPercents } from './bus-budget-figure.js';

const overbooked = join(dirname(fileURLToPath(import.meta.url)), '../config/testcases/overbooked-bus/site.yaml');

function load(file: string) {
  const r = loadSiteConfig(file, { env: {} });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return r;
}

describe('the bus budget figure in /api/health', () => {
  it('is the utilisation `vigil validate` reports, in per cent: 117.6 for the overbooked 2400-baud line ("needs 1.18 s")', () => {
    const r = load(overbooked);
    expect(busBudgetPercents(r.config, r.profiles)).toEqual(new Map([['rs485-1', 117.6]]));
  });

  it('halves when the line runs twice as fast, and a TCP bus has none (its cost is a network round trip)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-budget-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const site = readFileSync(overbooked, 'utf8')
      .replace('baudRate: 2400', 'baudRate: 4800')
      .replace('devices:\n', 'devices:\n  - { name: meter-1, bus: lan-1, unitId: 1, profile: generic/electrical-fire-monitor, pollMs: 1000 }\n')
      .replace('buses:\n', 'buses:\n  - { name: lan-1, type: tcp, host: 127.0.0.1, port: 502, timeoutMs: 500 }\n');
    writeFileSync(join(dir, 'site.yaml'), site);
    const r = load(join(dir, 'site.yaml'));
    const figures = busBudgetPercents(r.config, r.profiles);
    expect([...figures.keys()]).toEqual(['rs485-1']);
    // Not exactly half: the turnaround (5 ms per transaction) does not scale with the baud rate.
    expect(figures.get('rs485-1')).toBeGreaterThan(117.6 / 2);
    expect(figures.get('rs485-1')).toBeLessThan(117.6 / 2 + 10);
  });
});
