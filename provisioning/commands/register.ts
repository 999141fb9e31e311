import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { loadSiteConfig } from '../../gateway/config/load.js';
import { formatProblem } from '../../gateway/config/problems.js';
import { tlsClientOptions } from '../../gateway/forward/client-options.js';
import type { SiteConfig } from '../../gateway/config/schema.js';
import type { ResolvedSecrets } from '../../gateway/config/secrets.js';
import { checkSignedCertificate, readCertificate, summarize } from '../register/certificate.js';
import { testConnection } from '../register/connection-test.js';
import { createGatewayKey, credentialPaths, ensureCredentialDir, hasKey, keyFingerprint, modeOf, readGatewayKey, writePrivateFile, type CredentialPaths } from '../register/credentials.js';
import { createCsr } from '../register/csr.js';

export interface RegisterOptions {
  config: string;
  /** Where the credentials go; default: the directory of cloud.mqtt.tls.key, else <site dir>/tls. */
  dir?: string;
  /** The certificate the cloud operator signed from gateway.csr, and their CA. */
  cert?: string;
  ca?: string;
  /** Make a new key (and CSR) even though one exists: the stored certificate stops matching. */
  newKey?: boolean;
  /** Skip the broker connection test. */
  test?: boolean;
  timeoutSec?: number;
}

export interface RegisterIo {
  log(line: string): void;
  error(line: string): void;
  now?: () => Date;
}

/**
 * `vigil register`: the gateway's identity for the cloud, in two visits.
 *   1. No key yet: make the key pair (EC P-256) and a CSR; the installer sends gateway.csr to the
 *      cloud operator.
 *   2. `--cert signed.pem --ca ca.pem`: check the certificate belongs to this key, names this
 *      gateway and is signed by that CA; store both; connect to the broker with them.
 * Every run prints the identity (ids, key fingerprint, certificate) and never the key itself.
 * Exit 0 when everything asked for worked, 1 otherwise (with the reason).
 */
export async function registerCommand(opts: RegisterOptions, io: RegisterIo): Promise<number> {
  try {
    return await register(opts, io);
  } catch (e) {
    io.error(`vigil register: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

async function register(opts: RegisterOptions, io: RegisterIo): Promise<number> {
  const site = loadSite(opts.config, io);
  if (!site) return 1;
  const { config, configDir, secrets } = site;
  if ((opts.cert === undefined) !== (opts.ca === undefined)) {
    io.error('vigil register: --cert and --ca go together: the signed certificate and the CA that signed it');
    return 1;
  }
  const paths = credentialPaths(credentialDir(opts, config, configDir));
  ensureCredentialDir(paths.dir);

  if (!hasKey(paths) || opts.newKey === true) makeKey(paths, config, io);
  const key = readGatewayKey(paths.key);
  if (!existsSync(paths.csr)) writePrivateFile(paths.csr, createCsr(paths.key, { gatewayId: config.gateway.id, siteId: config.site.id }));

  if (opts.cert !== undefined && opts.ca !== undefined) {
    const cert = readCertificate(opts.cert, 'certificate');
    const ca = readCertificate(opts.ca, 'CA');
    const problems = checkSignedCertificate({ cert, ca, key, gatewayId: config.gateway.id, now: (io.now ?? (() => new Date()))(), certPath: opts.cert, caPath: opts.ca });
    if (problems.length > 0) {
      for (const p of problems) io.error(`vigil register: ${p}`);
      io.error('vigil register: nothing stored');
      return 1;
    }
    if (resolve(opts.cert) !== resolve(paths.cert)) writePrivateFile(paths.cert, readFileSync(opts.cert));
    if (resolve(opts.ca) !== resolve(paths.ca)) writePrivateFile(paths.ca, readFileSync(opts.ca));
    io.log(`stored ${paths.cert} and ${paths.ca} (0600)`);
  }

  printIdentity(config, paths, io);
  if (!existsSync(paths.cert)) {
    io.log('');
    io.log(`next: send ${paths.csr} to the cloud operator. When the signed certificate comes back:`);
    io.log(`  vigil register --config ${opts.config} --cert signed.pem --ca ca.pem`);
    return 0;
  }
  printSiteFileHint(config, configDir, paths, io);
  if (opts.test === false) return 0;
  return await connectionTest(config, secrets, paths, opts.timeoutSec ?? 10, io);
}

/** The site file must be valid; the TLS files it names may be missing — this command makes them. */
function loadSite(file: string, io: RegisterIo): { config: SiteConfig; configDir: string; secrets: ResolvedSecrets } | null {
  const loaded = loadSiteConfig(file, { skipTlsFiles: true });
  if (loaded.ok) return loaded;
  for (const p of loaded.problems) io.error(formatProblem(p));
  io.error(`${file}: fix the site file first (vigil validate ${file})`);
  return null;
}

function credentialDir(opts: RegisterOptions, config: SiteConfig, configDir: string): string {
  if (opts.dir !== undefined) return resolve(opts.dir);
  const key = config.cloud?.mqtt.tls?.key;
  if (key !== undefined) return dirname(isAbsolute(key) ? key : resolve(configDir, key));
  return resolve(configDir, 'tls');
}

function makeKey(paths: CredentialPaths, config: SiteConfig, io: RegisterIo): void {
  const replacing = hasKey(paths);
  createGatewayKey(paths.key);
  writePrivateFile(paths.csr, createCsr(paths.key, { gatewayId: config.gateway.id, siteId: config.site.id }));
  if (replacing && existsSync(paths.cert)) {
    // A certificate for the old key would only fail the handshake later, with a less clear error.
    rmSync(paths.cert);
    io.log(`new key: removed ${paths.cert}, which belonged to the old key; the cloud operator must sign the new gateway.csr`);
  }
  io.log(`created ${paths.key} (0600) and ${paths.csr}`);
}

function printIdentity(config: SiteConfig, paths: CredentialPaths, io: RegisterIo): void {
  const key = readGatewayKey(paths.key);
  io.log('');
  io.log('gateway identity');
  io.log(`  gateway id       ${config.gateway.id}`);
  io.log(`  site id          ${config.site.id}`);
  io.log(`  credentials      ${paths.dir} (${modeOf(paths.dir)})`);
  io.log(`  private key      ${paths.key} (${modeOf(paths.key)}) — never leaves this gateway`);
  io.log(`  key fingerprint  SHA256:${keyFingerprint(key)}`);
  io.log(`  request (CSR)    ${paths.csr}`);
  if (existsSync(paths.cert)) {
    const s = summarize(readCertificate(paths.cert, 'certificate'));
    io.log(`  certificate      ${paths.cert} (${modeOf(paths.cert)})`);
    io.log(`    subject        ${s.subject}`);
    io.log(`    issuer         ${s.issuer}`);
    io.log(`    valid until    ${s.validTo.toISOString()}`);
  } else {
    io.log('  certificate      none yet');
  }
}

/** The site file names the credential files in cloud.mqtt.tls; say exactly what to write when it does not. */
function printSiteFileHint(config: SiteConfig, configDir: string, paths: CredentialPaths, io: RegisterIo): void {
  const rel = (p: string): string => {
    const r = relative(configDir, p);
    return r.startsWith('..') ? p : r;
  };
  const want = { ca: rel(paths.ca), cert: rel(paths.cert), key: rel(paths.key) };
  const tls = config.cloud?.mqtt.tls;
  const same = (a: string | undefined, b: string): boolean => a !== undefined && resolve(configDir, a) === resolve(configDir, b);
  if (tls && same(tls.ca, want.ca) && same(tls.cert, want.cert) && same(tls.key, want.key)) return;
  io.log('');
  io.log('the site file does not name these files yet; add under cloud.mqtt:');
  io.log('    tls:');
  io.log(`      ca: ${want.ca}`);
  io.log(`      cert: ${want.cert}`);
  io.log(`      key: ${want.key}`);
}

async function connectionTest(config: SiteConfig, secrets: ResolvedSecrets, paths: CredentialPaths, timeoutSec: number, io: RegisterIo): Promise<number> {
  const mqtt = config.cloud?.mqtt;
  if (!mqtt) {
    io.error('vigil register: the site file has no cloud.mqtt section, so there is no broker to test; add one (url: mqtts://HOST:8883, clientId) and run vigil register again');
    return 1;
  }
  if (!/^(mqtts|wss):\/\//.test(mqtt.url)) {
    io.error(`vigil register: cloud.mqtt.url ${mqtt.url} does not use TLS; a client certificate needs mqtts:// or wss://`);
    return 1;
  }
  io.log('');
  io.log(`testing ${mqtt.url} as ${mqtt.clientId} with the client certificate …`);
  const r = await testConnection({
    url: mqtt.url,
    clientId: mqtt.clientId,
    ...(secrets.mqttUsername !== undefined ? { username: secrets.mqttUsername } : {}),
    ...(secrets.mqttPassword !== undefined ? { password: secrets.mqttPassword } : {}),
    // The same reading of the files as the running gateway's (cloud.ts), so a pass here means the service will connect.
    tls: tlsClientOptions({ ...(existsSync(paths.ca) ? { ca: paths.ca } : {}), cert: paths.cert, key: paths.key }, paths.dir),
    timeoutMs: timeoutSec * 1000,
    caName: existsSync(paths.ca) ? paths.ca : "the system's trusted CAs",
  });
  if (!r.ok) {
    io.error(`connection test FAILED: ${r.message}`);
    return 1;
  }
  io.log(`connection test OK: the broker accepted this gateway (TLS + client certificate, CONNACK in ${r.ms} ms)`);
  return 0;
}
