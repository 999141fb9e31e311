/** The simulated panel on TCP, 127.0.0.1 only (the rig never listens anywhere else). */
import { createServer, type Server } from 'node:net';
import { connectTcpTransport, duplexTransport } from '../../../drivers/serial/index.js';
import { listenOnLoopback } from '../listen.js';
import { SimulatedFirePanel, type SimulatedFirePanelOptions } from './simulated-panel.js';

/** The panel dials the gateway (which listens: transport type tcp-server). */
export async function panelDialing(port: number, opts: SimulatedFirePanelOptions = {}): Promise<SimulatedFirePanel> {
  const panel = new SimulatedFirePanel(opts);
  panel.attach(await connectTcpTransport({ host: '127.0.0.1', port }));
  return panel;
}

/**
 * The panel listens (the gateway dials it: tcp-client). `connected` resolves when the gateway's
 * connection arrives; a later connection replaces the earlier one, as on a real card.
 */
export async function panelListening(opts: SimulatedFirePanelOptions & { port?: number } = {}): Promise<{ panel: SimulatedFirePanel; port: number; server: Server; connected: () => Promise<void>; close: () => Promise<void> }> {
  const panel = new SimulatedFirePanel(opts);
  let arrived: () => void = () => undefined;
  let next = new Promise<void>((r) => (arrived = r));
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    void panel.close().then(() => {
      panel.attach(duplexTransport(socket, `${socket.remoteAddress}:${socket.remotePort}`));
      arrived();
    });
  });
  const port = await listenOnLoopback(server, opts.port ?? 0, 'simulated fire panel');
  return {
    panel,
    port,
    server,
    connected: async () => {
      await next;
      next = new Promise<void>((r) => (arrived = r));
    },
    close: async () => {
      await panel.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
