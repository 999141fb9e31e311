import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where `vigil register` keeps the gateway's credentials, and how: the directory 0700, every file
 * 0600 (the certificates are not secret, but one rule for the whole directory is one rule an
 * installer can check with `ls -l`). The private key never leaves this directory and is never
 * printed; what identifies it in output and logs is its fingerprint.
 */
export interface CredentialPaths {
  dir: string;
  key: string;
  csr: string;
  cert: string;
  ca: string;
}

export function credentialPaths(dir: string): CredentialPaths {
  return { dir, key: join(dir, 'gateway.key'), csr: join(dir, 'gateway.csr'), cert: join(dir, 'gateway.crt'), ca: join(dir, 'ca.pem') };
}

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates the directory 0700, or tightens an existing one (mkdir's mode is filtered by the umask). */
export function ensureCredentialDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  chmodSync(dir, DIR_MODE);
}

/**
 * Writes a file 0600 from its first byte: a temporary file created with that mode, then renamed
 * over the target, so the content is never readable by others, not even for a moment, and a power
 * cut leaves either the old file or the new one.
 */
export function writePrivateFile(path: string, content: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content, { mode: FILE_MODE, flag: 'w' });
  chmodSync(tmp, FILE_MODE);
  renameSync(tmp, path);
}

/**
 * An EC P-256 key pair (prime256v1): what the cloud brokers we meet accept for client
 * certificates, small enough for a Pi to handshake quickly, and supported by OpenSSL 1.1+ and 3.
 */
export function createGatewayKey(path: string): KeyObject {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  writePrivateFile(path, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return privateKey;
}

export function readGatewayKey(path: string): KeyObject {
  try {
    return createPrivateKey(readFileSync(path));
  } catch (e) {
    throw new Error(`${path}: not a readable private key (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function hasKey(paths: CredentialPaths): boolean {
  return existsSync(paths.key);
}

/** SHA-256 of the DER SubjectPublicKeyInfo, as colon-separated hex: the key's identity (RFC 7469 §2.4 pins the same bytes). */
export function keyFingerprint(key: KeyObject): string {
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex').toUpperCase().match(/../g)!.join(':');
}

/** The mode bits of a file, for the report ("0600"). */
export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8).padStart(4, '0');
}
