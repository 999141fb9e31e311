import type { Server } from 'node:net';

/** Listen on 127.0.0.1 (the rig never listens anywhere else) and return the bound port; `port` 0 picks a free one. */
export async function listenOnLoopback(server: Server, port: number, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${what}: no port bound`);
  return address.port;
}
