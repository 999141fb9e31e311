import type { IClientOptions, MqttClient } from 'mqtt';
import type { Clock } from '../clock/clock.js';
import type { MqttConfig } from '../config/schema.js';
import type { Store, Stream } from '../store/store.js';
import type { LaneName } from './drain.js';

/** The pino calls the forwarder makes (a pino logger fits; so does a test spy). */
export interface ForwarderLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Timers for reconnect backoff and the fallback poll; injectable so tests control time. */
export interface ForwarderTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Builds the MQTT client; tests inject one to reach the socket (mqtt.connect by default). */
export type ConnectFn = (url: string, options: IClientOptions) => MqttClient;

export interface MqttForwarderOptions {
  /** The cloud.mqtt section, with username/password secret references already resolved to strings. */
  mqtt: Omit<MqttConfig, 'username' | 'password'> & { username?: string; password?: string };
  siteId: string;
  gatewayId: string;
  store: Store;
  clock: Clock;
  logger?: ForwarderLogger;
  connect?: ConnectFn;
  timers?: ForwarderTimers;
  /** Gateway software version, announced in the birth message. */
  version?: string;
  /** First bdSeq (the runtime may persist status().bdSeq + 1 across restarts). Default 0. */
  initialBdSeq?: number;
  /**
   * How often to look at the store even without notify(), so a missed notify costs at most this
   * long; failed ack deletes are retried at the same pace. Default 5000 ms: every append path
   * notifies, and each look is two store round trips (event and live lanes), which at 1 s were
   * two thirds of the store worker's reads on an idle site (bench/peer).
   */
  pollIntervalMs?: number;
  /** stop(): most time to wait for outstanding PUBACKs and the offline message. Default 5000 ms. */
  stopTimeoutMs?: number;
  /** Reconnect jitter fraction (see Backoff). Default 0.2. */
  jitter?: number;
  /** Random source for the jitter; tests pass () => 0. */
  random?: () => number;
  /** Extra mqtt.js options (TLS material and the like); the forwarder's own settings win. */
  clientOptions?: IClientOptions;
  /**
   * Cloud commands (command-channel.ts): when set, `<base>/commands` is subscribed (QoS 1) after
   * every connect and each command's reply is published on `<base>/commands/reply`.
   * createCommandHandler (command-handler.ts) builds one; it must not reject.
   */
  onCommand?: (payload: Buffer) => Promise<object>;
}

export interface ForwarderStatus {
  connected: boolean;
  /** Wall time of the last CONNACK, or null if never connected. */
  lastConnectedTs: number | null;
  /** The last error seen (connection, publish or store), or null. Cleared by nothing: it is history. */
  lastError: { ts: number; message: string } | null;
  /** Messages published and awaiting PUBACK right now. */
  inflight: number;
  /** Records the broker acknowledged (and that were therefore handed to the store for deletion). */
  sentTotal: Record<Stream, number>;
  /** Records put on the wire, resends included. publishedTotal - sentTotal ~ resends + in flight. */
  publishedTotal: Record<Stream, number>;
  /**
   * Records that were in flight when a connection was lost: the broker may have received them
   * (only the PUBACK was lost), so resending them risks a duplicate the cloud drops by seq.
   */
  duplicatesRisked: number;
  /** bdSeq of the current (or last attempted) connection. */
  bdSeq: number;
  /** Successful connections since start() (the first one included). */
  connects: number;
  /** Consecutive failed connection attempts (drives the backoff). */
  failedAttempts: number;
  /** Store's lastSeq when the current connection was made: live above it, historical at or below. */
  boundarySeq: number | null;
}

/** Events for metrics; listeners must not throw (if they do, it is logged and ignored). */
export interface ForwarderEvents {
  connected: { bdSeq: number; boundarySeq: number };
  disconnected: { error: string | null; inflightMessages: number; inflightRecords: number };
  'reconnect-scheduled': { attempt: number; delayMs: number };
  published: { stream: Stream; lane: LaneName; historical: boolean; records: number; bytes: number };
  acked: { stream: Stream; lane: LaneName; historical: boolean; records: number; latencyMs: number };
  'publish-failed': { stream: Stream; records: number; error: string };
}
