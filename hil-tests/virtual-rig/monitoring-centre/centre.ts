/**
 * A fire remote-monitoring centre for the virtual rig: a GB/T 26875.3-2011 TCP server on 127.0.0.1
 * that a UITD (Vigil's gateway/forward/uitd) connects to. It confirms what the UITD sends (command 2 →
 * 3), records every frame with its arrival time, and can be scripted to misbehave the ways a real
 * centre or network does: deny the next N frames, go silent (receive, answer nothing), drop the
 * connection. It can also send what a centre sends: reads (command 4), clock sync, initialise and
 * 查岗 duty-checks (command 1), and wait for the UITD's answer.
 *
 * Frames are cut by the same StreamLink/framer the gateway uses, so the centre sees exactly what a
 * byte stream delivers; it answers a check error with a deny, as the exchange rules say.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { duplexTransport, gb26875FrameSpec, StreamLink } from '../../../drivers/serial/index.js';
import { Command, confirmFrame, denyFrame, Gb26875Message, timeLabelFromDate, type ApplicationData, type ControlUnit } from '../../../drivers/gb26875/index.js';
import { listenOnLoopback } from '../listen.js';

export interface ReceivedFrame {
  /** The decoded message, or undefined when it failed to decode (see `error`). */
  readonly message?: Gb26875Message;
  readonly error?: string;
  readonly bytes: Buffer;
  /** performance.now() at arrival: for latency measurements against the sender's own clock reading. */
  readonly arrivedMs: number;
  /** Which accepted connection (1, 2, …) it came on. */
  readonly connection: number;
  /** What the centre replied: 'confirm', 'deny' or nothing. */
  readonly reply: 'confirm' | 'deny' | 'none';
}

export interface MonitoringCentreOptions {
  /** 0 (default) = an ephemeral port. */
  port?: number;
  /** The centre's own address in the control unit (default 2001). */
  address?: number;
  /** Default 1 (protocol user version). */
  userVersion?: number;
}

export interface MonitoringCentre {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Every frame from the UITD, in arrival order. */
  readonly received: ReceivedFrame[];
  /** Connections accepted so far. */
  connectionCount(): number;
  /** Whether a UITD is connected now. */
  connected(): boolean;
  /** Deny (command 6) the next n frames that would be confirmed. */
  denyNext(n: number): void;
  /** Silent: receive and record, answer nothing. */
  setSilent(silent: boolean): void;
  /** Close every UITD connection (the listener stays). */
  dropConnections(): void;
  /** Send command 4 with `data`; resolves with the UITD's answer (5) or deny (6). */
  request(data: ApplicationData, timeoutMs?: number): Promise<Gb26875Message>;
  /** Send command 1 (clock sync, initialise, duty-check); resolves with the confirm (3) or deny (6). */
  control(data: ApplicationData, timeoutMs?: number): Promise<Gb26875Message>;
  /** Resolves with the first received frame (already or later) that matches. */
  waitFor(match: (f: ReceivedFrame) => boolean, timeoutMs?: number): Promise<ReceivedFrame>;
  close(): Promise<void>;
}

interface Peer {
  readonly id: number;
  readonly socket: Socket;
  readonly link: StreamLink;
  serial: number;
}

interface Waiter {
  match: (f: ReceivedFrame) => boolean;
  resolve: (f: ReceivedFrame) => void;
}

export async function startMonitoringCentre(options: MonitoringCentreOptions = {}): Promise<MonitoringCentre> {
  const address = options.address ?? 2001;
  const userVersion = options.userVersion ?? 1;
  const received: ReceivedFrame[] = [];
  const peers = new Set<Peer>();
  const waiters = new Set<Waiter>();
  let accepted = 0;
  let denyCount = 0;
  let silent = false;
  const clock = { monotonic: () => performance.now() };
  const now = () => timeLabelFromDate(new Date());

  const record = (f: ReceivedFrame): void => {
    received.push(f);
    for (const w of [...waiters]) {
      if (w.match(f)) {
        waiters.delete(w);
        w.resolve(f);
      }
    }
  };

  const onFrame = (peer: Peer, bytes: Buffer): void => {
    const arrivedMs = performance.now();
    const decoded = Gb26875Message.from(bytes);
    const send = (frame: Buffer): void => void peer.link.send(frame).catch(() => undefined);
    if (!decoded.ok) {
      const header = decoded.error.header;
      const reply = !silent && header ? 'deny' : 'none';
      if (reply === 'deny' && header) send(denyFrame(header, now()));
      record({ bytes, error: `${decoded.error.code}: ${decoded.error.message}`, arrivedMs, connection: peer.id, reply });
      return;
    }
    const { header } = decoded.value;
    // Confirms, answers and denies from the UITD answer our own requests: recorded, never answered.
    const wantsReply = header.command === Command.Send || header.command === Command.Control;
    let reply: ReceivedFrame['reply'] = 'none';
    if (wantsReply && !silent) {
      if (denyCount > 0) {
        denyCount -= 1;
        reply = 'deny';
        send(denyFrame(header, now()));
      } else {
        reply = 'confirm';
        send(confirmFrame(header, now()));
      }
    }
    record({ message: decoded.value, bytes, arrivedMs, connection: peer.id, reply });
  };

  const server: Server = createServer((socket) => {
    socket.setNoDelay(true);
    accepted += 1;
    const link = new StreamLink({ spec: gb26875FrameSpec, clock, partialTimeoutMs: 2_000 });
    const peer: Peer = { id: accepted, socket, link, serial: 0 };
    peers.add(peer);
    link.on('frame', (f) => onFrame(peer, f));
    // A check error the framer caught (bad checksum, end or length) is denied like any other (§6.5).
    link.on('fault', (f) => {
      if (f.kind === 'bad-check' || f.kind === 'bad-end' || f.kind === 'bad-length') onFrame(peer, f.head);
    });
    link.on('closed', () => peers.delete(peer));
    link.attach(duplexTransport(socket, `${socket.remoteAddress}:${socket.remotePort}`));
  });

  const latestPeer = (): Peer | undefined => [...peers].at(-1);

  const waitFor = (match: (f: ReceivedFrame) => boolean, timeoutMs = 5_000): Promise<ReceivedFrame> => {
    const already = received.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`monitoring centre: no matching frame within ${timeoutMs} ms (${received.length} received)`));
      }, timeoutMs);
      waiters.add(waiter);
    });
  };

  const exchange = async (command: number, data: ApplicationData, replies: readonly number[], timeoutMs: number): Promise<Gb26875Message> => {
    const peer = latestPeer();
    if (!peer) throw new Error('monitoring centre: no UITD connected');
    const serial = peer.serial;
    peer.serial = (peer.serial + 1) & 0xffff;
    const header: ControlUnit = { serial, version: { major: 1, user: userVersion }, time: now(), source: address, destination: 0, command };
    // The destination is the UITD's own address when known: take it from what it sent last.
    const last = [...received].reverse().find((f) => f.connection === peer.id && f.message);
    const to = last?.message ? { ...header, destination: last.message.header.source } : header;
    const since = received.length;
    await peer.link.send(Gb26875Message.serialize(to, data));
    const answer = await waitFor((f) => received.indexOf(f) >= since && f.connection === peer.id && f.message?.header.serial === serial && replies.includes(f.message.header.command), timeoutMs);
    return answer.message!;
  };

  const port = await listenOnLoopback(server, options.port ?? 0, 'monitoring centre');

  return {
    host: '127.0.0.1',
    port,
    received,
    connectionCount: () => accepted,
    connected: () => [...peers].some((p) => p.link.isConnected()),
    denyNext: (n) => {
      denyCount = n;
    },
    setSilent: (s) => {
      silent = s;
    },
    dropConnections: () => {
      for (const p of peers) p.socket.destroy();
    },
    request: (data, timeoutMs = 5_000) => exchange(Command.Request, data, [Command.Answer, Command.Deny], timeoutMs),
    control: (data, timeoutMs = 5_000) => exchange(Command.Control, data, [Command.Confirm, Command.Deny], timeoutMs),
    waitFor,
    close: async () => {
      for (const p of peers) p.socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
