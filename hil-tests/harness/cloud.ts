import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { connect as mqttConnect, type MqttClient } from 'mqtt';
import { startBrokerProcess, stopChild } from '../../bench/support/proc.js';
import { startEmbeddedBroker } from '../../provisioning/demo/embedded-broker.js';
import { listenOnLoopback } from '../virtual-rig/listen.js';

/**
 * The cloud as the suite sees it: an MQTT broker (aedes, in the harness process or in a process
 * of its own), a subscriber that records every sequence number the gateway delivers, and a
 * loopback TCP link between the gateway and the broker that can be cut. A broker outage is
 * that cut: the gateway loses the broker exactly as when the broker or the WAN goes away, while
 * the subscriber stays connected, so every delivery after the outage is seen and counted.
 */
export interface CloudMessage {
  topic: string;
  payload: Record<string, unknown>;
}

export interface Cloud {
  /** What the gateway's site file points at (the cuttable link). */
  readonly gatewayUrl: string;
  /** Every telemetry and event seq delivered, with how many times each arrived. */
  readonly seqs: Map<number, number>;
  /** Telemetry readings as delivered, newest last (capped). */
  readonly readings: { seq: number; device: string; point: string; clockTrusted: boolean; historical: boolean }[];
  readonly linkUp: boolean;
  /** Cut the gateway's link to the broker (drop connections, refuse new ones). */
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

const MAX_KEPT_READINGS = 20_000;

export async function startCloud(mode: 'in-process' | 'process'): Promise<Cloud> {
  const broker = mode === 'in-process' ? await inProcess() : await ownProcess();
  const link = await startLink(broker.port).catch(async (e: unknown) => {
    await broker.close();
    throw e;
  });
  const seqs = new Map<number, number>();
  const readings: Cloud['readings'] = [];
  let client: MqttClient;
  try {
    client = await subscribe(`mqtt://127.0.0.1:${broker.port}`, (topic, payload) => {
      const p = payload as { historical?: boolean; readings?: { seq: number; device: string; point: string; clockTrusted: boolean }[]; events?: { seq: number }[] };
      if (topic.endsWith('/telemetry')) {
        for (const r of p.readings ?? []) {
          seqs.set(r.seq, (seqs.get(r.seq) ?? 0) + 1);
          readings.push({ seq: r.seq, device: r.device, point: r.point, clockTrusted: r.clockTrusted, historical: p.historical === true });
        }
        if (readings.length > MAX_KEPT_READINGS) readings.splice(0, readings.length - MAX_KEPT_READINGS);
      } else if (topic.endsWith('/events')) {
        for (const e of p.events ?? []) seqs.set(e.seq, (seqs.get(e.seq) ?? 0) + 1);
      }
    });
  } catch (e) {
    await link.close();
    await broker.close();
    throw e;
  }
  return {
    gatewayUrl: `mqtt://127.0.0.1:${link.port}`,
    seqs,
    readings,
    get linkUp() {
      return link.up;
    },
    cut: async () => link.cut(),
    restore: async () => link.restore(),
    close: async () => {
      await new Promise<void>((r) => client.end(true, {}, () => r()));
      await link.close();
      await broker.close();
    },
  };
}

interface BrokerHandle {
  port: number;
  close(): Promise<void>;
}

async function inProcess(): Promise<BrokerHandle> {
  const b = await startEmbeddedBroker(0);
  return { port: b.port, close: () => b.close() };
}

async function ownProcess(): Promise<BrokerHandle> {
  const b = await startBrokerProcess();
  return { port: b.port, close: () => stopChild(b.proc) };
}

function subscribe(url: string, onMessage: (topic: string, payload: unknown) => void): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqttConnect(url, { clientId: `vigil-hil-${process.pid}`, clean: true, reconnectPeriod: 500 });
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`the HIL subscriber could not connect to ${url} within 10 s`));
    }, 10_000);
    client.on('message', (topic, payload) => {
      try {
        onMessage(topic, JSON.parse(payload.toString()));
      } catch {
        // a non-JSON message is not the gateway's (it publishes JSON only); nothing to count
      }
    });
    client.once('connect', () => {
      client.subscribe('vigil/#', { qos: 1 }, (err) => {
        clearTimeout(timer);
        if (err) reject(new Error(`the HIL subscriber could not subscribe: ${err.message}`));
        else resolve(client);
      });
    });
  });
}

interface Link {
  port: number;
  up: boolean;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/**
 * A byte pipe 127.0.0.1:port → the broker. Cut: every open pair is destroyed and new connections
 * are closed at once (as a broker that is down: connection refused, then reconnect attempts).
 */
async function startLink(brokerPort: number): Promise<Link> {
  const pairs = new Set<Socket>();
  const state = { up: true };
  const server: Server = createServer((inbound) => {
    if (!state.up) {
      inbound.destroy();
      return;
    }
    const outbound = tcpConnect(brokerPort, '127.0.0.1');
    pairs.add(inbound);
    pairs.add(outbound);
    const drop = (): void => {
      inbound.destroy();
      outbound.destroy();
      pairs.delete(inbound);
      pairs.delete(outbound);
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  const port = await listenOnLoopback(server, 0, 'HIL broker link');
  return {
    port,
    get up() {
      return state.up;
    },
    cut: () => {
      state.up = false;
      for (const s of pairs) s.destroy();
      pairs.clear();
    },
    restore: () => {
      state.up = true;
    },
    close: async () => {
      state.up = false;
      for (const s of pairs) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
