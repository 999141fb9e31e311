import { connect as mqttConnect } from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Stream } from '../store/store.js';
import { Acknowledger } from './acknowledger.js';
import { Backoff } from './backoff.js';
import { DrainPlan, batchOf, type Batch, type Message } from './drain.js';
import { clientOptions } from './client-options.js';
import { CommandChannel } from './command-channel.js';
import { encode, offlineState, onlineState } from './payloads.js';
import type { Origin } from './payloads.js';
import { topicsFor } from './topics.js';
import type { Topics } from './topics.js';
import { withTimeout } from './util.js';
import { SafeEmitter } from '../safe-emitter.js';
import type {
  ForwarderEvents,
  ForwarderLogger,
  ForwarderStatus,
  ForwarderTimers,
  MqttForwarderOptions,
} from './types.js';

export type { ForwarderEvents, ForwarderLogger, ForwarderStatus, ForwarderTimers, MqttForwarderOptions } from './types.js';

/** The safety-net look at the store (see MqttForwarderOptions.pollIntervalMs). */
const DEFAULT_POLL_INTERVAL_MS = 5_000;

/**
 * Forwards the store's outbox to an MQTT broker: at-least-once, QoS 1, delete on PUBACK.
 *
 * Delivery (DESIGN.md principle 3, peers.md §3): records are read from the store through
 * per-lane cursors (drain.ts), published in batches with up to `inflight` messages awaiting
 * PUBACK, and handed to store.acknowledge() only when the PUBACK for the message carrying them
 * arrived. Nothing is dropped while offline: the store holds it.
 *
 * Redelivery is ours, not mqtt.js's. mqtt.js 5 keeps every unacknowledged QoS 1 PUBLISH in its
 * outgoingStore (in memory by default) and, after the next CONNACK, replays that whole store
 * before it emits 'connect' (MqttClient._onConnect → startStreamProcess), whatever `clean` says;
 * the callbacks of those messages stay parked in client.outgoing meanwhile. Left alone, that
 * replay would put stale messages ahead of the birth and of live data, duplicate what we re-read
 * from the store, and keep end() waiting for 'outgoingEmpty'. So on every close we take our
 * unacknowledged messages back (removeOutgoingMessage: callback fails, store entry and message id
 * are freed; our epoch counter makes us ignore the callback), and client.reconnect() starts with
 * fresh stores anyway. At the next connect the lanes restart from what the store still holds.
 * Records whose message was in flight at the close may have reached the broker (only the PUBACK
 * was lost): they are sent again and counted in status().duplicatesRisked — at most
 * inflight × batchSize records per disconnect; consumers dedupe by (gateway, seq).
 *
 * Reconnects are driven here (reconnectPeriod 0 + client.reconnect()) so the delay can grow
 * exponentially and each attempt carries a last will with its own bdSeq.
 *
 * Nothing here throws into the caller or blocks it: errors land in status().lastError and logs.
 */
export class MqttForwarder {
  private readonly topics: Topics;
  private readonly origin: Origin;
  private readonly plan: DrainPlan;
  private readonly backoff: Backoff;
  private readonly log: ForwarderLogger;
  private readonly timers: ForwarderTimers;
  private readonly maxInflight: number;
  private readonly events: SafeEmitter<ForwarderEvents>;
  private readonly commands: CommandChannel | null;

  private client: MqttClient | null = null;
  private started = false;
  private stopping = false;
  private stopPromise: Promise<void> | null = null;
  private connected = false;
  /** Bumped on every connect and close: callbacks from an older connection are ignored. */
  private epoch = 0;
  private bdSeq: number;
  private reconnectTimer: unknown = null;
  private pollTimer: unknown = null;

  private readonly inflight = new Map<number, { batch: Batch; sentAt: number }>();
  private nextBatchId = 1;
  /** Seqs in a message awaiting PUBACK: never read again while there. */
  private readonly inflightSeqs = new Set<number>();
  /** Deletes acknowledged records from the store; knows which are acknowledged but not yet deleted. */
  private readonly acks: Acknowledger;
  private inflightDrained: (() => void) | null = null;

  /** The last client error since the current connection was made (for the disconnected event). */
  private connError: string | null = null;
  private pumping = false;
  private pumpAgain = false;

  private readonly st = {
    lastConnectedTs: null as number | null,
    lastError: null as { ts: number; message: string } | null,
    sentTotal: { telemetry: 0, event: 0 } as Record<Stream, number>,
    publishedTotal: { telemetry: 0, event: 0 } as Record<Stream, number>,
    duplicatesRisked: 0,
    connects: 0,
    boundarySeq: null as number | null,
  };

  constructor(private readonly opts: MqttForwarderOptions) {
    this.topics = topicsFor(opts.mqtt.topicPrefix, opts.siteId, opts.gatewayId);
    this.origin = { site: opts.siteId, gateway: opts.gatewayId };
    this.plan = new DrainPlan(opts.store, opts.mqtt.batchSize, this.origin);
    this.backoff = new Backoff({
      initialMs: opts.mqtt.reconnect.initialMs,
      maxMs: opts.mqtt.reconnect.maxMs,
      ...(opts.jitter !== undefined ? { jitter: opts.jitter } : {}),
      ...(opts.random !== undefined ? { random: opts.random } : {}),
    });
    if (!Number.isInteger(opts.mqtt.inflight) || opts.mqtt.inflight < 1) {
      throw new RangeError(`mqtt.inflight must be an integer >= 1, got ${opts.mqtt.inflight}`);
    }
    this.maxInflight = opts.mqtt.inflight;
    this.log = opts.logger ?? { debug() {}, info() {}, warn() {}, error() {} };
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.bdSeq = opts.initialBdSeq ?? 0;
    this.commands = opts.onCommand ? new CommandChannel(this.topics.base, opts.onCommand, this.log) : null;
    this.acks = new Acknowledger(opts.store, (e) => this.recordError(e, 'store.acknowledge failed; retrying'));
    this.events = new SafeEmitter<ForwarderEvents>((event, e) =>
      this.log.error({ err: e instanceof Error ? e.message : String(e), event }, 'forwarder event listener threw'),
    );
  }

  // ---------------------------------------------------------------- public API

  /** Connect and start forwarding. Idempotent; never throws (a failure is retried with backoff). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.connectOnce();
    this.schedulePoll();
  }

  /**
   * Something was appended to the store (to `stream`, when given; otherwise to either): look
   * now instead of at the next poll.
   */
  notify(stream?: Stream): void {
    this.plan.wake(stream);
    this.kick();
  }

  /**
   * Stop forwarding: wait (bounded by stopTimeoutMs) for messages awaiting PUBACK, publish the
   * retained offline state, disconnect cleanly. Unsent records stay in the store. Never rejects.
   */
  stop(): Promise<void> {
    this.stopPromise ??= this.shutdown().catch((e: unknown) => this.recordError(e, 'stop failed'));
    return this.stopPromise;
  }

  status(): ForwarderStatus {
    return {
      connected: this.connected,
      lastConnectedTs: this.st.lastConnectedTs,
      lastError: this.st.lastError,
      inflight: this.inflight.size,
      sentTotal: { ...this.st.sentTotal },
      publishedTotal: { ...this.st.publishedTotal },
      duplicatesRisked: this.st.duplicatesRisked,
      bdSeq: this.bdSeq,
      connects: this.st.connects,
      failedAttempts: this.backoff.failures,
      boundarySeq: this.st.boundarySeq,
    };
  }

  on<K extends keyof ForwarderEvents>(event: K, listener: (e: ForwarderEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  // ---------------------------------------------------------------- connection

  /** Last will of the next connection: retained QoS 1 offline state with that connection's bdSeq. */
  private will(): NonNullable<IClientOptions['will']> {
    const payload = encode(offlineState(this.origin, { bdSeq: this.bdSeq, reason: 'connection-lost' }));
    return { topic: this.topics.state, payload, qos: 1, retain: true };
  }

  private connectOnce(): void {
    try {
      if (this.client === null) {
        const client = (this.opts.connect ?? mqttConnect)(this.opts.mqtt.url, clientOptions(this.opts, this.will()));
        this.client = client;
        client.on('connect', () => this.onConnect(client));
        client.on('close', () => this.onClose(client));
        this.commands?.attach(client);
        client.on('error', (e) => {
          this.connError = e.message;
          this.recordError(e, 'mqtt error');
        });
      } else {
        // mqtt.js builds the CONNECT packet from client.options: the new will carries the new bdSeq.
        this.client.options.will = this.will();
        this.client.reconnect();
      }
    } catch (e) {
      this.recordError(e, 'mqtt connect failed');
      this.scheduleReconnect();
    }
  }

  private onConnect(client: MqttClient): void {
    if (this.stopping || client !== this.client) return;
    this.epoch++;
    const epoch = this.epoch;
    this.connected = true;
    this.connError = null;
    this.st.connects++;
    this.st.lastConnectedTs = this.opts.clock.now();
    this.backoff.reset();
    const bdSeq = this.bdSeq;
    this.log.info({ url: this.opts.mqtt.url, bdSeq }, 'mqtt connected');
    // Birth first (Sparkplug practice): retained, so a consumer that subscribes later sees it too.
    const birth = onlineState(this.origin, {
      bdSeq,
      ts: this.opts.clock.now(),
      clockTrusted: this.opts.clock.isTrusted(),
      ...(this.opts.version !== undefined ? { version: this.opts.version } : {}),
    });
    client.publish(this.topics.state, encode(birth), { qos: 1, retain: true }, (err) => {
      if (err && epoch === this.epoch) this.recordError(err, 'birth not acknowledged');
    });
    this.commands?.subscribe(client); // after the birth: a reply never precedes it
    void this.beginSession(epoch);
  }

  /** Note the boundary (store lastSeq) and start draining: live above it, backlog at or below. */
  private async beginSession(epoch: number): Promise<void> {
    try {
      const { lastSeq } = await this.opts.store.stats();
      if (epoch !== this.epoch) return;
      this.plan.reset(lastSeq);
      this.st.boundarySeq = lastSeq;
      this.emit('connected', { bdSeq: this.bdSeq, boundarySeq: lastSeq });
      this.kick();
    } catch (e) {
      // The poll tick tries again (plan not ready yet).
      this.recordError(e, 'store.stats failed; draining waits');
    }
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.epoch++; // every callback of the old connection is now stale
    this.plan.suspend();
    let records = 0;
    for (const { batch } of this.inflight.values()) records += batch.seqs.length;
    const messages = this.inflight.size;
    this.st.duplicatesRisked += records;
    this.inflight.clear();
    this.inflightSeqs.clear();
    // Take our unacknowledged messages back from mqtt.js so it does not replay them at the next
    // CONNACK (see the class comment); the store still holds every one of their records.
    for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
    this.inflightDrained?.();
    if (wasConnected) {
      this.log.warn({ inflightMessages: messages, inflightRecords: records }, 'mqtt connection lost');
      this.emit('disconnected', { error: this.connError, inflightMessages: messages, inflightRecords: records });
    }
    if (!this.stopping) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping || this.reconnectTimer !== null) return;
    const delayMs = this.backoff.next();
    this.emit('reconnect-scheduled', { attempt: this.backoff.failures, delayMs });
    this.log.info({ delayMs, attempt: this.backoff.failures }, 'mqtt reconnect scheduled');
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      if (this.stopping) return;
      this.bdSeq++; // a new connection, a new birth/death pair
      this.connectOnce();
    }, delayMs);
  }

  private schedulePoll(): void {
    if (this.stopping) return;
    this.pollTimer = this.timers.setTimeout(() => {
      this.pollTimer = null;
      this.acks.retry();
      if (this.connected && !this.plan.isReady) void this.beginSession(this.epoch);
      this.plan.wake();
      this.kick();
      this.schedulePoll();
    }, this.opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  }

  // ---------------------------------------------------------------- draining

  private canSend(): boolean {
    return this.connected && !this.stopping && this.plan.isReady && this.inflight.size < this.maxInflight;
  }

  private kick(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    if (!this.canSend()) return;
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.kick();
      }
    });
  }

  /** Fill the in-flight window: events, then live telemetry, then backlog (drain.ts). */
  private async pump(): Promise<void> {
    try {
      while (this.canSend()) {
        const epoch = this.epoch;
        const batch = await this.plan.next((seq) => this.inflightSeqs.has(seq) || this.acks.has(seq));
        if (batch === null || epoch !== this.epoch || !this.canSend()) return;
        this.publish(batch, epoch);
      }
    } catch (e) {
      this.recordError(e, 'reading the store failed; retrying at the next poll');
    }
  }

  private publish(msg: Message, epoch: number): void {
    const client = this.client;
    if (client === null) return;
    const payload = Buffer.from(msg.json, 'utf8'); // the store built the text (DrainPlan.next)
    const batch = batchOf(msg);
    const topic = batch.stream === 'event' ? this.topics.events : this.topics.telemetry;
    const id = this.nextBatchId++;
    this.inflight.set(id, { batch, sentAt: this.opts.clock.monotonic() });
    for (const s of batch.seqs) this.inflightSeqs.add(s);
    this.st.publishedTotal[batch.stream] += batch.seqs.length;
    this.emit('published', {
      stream: batch.stream,
      lane: batch.lane,
      historical: batch.historical,
      records: batch.seqs.length,
      bytes: payload.length,
    });
    client.publish(topic, payload, { qos: 1 }, (err) => this.onPublishDone(id, epoch, err));
  }

  private onPublishDone(id: number, epoch: number, err: Error | undefined): void {
    // A message of a connection that has since closed: onClose already accounted for it.
    if (epoch !== this.epoch) return;
    const entry = this.inflight.get(id);
    if (entry === undefined) return;
    this.inflight.delete(id);
    const { batch, sentAt } = entry;
    for (const s of batch.seqs) this.inflightSeqs.delete(s);
    if (err) {
      this.recordError(err, 'publish not acknowledged; records will be sent again');
      this.emit('publish-failed', { stream: batch.stream, records: batch.seqs.length, error: err.message });
      this.plan.rewind(batch);
    } else {
      this.st.sentTotal[batch.stream] += batch.seqs.length;
      this.emit('acked', {
        stream: batch.stream,
        lane: batch.lane,
        historical: batch.historical,
        records: batch.seqs.length,
        latencyMs: this.opts.clock.monotonic() - sentAt,
      });
      this.acks.acknowledge(batch.seqs); // the broker has them: delete from the store
    }
    if (this.inflight.size === 0) this.inflightDrained?.();
    this.kick();
  }

  // ---------------------------------------------------------------- shutdown

  private async shutdown(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    if (this.pollTimer !== null) this.timers.clearTimeout(this.pollTimer);
    this.reconnectTimer = this.pollTimer = null;
    const client = this.client;
    if (client === null) return;
    const deadline = this.opts.clock.monotonic() + (this.opts.stopTimeoutMs ?? 5_000);
    const remaining = (): number => Math.max(0, deadline - this.opts.clock.monotonic());

    if (this.connected && this.inflight.size > 0) {
      await withTimeout(new Promise<void>((resolve) => (this.inflightDrained = resolve)), remaining());
      this.inflightDrained = null;
    }
    if (this.connected) {
      const bye = offlineState(this.origin, { bdSeq: this.bdSeq, reason: 'shutdown', ts: this.opts.clock.now() });
      const acked = await withTimeout(
        new Promise<boolean>((resolve) =>
          client.publish(this.topics.state, encode(bye), { qos: 1, retain: true }, (err) => resolve(!err)),
        ),
        remaining(),
      );
      if (acked !== true) this.log.warn({}, 'offline state not acknowledged before the stop timeout');
    }
    await withTimeout(this.acks.settled(), remaining());
    const wasConnected = this.connected;
    this.connected = false;
    for (const id of Object.keys(client.outgoing)) client.removeOutgoingMessage(Number(id));
    // A clean DISCONNECT tells the broker to discard the will: the offline state was sent above.
    // Without a live connection, just drop the socket.
    const ended = await withTimeout(
      new Promise<true>((resolve) => client.end(!wasConnected, {}, () => resolve(true))),
      Math.max(remaining(), 1_000),
    );
    if (ended !== true) client.end(true); // the DISCONNECT could not be written: drop the socket
    this.log.info({ sentTotal: this.st.sentTotal, duplicatesRisked: this.st.duplicatesRisked }, 'mqtt forwarder stopped');
  }

  // ---------------------------------------------------------------- helpers

  private recordError(e: unknown, msg: string): void {
    const message = e instanceof Error ? e.message : String(e);
    this.st.lastError = { ts: this.opts.clock.now(), message: `${msg}: ${message}` };
    this.log.warn({ err: message }, msg);
  }

  private emit<K extends keyof ForwarderEvents>(event: K, payload: ForwarderEvents[K]): void {
    this.events.emit(event, payload);
  }
}
