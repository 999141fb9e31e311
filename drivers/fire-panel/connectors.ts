/**
 * How a FirePanelLink gets its next connection. The link asks `open()` whenever it has none
 * (at start, after a close, after a failed open) and backs off between failures; a connector
 * only knows how to make one connection of its kind:
 *
 * - tcp-client: Vigil connects to the panel's transmission card (it listens);
 * - tcp-server: the card connects to Vigil — the usual arrangement, since a card is built to
 *   dial a monitoring centre. The newest connection wins: a card that reconnects does so
 *   because it believes the old connection dead, and a half-open old socket must not hold the
 *   panel's fire alarms hostage;
 * - serial: RS-232 or RS-485 (through an adapter) at the panel's baud rate; "reopen" is the
 *   same open after a USB adapter came back.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { VigilError } from '../../gateway/errors.js';
import { connectTcpTransport, duplexTransport, openSerialTransport, type ByteTransport, type SerialLineOptions } from '../serial/index.js';

export interface PanelConnector {
  /** For logs and events: "tcp 10.0.0.7:5000", "listen 0.0.0.0:9000", "/dev/ttyUSB0 9600 8N1". */
  readonly description: string;
  /** One connection; rejects (a VigilError naming the port or address) when none can be made. */
  open(): Promise<ByteTransport>;
  /** Stop listening / give up a pending open. Idempotent. */
  close(): Promise<void>;
}

export function tcpClientConnector(o: { host: string; port: number; connectTimeoutMs?: number }): PanelConnector {
  return {
    description: `tcp ${o.host}:${o.port}`,
    open: () => connectTcpTransport({ host: o.host, port: o.port, ...(o.connectTimeoutMs !== undefined ? { connectTimeoutMs: o.connectTimeoutMs } : {}) }),
    close: () => Promise.resolve(),
  };
}

export function serialConnector(o: SerialLineOptions): PanelConnector {
  return { description: `serial ${o.port} ${o.baudRate}`, open: () => openSerialTransport(o), close: () => Promise.resolve() };
}

/**
 * Listens on host:port. open() resolves with the next accepted connection (or one that arrived
 * while none was asked for). A new connection closes the one before it (newest wins, above).
 */
export class TcpServerConnector implements PanelConnector {
  readonly description: string;
  private server: Server | null = null;
  private listening: Promise<number> | null = null;
  private current: ByteTransport | null = null;
  private waiting: Socket | null = null;
  private asked: { resolve: (t: ByteTransport) => void; reject: (e: Error) => void } | null = null;

  constructor(private readonly o: { host: string; port: number }) {
    this.description = `listen ${o.host}:${o.port}`;
  }

  /** Starts listening (open() does it too); resolves with the bound port (useful with port 0). */
  listen(): Promise<number> {
    this.listening ??= new Promise<number>((resolve, reject) => {
      const server = createServer((socket) => this.accepted(socket));
      this.server = server;
      // `on`, not `once`: an error after listening (rare) must not crash the gateway; the first one rejects listen().
      server.on('error', (e) => reject(new VigilError('COMM_PORT_CLOSED', `${this.description}: cannot listen: ${e.message}`, { host: this.o.host, port: this.o.port }, { cause: e })));
      server.listen(this.o.port, this.o.host, () => {
        const a = server.address();
        resolve(typeof a === 'object' && a !== null ? a.port : this.o.port);
      });
    });
    return this.listening;
  }

  async open(): Promise<ByteTransport> {
    await this.listen();
    if (this.waiting) {
      const socket = this.waiting;
      this.waiting = null;
      return this.use(socket);
    }
    return new Promise((resolve, reject) => {
      this.asked = { resolve, reject };
    });
  }

  async close(): Promise<void> {
    this.asked?.reject(new VigilError('COMM_PORT_CLOSED', `${this.description}: closed`, { host: this.o.host, port: this.o.port }));
    this.asked = null;
    this.waiting?.destroy();
    this.waiting = null;
    const server = this.server;
    this.server = null;
    this.listening = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accepted(socket: Socket): void {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    // Until duplexTransport wraps it, a reset of a waiting socket must not be an unhandled 'error'.
    socket.on('error', () => undefined);
    if (this.asked) {
      const asked = this.asked;
      this.asked = null;
      asked.resolve(this.use(socket));
      return;
    }
    this.waiting?.destroy();
    this.waiting = socket;
    // Newest wins: closing the one in use makes the link ask open() again, which takes this one.
    void this.current?.close();
  }

  private use(socket: Socket): ByteTransport {
    const t = duplexTransport(socket, `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`);
    this.current = t;
    return t;
  }
}
