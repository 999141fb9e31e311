import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from './load.js';
import { formatProblem } from './problems.js';
import { lines, loadText, siteDir, testCatalog, VALID_SITE } from './testcases/helpers.js';

const SECRETS = 'mqtt_username: "gw-1"\nmqtt_password: "s3cr3t-value"\n';
const cloud = (username: string, password: string, url = 'mqtts://broker:8883') =>
  `${VALID_SITE}secrets:\n  file: secrets.yaml\ncloud:\n  mqtt:\n    url: ${url}\n    clientId: gw-1\n    username: ${username}\n    password: ${password}\n`;
// Lines of the cloud block in cloud(): secrets 33, file 34, cloud 35, mqtt 36, url 37, clientId 38, username 39, password 40.

describe('secrets', () => {
  it('resolves { secret } from the secrets file and { env } from the environment, outside the config', () => {
    const r = loadText(cloud('{ secret: mqtt_username }', '{ env: VIGIL_MQTT_PASSWORD }'), { 'secrets.yaml': SECRETS }, { VIGIL_MQTT_PASSWORD: 'from-env' });
    expect(lines(r)).toEqual({ errors: [], warnings: [] });
    if (!r.ok) return;
    expect(r.secrets).toEqual({ mqttUsername: 'gw-1', mqttPassword: 'from-env' });
    expect(JSON.stringify(r.config)).not.toContain('from-env');
  });

  it('a plain-text username is allowed and passed through', () => {
    const r = loadText(cloud('gw-plain', '{ secret: mqtt_password }'), { 'secrets.yaml': SECRETS });
    expect(r.ok && r.secrets).toEqual({ mqttUsername: 'gw-plain', mqttPassword: 's3cr3t-value' });
  });

  it('names the site-file path and the missing key or variable, never a value', () => {
    const r = loadText(cloud('{ secret: mqtt_usr }', '{ env: VIGIL_MQTT_PASSWORD }'), { 'secrets.yaml': SECRETS }, {});
    expect(lines(r).errors).toEqual([
      'site.yaml:39:25 cloud.mqtt.username.secret: key "mqtt_usr" is not in the secrets file secrets.yaml (did you mean "mqtt_username"?)',
      'site.yaml:40:22 cloud.mqtt.password.env: environment variable VIGIL_MQTT_PASSWORD is not set',
    ]);
    expect(r.ok ? '' : r.code).toBe('SECRET_MISSING');
    expect(JSON.stringify(r)).not.toContain('s3cr3t-value');
  });

  it('an empty environment variable is not a password', () => {
    const r = loadText(cloud('gw', '{ env: P }'), { 'secrets.yaml': SECRETS }, { P: '' });
    expect(lines(r).errors).toEqual(['site.yaml:40:22 cloud.mqtt.password.env: environment variable P is set but empty']);
  });

  it('the secrets file must exist', () => {
    const r = loadText(cloud('gw', '{ secret: mqtt_password }'));
    expect(lines(r).errors).toEqual(['secrets.yaml: secrets file not found (secrets.file in the site file names it)']);
  });

  it('a { secret } reference needs a secrets section', () => {
    const r = loadText(`${VALID_SITE}cloud:\n  mqtt:\n    url: mqtts://b:8883\n    clientId: c\n    password: { secret: mqtt_password }\n`);
    expect(lines(r).errors).toEqual(['site.yaml:37:25 cloud.mqtt.password.secret: refers to the secrets file, but the site file has no `secrets: { file: … }` (got "mqtt_password")']);
  });

  it('a secret that YAML reads as a number is refused, not converted, and not shown', () => {
    const r = loadText(cloud('gw', '{ secret: mqtt_password }'), { 'secrets.yaml': 'mqtt_password: 0012345\n' });
    expect(lines(r).errors).toEqual(['secrets.yaml:1:1 mqtt_password: must be text (put the value in quotes); value not shown']);
    expect(lines(r).errors.join()).not.toContain('12345');
  });

  it.runIf(process.platform !== 'win32')('warns when the secrets file is readable by others', () => {
    const dir = siteDir({ 'site.yaml': cloud('gw', '{ secret: mqtt_password }'), 'secrets.yaml': SECRETS });
    const load = () => loadSiteConfig(join(dir, 'site.yaml'), { env: {}, catalog: testCatalog });
    expect(load().warnings).toEqual([]);
    chmodSync(join(dir, 'secrets.yaml'), 0o644);
    const r = load();
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatProblem)).toEqual([
      `${join(dir, 'secrets.yaml')}: secrets file is readable by other users (mode 0644); run chmod 600 ${join(dir, 'secrets.yaml')}`,
    ]);
  });
});
