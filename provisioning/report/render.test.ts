import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { escapeHtml, html } from './html.js';
import { renderReport } from './render.js';
import { buildReportData, type ReportData } from './report-data.js';
import type { WalkTestRecord } from './walk-test-input.js';

const SCRIPT = '<script>alert("x")</script>';
const tmp = mkdtempSync(join(tmpdir(), 'vigil-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A small site whose free-text fields carry markup, as a careless or hostile site file could. */
function site(): string {
  const file = join(tmp, 'site.yaml');
  writeFileSync(
    file,
    `version: 1
site: { id: plant, name: '${SCRIPT} & Sons' }
gateway: { id: gw-1, name: 'Cabinet <K3>' }
clock: { trust: always }
buses:
  - { name: rs485, type: rtu, port: /dev/ttyUSB0, baudRate: 9600, parity: none, stopBits: 2, description: '<img src=x onerror=alert(1)>' }
devices:
  - { name: gas-1, bus: rs485, unitId: 1, profile: generic/combustible-gas, pollMs: 1000, description: '${SCRIPT}' }
storage: { path: ${join(tmp, 'v.db')}, budgetBytes: 1048576 }
outputs:
  driver: { kind: virtual }
  lines:
    - { name: sounder, kind: sounder, line: 17, failsafe: on, description: 'Sounder "A" <door>' }
`,
  );
  return file;
}

function data(walkTest?: WalkTestRecord): ReportData {
  const r = loadSiteConfig(site(), { env: {} });
  if (!r.ok) throw new Error(r.problems.map(formatProblem).join('\n'));
  return buildReportData({
    siteFile: 'site.yaml',
    config: r.config,
    profiles: r.profiles,
    warnings: r.warnings,
    formatProblem,
    generatedAt: new Date('2026-11-23T10:00:00Z'),
    vigilVersion: '9.9.9',
    ...(walkTest ? { walkTest: { file: 'wt.json', record: walkTest } } : {}),
  });
}

const record = (over: Partial<WalkTestRecord> = {}): WalkTestRecord => ({
  schema: 'vigil.walk-test/1',
  site: 'plant',
  gateway: 'gw-1',
  installer: 'Li <Na>',
  startedAt: '2026-11-23T09:00:00Z',
  endedAt: '2026-11-23T09:30:00Z',
  outputs: [{ name: 'sounder', kind: 'sounder', confirmed: true, note: null }],
  detectors: [
    {
      device: 'gas-1',
      point: 'gas_lel',
      alarmId: 'gas-1/gas_high',
      setpoint: 25,
      unit: '%LEL',
      timeToAlarmMs: 9000,
      peak: 31,
      passed: true,
      reason: null,
      readings: [
        { tMs: 0, value: 0 },
        { tMs: 9000, value: 26 },
        { tMs: 12000, value: 31 },
      ],
    },
  ],
  ...over,
});

/** The page without its style sheet: what is left must carry no markup from the site file. */
const body = (page: string) => page.slice(page.indexOf('</head>'));

describe('escapeHtml / html', () => {
  it('escapes the five characters that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('escapes interpolated text but keeps interpolated markup', () => {
    expect(html`<p>${'<b>'}${html`<i>ok</i>`}${['<', html`<br>`]}</p>`.text).toBe('<p>&lt;b&gt;<i>ok</i>&lt;<br></p>');
  });
});

describe('renderReport', () => {
  it('escapes every name and description from the site file', () => {
    const page = renderReport(data());
    expect(body(page)).not.toContain('<script');
    expect(body(page)).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Sons');
    expect(page).toContain('<title>Commissioning report — &lt;script&gt;');
    expect(page).toContain('Cabinet &lt;K3&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('Sounder &quot;A&quot; &lt;door&gt;');
  });

  it('escapes a device named <script> (names are checked by the schema; the report does not rely on it)', () => {
    const d = data(record());
    d.config.devices[0]!.name = SCRIPT;
    const page = renderReport(d);
    expect(body(page)).not.toContain('<script');
    expect(page).toContain('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</td>');
  });

  it('is one self-contained page: inline CSS, no script, no external resource', () => {
    const page = renderReport(data(record()));
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<style>');
    expect(page).toContain('@media print');
    expect(page).not.toMatch(/<script|<link|<img|src=["']?https?:|url\(/);
    expect(page).toContain('<svg class="plot"');
  });

  it('has every section of a commissioning report, in handover order', () => {
    const page = renderReport(data(record()));
    const order = ['identity', 'buses', 'devices', 'register-maps', 'thresholds', 'outputs', 'interlocks', 'bus-budget', 'walk-test', 'signatures'];
    const at = order.map((id) => page.indexOf(`<section id="${id}"`));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('shows the site, gateway, date, version and the resolved thresholds', () => {
    const page = renderReport(data());
    expect(page).toContain('<dt>Report generated</dt><dd>2026-11-23 10:00:00 UTC</dd>');
    expect(page).toContain('<dt>Vigil version</dt><dd>9.9.9</dd>');
    // The profile's first-level gas alarm with its set point, deadband, priority colour and latch.
    expect(page).toMatch(/<td>gas_high<\/td><td>high<\/td><td>gas_lel<\/td><td>≥ 25 %LEL \(returns below 24 %LEL\)<\/td><td>0 \/ 0<\/td><td><span class="prio prio-orange">high \(orange\)<\/span><\/td><td>gas<\/td><td>latched<\/td>/);
  });

  it('shows the register map and the read plan the gateway polls with', () => {
    const page = renderReport(data());
    expect(page).toContain('<td>gas_lel</td><td>holding</td><td>0</td><td>u16</td><td>× 0.1</td><td>%LEL</td>');
    expect(page).toMatch(/<h4>Read plan: 1 request per poll, every 1 s<\/h4>/);
    expect(page).toMatch(/<td>1<\/td><td>FC03<\/td><td>holding<\/td><td>0–4<\/td><td>5<\/td><td>gas_lel, status, /);
  });

  it('says plainly when no walk test was given', () => {
    expect(renderReport(data())).toContain('No walk-test record was given');
  });

  it('shows a failed detector and an untested output as not passing', () => {
    const page = renderReport(
      data(
        record({
          outputs: [{ name: 'sounder', kind: 'sounder', confirmed: null, note: 'refused: an alarm was active' }],
          detectors: [{ ...record().detectors[0]!, timeToAlarmMs: null, peak: 3, passed: false, reason: 'no alarm within 120 s' }],
        }),
      ),
    );
    expect(page).toContain('<span class="verdict fail">NOT tested</span>');
    expect(page).toContain('<span class="verdict fail">FAIL</span>');
    expect(page).toContain('2 steps did not pass.');
    expect(page).toContain('no alarm within 120 s');
  });

  it('warns about outputs and alarms of the record that the site file does not have', () => {
    const page = renderReport(
      data(record({ outputs: [{ name: 'horn', kind: 'sounder', confirmed: true, note: null }], detectors: [{ ...record().detectors[0]!, alarmId: 'gas-1/gas_hi' }] })),
    );
    expect(page).toContain('The record does not match this site file');
    expect(page).toContain('outputs[0]: output &quot;horn&quot; is not in the site file');
    expect(page).toContain('detectors[0]: alarm &quot;gas-1/gas_hi&quot; is not an alarm of the site file');
  });
});
