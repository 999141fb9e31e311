import { X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** What an installer needs to know about a certificate, and nothing secret. */
export interface CertificateSummary {
  subject: string;
  issuer: string;
  validFrom: Date;
  validTo: Date;
  serialNumber: string;
}

export function readCertificate(path: string, what: string): X509Certificate {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw new Error(`${what} ${path}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return new X509Certificate(pem);
  } catch (e) {
    throw new Error(`${what} ${path}: not a PEM certificate (${e instanceof Error ? e.message : String(e)})`);
  }
}

export function summarize(cert: X509Certificate): CertificateSummary {
  return { subject: oneLine(cert.subject), issuer: oneLine(cert.issuer), validFrom: new Date(cert.validFrom), validTo: new Date(cert.validTo), serialNumber: cert.serialNumber };
}

/** X509Certificate gives "O=site\nCN=gw"; one line reads better in a terminal. */
function oneLine(dn: string): string {
  return dn.split('\n').join(', ');
}

function commonName(cert: X509Certificate): string | undefined {
  return cert.subject.split('\n').find((l) => l.startsWith('CN='))?.slice(3);
}

/**
 * Everything that must hold before a signed certificate is stored, each failure said plainly:
 * it belongs to this gateway's key (the CSR it was signed from), it names this gateway, it was
 * signed by the CA given, and it is valid now.
 */
export function checkSignedCertificate(opts: { cert: X509Certificate; ca: X509Certificate; key: KeyObject; gatewayId: string; now: Date; certPath: string; caPath: string }): string[] {
  const { cert, ca, certPath, caPath } = opts;
  const problems: string[] = [];
  if (!cert.checkPrivateKey(opts.key)) problems.push(`${certPath} was not made from this gateway's key (gateway.key): it was signed from another CSR`);
  const cn = commonName(cert);
  if (cn !== opts.gatewayId) problems.push(`${certPath} is for CN=${cn ?? '(none)'}, but this gateway is "${opts.gatewayId}"`);
  if (!ca.ca) problems.push(`${caPath} is not a CA certificate (basicConstraints CA:FALSE)`);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) problems.push(`${certPath} is not signed by ${caPath}`);
  if (opts.now < new Date(cert.validFrom)) problems.push(`${certPath} is not valid before ${new Date(cert.validFrom).toISOString()} (is the gateway clock right?)`);
  if (opts.now > new Date(cert.validTo)) problems.push(`${certPath} expired on ${new Date(cert.validTo).toISOString()}`);
  return problems;
}
