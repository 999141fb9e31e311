import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../gateway/paths.js';
import { runVigil } from '../testing/run-vigil.js';
import { reportCommand } from '../commands/report.js';
import { findChromium } from './pdf.js';

const WALK_TEST = join(packageRoot(), 'provisioning', 'report', 'testcases', 'walk-test.json');
const tmp = mkdtempSync(join(tmpdir(), 'vigil-report-int-'));
const siteFile = join(tmp, 'site.yaml');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  // The shipped example with its secrets file in place, as the installer guide says.
  copyFileSync(join(packageRoot(), 'examples', 'small-gas-site.yaml'), siteFile);
  copyFileSync(join(packageRoot(), 'examples', 'secrets.example.yaml'), join(tmp, 'secrets.yaml'));
  chmodSync(join(tmp, 'secrets.yaml'), 0o600);
});

/** `vigil report` as an installer runs it: the compiled CLI in a child process; a slow Chromium gets 90 s. */
const vigil = (args: string[]) => runVigil(args, 90_000);

const sectionOf = (page: string, id: string): string => {
  const start = page.indexOf(`<section id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(0);
  // Up to the next top-level section (a register map nests a <section> per device).
  const next = page.indexOf('<section id="', start + 1);
  return page.slice(start, next < 0 ? undefined : next);
};

describe('vigil report', () => {
  it('writes the commissioning report of the small gas site with its walk test', async () => {
    const out = join(tmp, 'report.html');
    const r = await vigil(['report', '--config', siteFile, '--walk-test', WALK_TEST, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`wrote ${out}\n`);
    expect(r.status).toBe(0);
    const page = readFileSync(out, 'utf8');

    expect(sectionOf(page, 'identity')).toContain('<h1>Commissioning report — Riverside Coatings Ltd., Plant 2</h1>');
    expect(sectionOf(page, 'identity')).toContain('<dd>Boiler room gateway (cabinet K3) (gw-boiler-room)</dd>');
    const devices = sectionOf(page, 'devices');
    for (const d of ['boiler-ch4', 'paint-store-voc', 'boiler-co', 'mdb-fire-monitor', 'boiler-gas-valve', 'incomer-meter']) {
      expect(devices).toContain(`<td>${d}</td>`);
      expect(sectionOf(page, 'register-maps')).toContain(`<h3>${d} <span class="sub">`);
    }
    // The site file's override (XLPE cable, 85 °C) is what the report shows, not the profile's 70 °C.
    expect(sectionOf(page, 'thresholds')).toMatch(/<td>cable_temperature_1_high<\/td><td>high<\/td><td>cable_temperature_1<\/td><td>≥ 85 °C/);
    expect(sectionOf(page, 'thresholds')).toMatch(/<td>gas_high_high<\/td><td>high<\/td><td>gas_lel<\/td><td>≥ 50 %LEL[^<]*<\/td><td>2 s \/ 0<\/td>/);
    expect(sectionOf(page, 'outputs')).toContain('<td>boiler-sounder</td><td>sounder</td><td>17</td><td>on</td>');
    expect(sectionOf(page, 'interlocks')).toContain('write boiler-gas-valve.close_command = true; stays on reset');

    // The same bus budget `vigil validate` prints.
    const validate = await vigil(['validate', siteFile]);
    const busy = /rs485-1: RTU 9600 baud 8N2, 5 devices: (\d+ %) busy/.exec(validate.stdout)?.[1];
    expect(busy).toBeDefined();
    expect(sectionOf(page, 'bus-budget')).toContain(`${busy} busy — ok</span>`);

    const walk = sectionOf(page, 'walk-test');
    expect(walk).toContain('by Wang Lei &lt;Acme Safety &amp; Co&gt;');
    expect(walk).toContain('<td>fault-lamp</td><td>lamp</td><td><span class="verdict fail">NOT confirmed</span></td><td>lamp did not light: bulb to be replaced</td>');
    expect(walk).toContain('<td>exhaust-fan</td><td>relay</td><td><span class="verdict fail">NOT tested</span></td>');
    expect(walk).toMatch(/<td>boiler-ch4<\/td><td>gas_lel<\/td><td>boiler-ch4\/gas_high<\/td><td>11\.8 s<\/td><td>34\.2 %LEL<\/td><td><span class="verdict pass">PASS<\/span><\/td>/);
    expect(walk).toContain('<td>paint-store-voc</td><td>gas_lel</td><td>paint-store-voc/gas_high</td><td>no alarm</td>');
    expect(walk.match(/<svg class="plot"/g)).toHaveLength(3);
    // Both levels of the combustible-gas detector drawn on its plot.
    expect(walk).toMatch(/boiler-ch4: readings during its walk test<\/title>[\s\S]*gas_high 25<\/text>[\s\S]*gas_high_high 50<\/text>/);
    expect(sectionOf(page, 'signatures')).toContain('<h3>Installer</h3>');
    expect(sectionOf(page, 'signatures')).toContain('<h3>Site representative</h3>');
  });

  it('writes nothing and names the problem when the walk-test record is wrong', async () => {
    const bad = join(tmp, 'bad-walk-test.json');
    writeFileSync(bad, JSON.stringify({ ...JSON.parse(readFileSync(WALK_TEST, 'utf8')), detectors: [{ device: 'boiler-ch4' }] }));
    const out = join(tmp, 'not-written.html');
    const r = await vigil(['report', '--config', siteFile, '--walk-test', bad, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}: not a walk-test record:`);
    expect(r.stderr).toMatch(/detectors\[0\]\.alarmId: /);
    expect(r.stderr).toContain('no report written');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses the walk-test record of another site', async () => {
    const other = join(tmp, 'other-site-walk-test.json');
    writeFileSync(other, JSON.stringify({ ...JSON.parse(readFileSync(WALK_TEST, 'utf8')), site: 'hongshan-fireworks' }));
    const out = join(tmp, 'other.html');
    const r = await vigil(['report', '--config', siteFile, '--walk-test', other, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `${other}: the walk-test record is for site "hongshan-fireworks", gateway "gw-boiler-room"; the site file is site "riverside-coatings", gateway "gw-boiler-room"`,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('writes nothing when the site file does not load', async () => {
    const broken = join(tmp, 'broken.yaml');
    writeFileSync(broken, readFileSync(siteFile, 'utf8').replace('baudRate: 9600', 'baudRate: 9601'));
    const out = join(tmp, 'broken.html');
    const r = await vigil(['report', '--config', broken, '--out', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/broken\.yaml:\d+:\d+ buses\[0\]\.baudRate: must be one of .* \(got 9601\)/);
    expect(r.stderr).toContain('the site file does not load');
    expect(existsSync(out)).toBe(false);
  });

  it('without Chromium, writes the HTML and says the PDF needs Chromium (exit 2)', async () => {
    const out = join(tmp, 'no-chromium.html');
    const lines: string[] = [];
    const code = await reportCommand(
      { config: siteFile, out, pdf: true },
      { log: (l) => lines.push(l), error: (l) => lines.push(`E ${l}`), now: () => new Date('2026-11-23T10:00:00Z'), chromiumCandidates: ['/nonexistent/chromium'] },
    );
    expect(code).toBe(2);
    expect(lines[0]).toBe(`wrote ${out}`);
    expect(lines[1]).toMatch(/^E no PDF: printing to PDF needs Chromium \(looked for \/nonexistent\/chromium; install it with: sudo apt-get install chromium\)\. The HTML report was written to /);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(tmp, 'no-chromium.pdf'))).toBe(false);
  });

  // Needs Debian's Chromium (scripts/ensure-system-tools.mjs installs it for the console tests);
  // on a machine without it there is nothing to print with, and the test above covers that path.
  const chromium = findChromium();
  it.skipIf(chromium === undefined)('prints the report to PDF with Chromium (--pdf)', async () => {
    const out = join(tmp, 'with-pdf.html');
    const r = await vigil(['report', '--config', siteFile, '--walk-test', WALK_TEST, '--out', out, '--pdf']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const pdf = join(tmp, 'with-pdf.pdf');
    expect(r.stdout).toBe(`wrote ${out}\nwrote ${pdf}\n`);
    expect(readFileSync(pdf).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // Several A4 pages of tables and three plots: far more than an empty page.
    expect(statSync(pdf).size).toBeGreaterThan(20_000);
    const pages = readFileSync(pdf, 'latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(4);
  });
});
