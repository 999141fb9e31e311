import { connect, type IClientOptions, type MqttClient } from 'mqtt';

/**
 * `vigil register`'s proof that the credentials work: one MQTT CONNECT over TLS with the client
 * certificate, to the broker the site file names, the same way the gateway will connect
 * (gateway/forward/client-options.ts). Nothing is published; the connection is closed at once.
 */
export interface ConnectionTestOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  /** ca/cert/key as the gateway builds them (gateway/forward/client-options.ts tlsClientOptions). */
  tls: Pick<IClientOptions, 'ca' | 'cert' | 'key'>;
  /** Whole test, DNS to CONNACK. */
  timeoutMs: number;
  /** The CA file's name as the installer knows it, for messages ("not signed by ca.pem"). */
  caName: string;
}

export type ConnectionResult = { ok: true; ms: number } | { ok: false; message: string };

/** TLS verification codes (OpenSSL X509_V_ERR_*) meaning "the chain does not lead to the CA we trust". */
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_SIGNATURE_FAILURE']);

/** MQTT 3.1.1 §3.2.2.3 CONNACK return codes. */
const CONNACK: Record<number, string> = {
  1: 'the broker refused the protocol version (MQTT 3.1.1)',
  2: 'the broker refused the client id',
  3: 'the broker is unavailable',
  4: 'the broker refused the username or password',
  5: 'the broker says this gateway is not authorised (check the certificate is registered for this client id)',
};

/** One sentence an installer can act on, from what Node's TLS/DNS/socket layers or mqtt.js report. */
export function explainConnectionError(e: Error & { code?: string | number }, opts: Pick<ConnectionTestOptions, 'url' | 'caName'>): string {
  const code = e.code;
  const host = hostOf(opts.url);
  if (typeof code === 'number' && CONNACK[code]) return `${CONNACK[code]} (CONNACK ${code})`;
  if (typeof code !== 'string') return `connection failed: ${e.message}`;
  if (UNTRUSTED.has(code)) return `the broker's certificate is not signed by ${opts.caName} (${code})`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the broker's certificate is not for ${host}: ${e.message}`;
  if (code === 'CERT_HAS_EXPIRED') return "the broker's certificate has expired (or the gateway clock is wrong)";
  if (code === 'CERT_NOT_YET_VALID') return "the broker's certificate is not valid yet (is the gateway clock right? check NTP)";
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot resolve ${host} (DNS ${code}): check the broker name and the gateway's DNS`;
  if (code === 'ECONNREFUSED') return `nothing accepts connections at ${host} (ECONNREFUSED): check the port and the broker`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `no route to ${host} (${code}): check the network, gateway and firewall`;
  if (/ALERT_(UNKNOWN_CA|BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|ACCESS_DENIED|HANDSHAKE_FAILURE)/.test(code) || code === 'ECONNRESET') {
    return `the broker rejected this gateway's client certificate (${code}): is gateway.crt signed by the CA the broker trusts for clients?`;
  }
  return `connection failed: ${e.message} (${code})`;
}

function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return u.port ? `${u.hostname}:${u.port}` : u.hostname;
  } catch {
    return url;
  }
}

export async function testConnection(opts: ConnectionTestOptions, connectFn: (url: string, o: IClientOptions) => MqttClient = connect): Promise<ConnectionResult> {
  const started = performance.now();
  const client = connectFn(opts.url, {
    clientId: opts.clientId,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...opts.tls,
    rejectUnauthorized: true,
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    // Our own timer below decides and says why; mqtt.js's would only say "connack timeout".
    connectTimeout: opts.timeoutMs + 5_000,
  });
  const result = await new Promise<ConnectionResult>((resolveResult) => {
    let firstError: Error | undefined;
    const done = (r: ConnectionResult): void => {
      clearTimeout(timer);
      resolveResult(r);
    };
    const timer = setTimeout(() => done({ ok: false, message: `no answer from ${hostOf(opts.url)} within ${(opts.timeoutMs / 1000).toFixed(0)} s: a firewall dropping the port, or the wrong host` }), opts.timeoutMs);
    client.once('connect', () => done({ ok: true, ms: Math.round(performance.now() - started) }));
    client.on('error', (e) => {
      // The first error is the cause; a reset that follows a TLS alert says less.
      firstError ??= e;
      done({ ok: false, message: explainConnectionError(firstError, opts) });
    });
    // TLS 1.3 checks the client certificate after the client thinks the handshake is done: a
    // rejection can arrive as a bare close before CONNACK.
    client.once('close', () => done({ ok: false, message: firstError ? explainConnectionError(firstError, opts) : "the broker closed the connection before accepting it: it most likely rejected this gateway's client certificate (or its client id)" }));
  });
  await new Promise<void>((r) => client.end(true, {}, () => r()));
  return result;
}
