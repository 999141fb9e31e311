import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';

/**
 * An MQTT broker over TLS that demands client certificates, as a cloud broker does: aedes behind
 * node:tls on 127.0.0.1, `requestCert` + `rejectUnauthorized`, trusting `clientCa` for clients.
 */
export interface TlsBroker {
  url: string;
  /** Client ids that completed CONNECT. */
  readonly connected: string[];
  close(): Promise<void>;
}

export async function startTlsBroker(opts: { key: Buffer; cert: Buffer; clientCa: Buffer }): Promise<TlsBroker> {
  const aedes = await Aedes.createBroker();
  const connected: string[] = [];
  aedes.on('client', (c) => connected.push(c.id));
  const server: Server = createServer({ key: opts.key, cert: opts.cert, ca: opts.clientCa, requestCert: true, rejectUnauthorized: true }, (socket) => aedes.handle(socket));
  // A rejected handshake is the point of some tests, not a failure of the broker.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `mqtts://127.0.0.1:${port}`,
    connected,
    close: async () => {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
