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

describe('secrets: api.users and the cloud command key', () => {
  const TOKENS = 'alice_token: "a1b2c3d4e5f6g7h8i9j0"\nbob_token: "short"\ncmd_key: "0123456789abcdef0123456789abcdef"\n';
  const users = (...entries: string[]) => `${VALID_SITE}secrets:\n  file: secrets.yaml\napi:\n  users:\n${entries.join('')}`;
  const user = (name: string, ref: string) => `    - name: ${name}\n      token: ${ref}\n`;
  // Lines in users(): secrets 33, file 34, api 35, users 36; entry k (0-based) has name at 37 + 2k, token at 38 + 2k.

  it('resolves every user token and keeps them out of the config', () => {
    const r = loadText(users(user('alice', '{ secret: alice_token }'), user('duty-desk', '{ env: VIGIL_DUTY_TOKEN }')), { 'secrets.yaml': TOKENS }, { VIGIL_DUTY_TOKEN: 'duty-desk-token-0123' });
    expect(lines(r)).toEqual({ errors: [], warnings: [] });
    expect(r.ok && r.secrets.apiUsers).toEqual([
      { name: 'alice', token: 'a1b2c3d4e5f6g7h8i9j0' },
      { name: 'duty-desk', token: 'duty-desk-token-0123' },
    ]);
    expect(JSON.stringify(r.ok && r.config)).not.toContain('duty-desk-token-0123');
  });

  it('no users: apiUsers is absent (the API then refuses alarm actions)', () => {
    const r = loadText(VALID_SITE);
    expect(r.ok && r.secrets).toEqual({});
  });

  it('a token that does not resolve is an error at its path', () => {
    const r = loadText(users(user('alice', '{ secret: alice_tokn }'), user('bob', '{ env: BOB_TOKEN }')), { 'secrets.yaml': TOKENS });
    expect(lines(r).errors).toEqual([
      'site.yaml:38:24 api.users[0].token.secret: key "alice_tokn" is not in the secrets file secrets.yaml (did you mean "alice_token"?)',
      'site.yaml:40:21 api.users[1].token.env: environment variable BOB_TOKEN is not set',
    ]);
    expect(r.ok ? '' : r.code).toBe('SECRET_MISSING');
  });

  it('warns about a short token without showing it', () => {
    const r = loadText(users(user('bob', '{ secret: bob_token }')), { 'secrets.yaml': TOKENS });
    expect(lines(r)).toEqual({
      errors: [],
      warnings: ['site.yaml:38:14 api.users[0].token: the token of user "bob" is 5 characters; use at least 16 random characters (e.g. openssl rand -base64 24)'],
    });
    expect(r.ok && r.secrets.apiUsers).toEqual([{ name: 'bob', token: 'short' }]);
  });

  it('refuses two users with one token, or one name twice: the journal must name who acted', () => {
    const r = loadText(
      users(user('alice', '{ secret: alice_token }'), user('bob', '{ env: T }'), user('alice', '{ env: OTHER }')),
      { 'secrets.yaml': TOKENS },
      { T: 'a1b2c3d4e5f6g7h8i9j0', OTHER: 'another-token-0123456' },
    );
    expect(lines(r).errors).toEqual([
      'site.yaml:40:14 api.users[1].token: has the same token as api.users[0] (alice); each user needs their own token so the journal names who acted',
      'site.yaml:41:13 api.users[2].name: user name "alice" is already used by api.users[0]; each person needs their own entry so the journal names who acted (got "alice")',
    ]);
    expect(JSON.stringify(r)).not.toContain('a1b2c3d4e5f6g7h8i9j0');
  });

  const commands = (ref: string) =>
    `${VALID_SITE}secrets:\n  file: secrets.yaml\ncloud:\n  mqtt:\n    url: mqtts://b:8883\n    clientId: c\n    commands:\n      key: ${ref}\n`;
  // Lines in commands(): key 40.

  it('resolves the cloud command key', () => {
    const r = loadText(commands('{ secret: cmd_key }'), { 'secrets.yaml': TOKENS });
    expect(lines(r)).toEqual({ errors: [], warnings: [] });
    expect(r.ok && r.secrets.commandKey).toBe('0123456789abcdef0123456789abcdef');
    expect(r.ok && r.config.cloud?.mqtt.commands?.maxSkewMs).toBe(300_000);
  });

  it('a command key that does not resolve is an error; a short one a warning', () => {
    const missing = loadText(commands('{ env: VIGIL_CMD_KEY }'), { 'secrets.yaml': TOKENS });
    expect(lines(missing).errors).toEqual(['site.yaml:40:19 cloud.mqtt.commands.key.env: environment variable VIGIL_CMD_KEY is not set']);
    const short = loadText(commands('{ env: K }'), { 'secrets.yaml': TOKENS }, { K: 'too-short-key' });
    expect(lines(short)).toEqual({
      errors: [],
      warnings: ['site.yaml:40:12 cloud.mqtt.commands.key: the cloud command key is 13 characters; use at least 32 random characters (RFC 2104: an HMAC-SHA256 key shorter than 32 bytes is weaker)'],
    });
    expect(short.ok && short.secrets.commandKey).toBe('too-short-key');
  });
});
