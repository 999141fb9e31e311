import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A throw-away PKI for TLS tests, made with the openssl CLI (the same tool `vigil register` uses):
 * CAs, a broker certificate for 127.0.0.1, and signing of the gateway's CSR as a cloud operator
 * would. Everything lives in `dir`, which the test removes.
 */
export interface TestCa {
  name: string;
  cert: string;
  key: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

export function createCa(dir: string, name: string): TestCa {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return { name, cert, key };
}

let serial = 1;

/** Signs a CSR file; `ext` is an openssl extension section body (e.g. a subjectAltName line). */
export function signCsr(ca: TestCa, csr: string, out: string, ext = 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n'): string {
  const dir = join(out, '..');
  const extFile = `${out}.ext`;
  writeFileSync(extFile, ext);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(serial++), '-days', '2', '-sha256', '-extfile', extFile, '-out', out], dir);
  return out;
}

/** The broker's key and certificate for 127.0.0.1 (subjectAltName IP, so hostname checks pass). */
export function createServerCert(dir: string, ca: TestCa): { key: Buffer; cert: Buffer } {
  const key = join(dir, 'broker.key');
  const csr = join(dir, 'broker.csr');
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'], dir);
  const cert = signCsr(ca, csr, join(dir, 'broker.pem'), 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1\n');
  return { key: readFileSync(key), cert: readFileSync(cert) };
}
