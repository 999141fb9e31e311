import { createServer, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { initCommand } from '../commands/init.js';
import { registerCommand, type RegisterOptions } from '../commands/register.js';
import { testConnection } from './connection-test.js';
import { startSiteUnderTest } from '../../gateway/runtime/testing/site-under-test.js';
import { waitUntil } from '../../gateway/forward/testing/broker.js';
import { createCa, createServerCert, signCsr, type TestCa } from './testing/test-pki.js';
import { startTlsBroker, type TlsBroker } from './testing/tls-broker.js';

/**
 * `vigil register` against a broker that demands client certificates (aedes behind node:tls on
 * 127.0.0.1): the two visits of an installer — key + CSR, then the signed certificate — and the
 * ways it goes wrong, each with the sentence the installer would read.
 */
const tmp = mkdtempSync(join(tmpdir(), 'vigil-register-int-'));
let cloudCa: TestCa;
let otherCa: TestCa;
let broker: TlsBroker;
let site: string;
const tlsDir = join(tmp, 'tls');

async function register(opts: Omit<RegisterOptions, 'config'>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await registerCommand({ config: site, timeoutSec: 15, ...opts }, { log: (l) => out.push(l), error: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const mode = (p: string): number => statSync(p).mode & 0o777;

beforeAll(async () => {
  cloudCa = createCa(tmp, 'cloud-ca');
  otherCa = createCa(tmp, 'other-ca');
  broker = await startTlsBroker({ ...createServerCert(tmp, cloudCa), clientCa: readFileSync(cloudCa.cert) });
  site = join(tmp, 'site.yaml');
  const errors: string[] = [];
  const code = await initCommand(site, { template: 'small-gas', siteId: 'plant-7', gatewayId: 'gw-a', port: '/dev/ttyUSB0', baud: '9600', broker: broker.url }, { log: () => undefined, error: (l) => errors.push(l), interactive: false });
  expect(errors).toEqual([]);
  expect(code).toBe(0);
}, 60_000);

afterAll(async () => {
  await broker?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('vigil register', () => {
  it('first visit: makes the key (0600, directory 0700) and a CSR for CN=<gateway>, O=<site>, and prints the identity without the key', async () => {
    const r = await register({});
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(mode(tlsDir)).toBe(0o700);
    expect(mode(join(tlsDir, 'gateway.key'))).toBe(0o600);
    expect(mode(join(tlsDir, 'gateway.csr'))).toBe(0o600);
    expect(readFileSync(join(tlsDir, 'gateway.csr'), 'utf8')).toContain('BEGIN CERTIFICATE REQUEST');
    expect(r.out).toMatch(/gateway id +gw-a\n +site id +plant-7\n/);
    expect(r.out).toMatch(/key fingerprint +SHA256:([0-9A-F]{2}:){31}[0-9A-F]{2}\n/);
    expect(r.out).toContain('certificate      none yet');
    expect(r.out).toContain(`next: send ${join(tlsDir, 'gateway.csr')} to the cloud operator`);
    expect(r.out).not.toMatch(/PRIVATE KEY/);
    const key = readFileSync(join(tlsDir, 'gateway.key'), 'utf8');
    expect(r.out).not.toContain(key.split('\n')[1]);
  }, 30_000);

  it('a second run keeps the key (same fingerprint): the CSR already sent stays valid', async () => {
    const fingerprint = (s: string) => /SHA256:[0-9A-F:]+/.exec(s)?.[0];
    const before = readFileSync(join(tlsDir, 'gateway.key'), 'utf8');
    const r = await register({});
    expect(r.code).toBe(0);
    expect(readFileSync(join(tlsDir, 'gateway.key'), 'utf8')).toBe(before);
    expect(fingerprint(r.out)).toBeDefined();
  }, 30_000);

  it('refuses a certificate made from another key, and stores nothing', async () => {
    const strangerCsr = join(tmp, 'stranger.csr');
    const { execFileSync } = await import('node:child_process');
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(tmp, 'stranger.key'), '-out', strangerCsr, '-subj', '/O=plant-7/CN=gw-a'], { stdio: 'ignore' });
    const cert = signCsr(cloudCa, strangerCsr, join(tmp, 'stranger.pem'));
    const r = await register({ cert, ca: cloudCa.cert });
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${cert} was not made from this gateway's key (gateway.key)`);
    expect(r.err).toContain('nothing stored');
    expect(() => statSync(join(tlsDir, 'gateway.crt'))).toThrow();
  }, 30_000);

  it("with a certificate from another CA: the broker's certificate is not signed by that ca.pem — a clear failure, exit 1", async () => {
    const cert = signCsr(otherCa, join(tlsDir, 'gateway.csr'), join(tmp, 'signed-by-other.pem'));
    const r = await register({ cert, ca: otherCa.cert });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`connection test FAILED: the broker's certificate is not signed by ${join(tlsDir, 'ca.pem').replace(/[.]/g, '\\.')} \\(`));
    expect(broker.connected).not.toContain('plant-7-gw-a');
  }, 30_000);

  it('with the certificate the cloud CA signed: stores it 0600, connects over TLS with it, prints subject and expiry', async () => {
    const cert = signCsr(cloudCa, join(tlsDir, 'gateway.csr'), join(tmp, 'signed.pem'));
    const r = await register({ cert, ca: cloudCa.cert });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(mode(join(tlsDir, 'gateway.crt'))).toBe(0o600);
    expect(mode(join(tlsDir, 'ca.pem'))).toBe(0o600);
    expect(mode(join(tlsDir, 'gateway.key'))).toBe(0o600);
    expect(mode(tlsDir)).toBe(0o700);
    expect(r.out).toMatch(/subject +O=plant-7, CN=gw-a\n +issuer +CN=cloud-ca\n +valid until +\d{4}-\d\d-\d\dT/);
    expect(r.out).toMatch(/connection test OK: the broker accepted this gateway \(TLS \+ client certificate, CONNACK in \d+ ms\)/);
    expect(broker.connected).toContain('plant-7-gw-a');
    expect(r.out).toContain('add under cloud.mqtt:\n    tls:\n      ca: tls/ca.pem\n      cert: tls/gateway.crt\n      key: tls/gateway.key');
  }, 30_000);

  it('once the site file names the files, it validates and the hint is gone', async () => {
    const text = readFileSync(site, 'utf8').replace(/^    topicPrefix: vigil$/m, '    topicPrefix: vigil\n    tls:\n      ca: tls/ca.pem\n      cert: tls/gateway.crt\n      key: tls/gateway.key');
    writeFileSync(site, text);
    const loaded = loadSiteConfig(site);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
    const r = await register({});
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('add under cloud.mqtt');
    expect(r.out).toContain('connection test OK');
  }, 30_000);

  it('the running gateway connects with the stored credentials (cloud.mqtt.tls → the forwarder)', async () => {
    const site = await startSiteUnderTest(broker.url);
    try {
      const yaml = readFileSync(site.siteFile, 'utf8').replace('clientId: gw-test,', `clientId: gw-test, tls: { ca: ${join(tlsDir, 'ca.pem')}, cert: ${join(tlsDir, 'gateway.crt')}, key: ${join(tlsDir, 'gateway.key')} },`);
      expect(yaml).toContain('tls: {');
      writeFileSync(site.siteFile, yaml);
      await site.startGateway();
      await waitUntil(() => broker.connected.includes('gw-test'), 30_000, 'the gateway to connect over TLS');
    } finally {
      await site.stop();
    }
  }, 60_000);

  it('a broker that does not trust the issuing CA for clients: the client certificate is rejected, said plainly', async () => {
    const picky = await startTlsBroker({ ...createServerCert(tmp, cloudCa), clientCa: readFileSync(otherCa.cert) });
    try {
      const text = readFileSync(site, 'utf8').replace(broker.url, picky.url);
      const pickySite = join(tmp, 'picky.yaml');
      writeFileSync(pickySite, text);
      const out: string[] = [];
      const err: string[] = [];
      const code = await registerCommand({ config: pickySite, timeoutSec: 15 }, { log: (l) => out.push(l), error: (l) => err.push(l) });
      expect(code).toBe(1);
      expect(err.join('\n')).toMatch(/connection test FAILED: .*rejected this gateway's client certificate/);
      expect(picky.connected).toEqual([]);
    } finally {
      await picky.close();
    }
  }, 30_000);

  describe('the connection test on its own', () => {
    const tls = () => ({ ca: readFileSync(cloudCa.cert), cert: readFileSync(join(tlsDir, 'gateway.crt')), key: readFileSync(join(tlsDir, 'gateway.key')) });
    const listen = async (server: Server): Promise<number> => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return (server.address() as { port: number }).port;
    };

    it('a port that accepts but never answers: "no answer within" the time limit, not a hang', async () => {
      const sockets: import('node:net').Socket[] = [];
      const silent = createServer((s) => sockets.push(s));
      const port = await listen(silent);
      try {
        const r = await testConnection({ url: `mqtts://127.0.0.1:${port}`, clientId: 'c', tls: tls(), timeoutMs: 1_000, caName: 'ca.pem' });
        expect(r).toEqual({ ok: false, message: 'no answer from 127.0.0.1:' + port + ' within 1 s: a firewall dropping the port, or the wrong host' });
      } finally {
        for (const s of sockets) s.destroy();
        await new Promise((r) => silent.close(r));
      }
    }, 30_000);

    it('a closed port: nothing accepts connections there', async () => {
      const probe = createServer();
      const port = await listen(probe);
      await new Promise((r) => probe.close(r));
      const r = await testConnection({ url: `mqtts://127.0.0.1:${port}`, clientId: 'c', tls: tls(), timeoutMs: 10_000, caName: 'ca.pem' });
      expect(r).toEqual({ ok: false, message: `nothing accepts connections at 127.0.0.1:${port} (ECONNREFUSED): check the port and the broker` });
    }, 30_000);
  });
});
