import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MqttSchema } from './schema.js';
import { checkTlsFiles } from './tls-files.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cloud.mqtt.tls', () => {
  it('a missing file is an error naming the key and the resolved path', () => {
    writeFileSync(join(dir, 'ca.pem'), 'x');
    expect(checkTlsFiles({ ca: 'ca.pem', cert: 'tls/gateway.crt', key: 'tls/gateway.key' }, dir)).toEqual([
      { severity: 'error', at: ['cloud', 'mqtt', 'tls', 'cert'], message: `file not found (resolved to ${join(dir, 'tls/gateway.crt')})`, value: 'tls/gateway.crt' },
      { severity: 'error', at: ['cloud', 'mqtt', 'tls', 'key'], message: `file not found (resolved to ${join(dir, 'tls/gateway.key')})`, value: 'tls/gateway.key' },
    ]);
  });

  it('a private key others can read is a warning with the fix', () => {
    const key = join(dir, 'gateway.key');
    writeFileSync(key, 'x');
    chmodSync(key, 0o644);
    writeFileSync(join(dir, 'gateway.crt'), 'x');
    expect(checkTlsFiles({ cert: 'gateway.crt', key: 'gateway.key' }, dir)).toEqual([
      { severity: 'warning', at: ['cloud', 'mqtt', 'tls', 'key'], message: `the private key is readable by other users (mode 0644); run chmod 600 ${key}`, value: 'gateway.key' },
    ]);
    chmodSync(key, 0o600);
    expect(checkTlsFiles({ cert: 'gateway.crt', key: 'gateway.key' }, dir)).toEqual([]);
  });

  it('the schema: tls only over mqtts:// or wss://, cert and key together', () => {
    const mqtt = (url: string, tls: object) => MqttSchema.safeParse({ url, clientId: 'c', tls });
    expect(mqtt('mqtts://h:8883', { ca: 'a', cert: 'b', key: 'c' }).success).toBe(true);
    expect(mqtt('mqtt://h:1883', { ca: 'a' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['tls', 'tls needs an mqtts:// or wss:// url (this url does not use TLS)']]);
    expect(mqtt('mqtts://h:8883', { cert: 'b' }).error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['tls', 'cert and key go together: give both or neither']]);
  });
});
