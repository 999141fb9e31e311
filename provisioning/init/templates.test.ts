import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { parse } from 'yaml';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { checkAnswers, TEMPLATE_NAMES, type RawAnswers } from './answers.js';
import { PLACEHOLDER, secretsStub } from './secrets-stub.js';
import { renderSite } from './templates/index.js';
import { secretsPathFor, writeInitFiles } from './write-site.js';

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-init-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Renders a template with sample answers and writes it with its secrets file, as `vigil init` does. */
function written(raw: RawAnswers): { dir: string; siteFile: string; secretsFile: string } {
  const dir = scratch();
  const siteFile = join(dir, 'site.yaml');
  const checked = checkAnswers(raw, 'site.secrets.yaml');
  if (!checked.ok) throw new Error(checked.problems.join('\n'));
  const secretsFile = secretsPathFor(siteFile);
  writeInitFiles({ siteFile, siteText: renderSite(checked.answers), secretsFile, secretsText: secretsStub(checked.answers) }, false);
  return { dir, siteFile, secretsFile };
}

/** What `vigil validate` would print as problems, with the scratch directory taken out. */
function problemsOf(siteFile: string, dir: string): string[] {
  // overbookedBus 'error': exactly what `vigil validate` checks
  const r = loadSiteConfig(siteFile, { env: {}, overbookedBus: 'error' });
  return [...(r.ok ? [] : r.problems), ...r.warnings].map((p) => formatProblem(p).replace(`${dir}/`, ''));
}

const SAMPLE = { siteId: 'riverside', siteName: 'Riverside Chemicals: plant 2', gatewayId: 'gw-k3', port: '/dev/serial/by-id/usb-FTDI-if00', baud: '19200' };

describe('vigil init templates', () => {
  it.each(TEMPLATE_NAMES)('%s, with a cloud broker, passes validate with no problem and no warning', (template) => {
    const extra = template === 'major-hazard' ? { port2: '/dev/ttyUSB3' } : template === 'fire-panel-bridge' ? { centre: '10.0.0.7:5000' } : {};
    const { siteFile, dir } = written({ template, ...SAMPLE, ...extra, broker: 'mqtts://iot.example.com:8883' });
    expect(problemsOf(siteFile, dir)).toEqual([]);
    const r = loadSiteConfig(siteFile, { env: {} });
    if (!r.ok) throw new Error('not ok');
    // the answers landed where they belong
    expect(r.config.site).toEqual({ id: 'riverside', name: 'Riverside Chemicals: plant 2' });
    expect(r.config.gateway.id).toBe('gw-k3');
    expect(r.config.buses[0]).toMatchObject({ type: 'rtu', port: '/dev/serial/by-id/usb-FTDI-if00', baudRate: 19200 });
    expect(r.config.cloud?.mqtt.url).toBe('mqtts://iot.example.com:8883');
    expect(r.secrets.apiUsers?.map((u) => u.name)).toEqual(['duty-room', 'safety-officer']);
  });

  it.each(TEMPLATE_NAMES)('%s with the defaults (no broker) passes validate too and runs offline-only', (template) => {
    const { siteFile, dir } = written({ template });
    expect(problemsOf(siteFile, dir)).toEqual([]);
    const r = loadSiteConfig(siteFile, { env: {} });
    expect(r.ok && r.config.cloud).toBe(undefined);
  });

  it('major-hazard: two RS-485 lines, and a 2-out-of-3 vote that trips the ESD valve interlock', () => {
    const { siteFile } = written({ template: 'major-hazard', port: '/dev/ttyUSB0', port2: '/dev/ttyUSB1' });
    const r = loadSiteConfig(siteFile, { env: {} });
    if (!r.ok) throw new Error('not ok');
    expect(r.config.buses.map((b) => (b.type === 'rtu' ? b.port : ''))).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);
    expect(r.config.alarms).toEqual([expect.objectContaining({ kind: 'vote', k: 2, of: ['ch4-1/gas_high_high', 'ch4-2/gas_high_high', 'ch4-3/gas_high_high'] })]);
    expect(r.config.interlocks?.[0]).toMatchObject({ when: ['site/tank_farm_gas_vote'], actions: [{ write: { device: 'esd-valve', point: 'close_command', value: true } }, expect.anything()] });
    const profiles = new Set(r.config.devices.map((d) => d.profile));
    expect(profiles).toEqual(new Set(['generic/combustible-gas', 'generic/gas-valve-actuator', 'generic/toxic-gas-h2s', 'generic/toxic-gas-co']));
  });

  it('fire-panel-bridge: a panel and the centre link at the given address', () => {
    const { siteFile } = written({ template: 'fire-panel-bridge', centre: '10.0.0.7:5000' });
    const r = loadSiteConfig(siteFile, { env: {} });
    if (!r.ok) throw new Error('not ok');
    expect(r.config.firePanels?.map((p) => p.transport.type)).toEqual(['tcp-server']);
    expect(r.config.fireCentre?.centre).toMatchObject({ host: '10.0.0.7', port: 5000 });
  });

  it('the secrets file is mode 0600: random API tokens and command key, and a marked placeholder for the MQTT password', () => {
    const { secretsFile } = written({ template: 'small-gas', broker: 'mqtts://iot.example.com:8883' });
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);
    const values = parse(readFileSync(secretsFile, 'utf8')) as Record<string, string>;
    expect(values.mqtt_password).toMatch(new RegExp(`^${PLACEHOLDER}`));
    expect(values.api_token_duty_room).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(values.cloud_command_key).toMatch(/^[0-9a-f]{64}$/);
    // a second run draws new tokens: nothing guessable is shipped
    const again = parse(readFileSync(written({ template: 'small-gas', broker: 'mqtts://iot.example.com:8883' }).secretsFile, 'utf8')) as Record<string, string>;
    expect(again.api_token_duty_room).not.toBe(values.api_token_duty_room);
  });

  it('every section of every template is explained: no top-level key without a comment above it', () => {
    for (const template of TEMPLATE_NAMES) {
      const checked = checkAnswers({ template }, 'site.secrets.yaml');
      if (!checked.ok) throw new Error('bad answers');
      const lines = renderSite(checked.answers).split('\n');
      const bare = lines.filter((l, i) => /^[a-zA-Z]+:/.test(l) && !['site:', 'gateway:'].includes(l) && !(lines[i - 1] ?? '').startsWith('#'));
      expect({ template, bare }).toEqual({ template, bare: [] });
    }
  });
});
