import { spawnSync } from 'node:child_process';

/**
 * The certificate signing request (PKCS#10). node:crypto makes keys but cannot build a CSR, so the
 * `openssl` command does it: it is on every Raspberry Pi OS and Debian image, and using it spares a
 * new dependency on the gateway.
 */
export interface CsrSubject {
  /** CN: the gateway id — what the cloud's ACLs name this gateway by. */
  gatewayId: string;
  /** O: the site id. */
  siteId: string;
}

export class OpensslMissingError extends Error {
  override readonly name = 'OpensslMissingError';
  constructor() {
    super('the openssl command is needed to write the certificate request and was not found on PATH; install it with: sudo apt-get install -y openssl');
  }
}

/**
 * Ids are lower case letters, digits, - and _ (schema.ts), so they need no escaping in -subj; the
 * check here keeps it that way if the schema ever widens.
 */
export function subjectText(s: CsrSubject): string {
  for (const [what, v] of [['gateway id', s.gatewayId], ['site id', s.siteId]] as const) {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(v)) throw new Error(`${what} "${v}" cannot go into a certificate subject as it is`);
  }
  return `/O=${s.siteId}/CN=${s.gatewayId}`;
}

/** Runs `openssl req -new` on the key file and returns the CSR in PEM. */
export function createCsr(keyPath: string, subject: CsrSubject, opensslBin = 'openssl'): string {
  const r = spawnSync(opensslBin, ['req', '-new', '-sha256', '-key', keyPath, '-subj', subjectText(subject), '-outform', 'PEM'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') throw new OpensslMissingError();
  if (r.error) throw new Error(`openssl req failed: ${r.error.message}`);
  if (r.status !== 0 || !r.stdout.includes('BEGIN CERTIFICATE REQUEST')) {
    throw new Error(`openssl req failed (exit ${r.status ?? r.signal}): ${r.stderr.trim() || 'no output'}`);
  }
  return r.stdout;
}
