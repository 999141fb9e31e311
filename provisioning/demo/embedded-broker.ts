import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The demo's MQTT broker: aedes in-process (aedes 1.x must be created with
 * `await Aedes.createBroker()`), on loopback only. It stands in for the monitoring cloud.
 */
export interface EmbeddedBrokerOptions {
  /**
   * Called for every message a client published, in the same turn of the event loop as the
   * broker accepts it and queues its QoS 1 PUBACK (aedes emits 'publish' right after), so a
   * broker stopped by a signal has recorded every message it acknowledged —
   * hil-tests/injectors records deliveries here.
   */
  onPublish?: (topic: string, payload: Buffer) => void;
}

export async function startEmbeddedBroker(port: number, host = '127.0.0.1', options: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  const broker = await Aedes.createBroker();
  const { onPublish } = options;
  if (onPublish) {
    broker.on('publish', (packet, client) => {
      if (client) onPublish(packet.topic, Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload));
    });
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${host}:${port} is already in use (another MQTT broker?) — pass --mqtt-port with a free port`) : e),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `mqtt://${host}:${bound}`,
    port: bound,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      await new Promise<void>((r) => broker.close(() => r()));
    },
  };
}
