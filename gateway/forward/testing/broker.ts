import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Aedes } from 'aedes';
import { connect } from 'mqtt';
import type { MqttClient } from 'mqtt';

/**
 * A real MQTT broker (aedes, in-process) for tests, on 127.0.0.1 only, plus a subscriber that
 * collects what a cloud consumer would receive. Shared by the forwarder tests, the runtime and
 * the integration tests (hil-tests), so it is built to survive being stopped and started again
 * on the same port (a broker outage), and it can hold back PUBACKs.
 *
 *   const broker = await startBroker();            // free port, or startBroker({ port })
 *   const sub = await subscribe(broker.url, 'vigil/#');
 *   await broker.stop(); … await broker.start();     // outage; same port, same url
 *   await sub.waitFor((m) => m.topic.endsWith('/state'));
 *   await sub.close(); await broker.stop();
 *
 * A restarted broker is a fresh one: sessions and retained messages do not survive (like a broker
 * without persistence). `broker.published` keeps everything clients published across restarts.
 */

export interface BrokerMessage {
  topic: string;
  payload: Buffer;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** Publishing client id; null for messages the broker published itself (e.g. a last will). */
  clientId: string | null;
  text(): string;
  json<T = unknown>(): T;
}

export interface TestBroker {
  readonly host: string;
  readonly port: number;
  /** mqtt://127.0.0.1:<port> — stays the same across stop()/start(). */
  readonly url: string;
  readonly running: boolean;
  /** The aedes instance while running (null when stopped). */
  readonly aedes: Aedes | null;
  /**
   * Every PUBLISH the broker accepted (client publishes and wills, not $SYS), in order, across
   * restarts. This is "what reached the cloud broker", independent of any subscriber being connected.
   */
  readonly published: BrokerMessage[];
  /** Stop abruptly, as an outage would: client sockets are destroyed (no DISCONNECT). Idempotent. */
  stop(): Promise<void>;
  /** Start again on the same port. Idempotent. */
  start(): Promise<void>;
  /**
   * Hold publishes: they are neither delivered nor acknowledged (no PUBACK) until releaseAcks()
   * or stop(). Lets a test stop the broker while messages are in flight.
   */
  holdAcks(): void;
  releaseAcks(): void;
  /** Publishes currently held. */
  readonly heldCount: number;
  /** Ids of the clients connected now. */
  clientIds(): string[];
  /** Destroy one client's socket from the broker side (the broker then publishes its will). */
  disconnectClient(clientId: string): boolean;
  /** Resolves once a client with this id is connected. */
  waitForClient(clientId: string, timeoutMs?: number): Promise<void>;
  /** Resolves with the first `count` accepted publishes matching `filter` (default 1). */
  waitForPublished(filter: (m: BrokerMessage) => boolean, opts?: { count?: number; timeoutMs?: number }): Promise<BrokerMessage[]>;
}

export interface StartBrokerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only loopback addresses make sense for tests; default 127.0.0.1. */
  host?: string;
}

/** Poll `cond` every 5 ms until it is true; reject after timeoutMs with a message naming `what`. */
export async function waitUntil(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function message(topic: string, payload: Buffer | string, qos: number, retain: boolean, clientId: string | null): BrokerMessage {
  const buf = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  return {
    topic,
    payload: buf,
    qos: qos as 0 | 1 | 2,
    retain,
    clientId,
    text: () => buf.toString('utf8'),
    json: <T>() => JSON.parse(buf.toString('utf8')) as T,
  };
}

export async function startBroker(opts: StartBrokerOptions = {}): Promise<TestBroker> {
  const host = opts.host ?? '127.0.0.1';
  let port = opts.port ?? 0;
  let aedes: Aedes | null = null;
  let server: Server | null = null;
  const sockets = new Set<Socket>();
  const published: BrokerMessage[] = [];
  let holding = false;
  let held: Array<() => void> = [];
  let starting: Promise<void> | null = null;
  let stopping: Promise<void> | null = null;

  const start = async (): Promise<void> => {
    if (aedes !== null) return;
    const broker = await Aedes.createBroker({
      authorizePublish: (client, _packet, cb) => {
        // Client publishes wait here while held: no delivery, no PUBACK.
        if (holding && client !== null) held.push(() => cb(null));
        else cb(null);
      },
    });
    broker.on('publish', (packet, client) => {
      if (packet.topic.startsWith('$SYS')) return;
      published.push(message(packet.topic, packet.payload, packet.qos, packet.retain, client?.id ?? null));
    });
    const srv = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      broker.handle(socket);
    });
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(port, host, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    port = (srv.address() as AddressInfo).port;
    aedes = broker;
    server = srv;
  };

  const stop = async (): Promise<void> => {
    const broker = aedes;
    const srv = server;
    if (broker === null || srv === null) return;
    aedes = null;
    server = null;
    held = []; // their sockets die below; the publishes were never acknowledged
    for (const s of sockets) s.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => srv.close(() => resolve()));
    await new Promise<void>((resolve) => broker.close(() => resolve()));
  };

  await start();

  const handle: TestBroker = {
    host,
    get port() {
      return port;
    },
    get url() {
      return `mqtt://${host}:${port}`;
    },
    get running() {
      return aedes !== null;
    },
    get aedes() {
      return aedes;
    },
    published,
    stop: async () => {
      await starting;
      stopping ??= stop().finally(() => (stopping = null));
      await stopping;
    },
    start: async () => {
      await stopping;
      starting ??= start().finally(() => (starting = null));
      await starting;
    },
    holdAcks: () => {
      holding = true;
    },
    releaseAcks: () => {
      holding = false;
      const release = held;
      held = [];
      for (const f of release) f();
    },
    get heldCount() {
      return held.length;
    },
    clientIds: () => {
      const clients = (aedes as unknown as { clients?: Record<string, unknown> } | null)?.clients ?? {};
      return Object.keys(clients);
    },
    disconnectClient: (clientId) => {
      const clients = (aedes as unknown as { clients?: Record<string, { conn?: { destroy(): void } }> } | null)?.clients;
      const c = clients?.[clientId];
      if (!c?.conn) return false;
      c.conn.destroy();
      return true;
    },
    waitForClient: (clientId, timeoutMs = 5_000) =>
      waitUntil(() => handle.clientIds().includes(clientId), timeoutMs, `client ${clientId} to connect`),
    waitForPublished: async (filter, o = {}) => {
      const count = o.count ?? 1;
      await waitUntil(() => published.filter(filter).length >= count, o.timeoutMs ?? 5_000, `${count} published message(s)`);
      return published.filter(filter).slice(0, count);
    },
  };
  return handle;
}

export interface Subscriber {
  /** Everything received, in arrival order. */
  readonly messages: BrokerMessage[];
  readonly client: MqttClient;
  /** Resolves with the first `count` received messages matching `filter` (default 1). */
  waitFor(filter: (m: BrokerMessage) => boolean, opts?: { count?: number; timeoutMs?: number }): Promise<BrokerMessage[]>;
  close(): Promise<void>;
}

/**
 * A cloud-side consumer: connects, subscribes (QoS 1) and waits for the SUBACK before resolving.
 * It reconnects and resubscribes by itself after a broker restart, but messages published while
 * it was away are not kept for it — use broker.published for "did it reach the broker".
 */
export async function subscribe(
  url: string,
  topics: string | string[],
  opts: { clientId?: string; timeoutMs?: number } = {},
): Promise<Subscriber> {
  const messages: BrokerMessage[] = [];
  const client = connect(url, {
    clientId: opts.clientId ?? `test-sub-${Math.random().toString(16).slice(2, 10)}`,
    clean: true,
    reconnectPeriod: 50,
    connectTimeout: opts.timeoutMs ?? 5_000,
  });
  client.on('error', () => {}); // reconnects by itself; a test asserts on messages, not on errors
  client.on('message', (topic, payload, packet) => {
    messages.push(message(topic, payload, packet.qos, packet.retain, null));
  });
  try {
    await client.subscribeAsync(topics, { qos: 1 });
  } catch (e) {
    client.end(true);
    throw e;
  }
  return {
    messages,
    client,
    waitFor: async (filter, o = {}) => {
      const count = o.count ?? 1;
      await waitUntil(() => messages.filter(filter).length >= count, o.timeoutMs ?? 5_000, `${count} received message(s)`);
      return messages.filter(filter).slice(0, count);
    },
    close: () => client.endAsync(true),
  };
}
