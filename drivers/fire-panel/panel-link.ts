/**
 * FirePanelLink: one fire alarm control panel (or its transmission card) that sends GB/T 26875.3
 * frames to Vigil. It owns a StreamLink, answers every frame by the exchange rules (exchange.ts),
 * turns confirmed data into readings (panel-state.ts) and hands them to the alarm path in the
 * same turn the frame arrived (DESIGN principle 1) — before the confirm is even written.
 *
 * Fail safe: a lost connection, a failed open or a silent panel (no valid frame for
 * `silenceTimeoutMs`; the vendor heartbeat is every 20–30 s, standards.md §3.2) turns every
 * point of the panel to quality comm-fault. The engine then raises the panel's communication
 * alarm and holds its fire alarm as it was: silence never clears a fire. It reconnects forever,
 * with a backoff, and counts everything.
 */
import pino, { type Logger } from 'pino';
import type { Clock } from '../../gateway/clock/clock.js';
import type { Reading } from '../../gateway/readings.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import { gb26875FrameSpec, StreamLink, type ByteTransport, type FramingFault, type StreamLinkCounters } from '../serial/index.js';
import type { PanelConnector } from './connectors.js';
import { decideFault, decideFrame, type FrameDecision } from './exchange.js';
import { PanelState, type ComponentInfo, type SystemInfo } from './panel-state.js';
import type { ReadingStamp } from './points.js';

export interface LinkTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface FirePanelLinkOptions {
  /** The panel's device name: readings are `<device>/<point>`, alarms `<device>/<alarm>`. */
  device: string;
  connector: PanelConnector;
  clock: Clock;
  /** The runtime's alarm path: synchronous, called in the turn the frame arrived. */
  onReadings: (readings: Reading[]) => void;
  /** Component changes, resets, link lost and regained. */
  onEvent?: (event: GatewayEvent) => void;
  /** The panel's address (source of its frames); a mismatch is counted and logged, the data still taken. */
  panelAddress?: number;
  /** Vigil's address on this link (destination of the panel's frames); same policy. */
  gatewayAddress?: number;
  /** No valid frame for this long → comm fault (default 90 s: three missed 30 s heartbeats). */
  silenceTimeoutMs?: number;
  /** Framer partial-frame timeout (drivers/serial README: set it from the line speed). Default 5 s. */
  partialTimeoutMs?: number;
  /** Reconnect backoff: first wait, doubled per failure up to max. Default 1 s … 30 s. */
  reconnect?: { initialMs?: number; maxMs?: number };
  timers?: LinkTimers;
  logger?: Logger;
}

export interface FirePanelCounters {
  /** Whole frames received (past the framer). */
  frames: number;
  /** Frames confirmed (command 3 sent or attempted), heartbeats included. */
  confirmed: number;
  heartbeats: number;
  /** Denies (command 6), by reason (codec error code, framer check error, 'unsupported-command'). */
  denied: Record<string, number>;
  /** Frames and faults not answered, by reason (e.g. 'garbage', 'truncated', 'command-3'). */
  ignored: Record<string, number>;
  /** A confirm or deny that could not be written (the connection went away). */
  replyFailures: number;
  /** Frames whose source/destination did not match the configured addresses. */
  addressMismatches: number;
  /** Connections made, and opens that failed. */
  connects: number;
  connectFailures: number;
  /** Times the panel went into comm fault (lost, failed to open, silent). */
  commFaults: number;
  readingsListenerErrors: number;
  link: StreamLinkCounters;
}

const DEFAULT_SILENCE_MS = 90_000;
const DEFAULT_BACKOFF = { initialMs: 1_000, maxMs: 30_000 };

export class FirePanelLink {
  readonly link: StreamLink;
  private readonly o: FirePanelLinkOptions;
  private readonly state: PanelState;
  private readonly timers: LinkTimers;
  private readonly logger: Logger;
  private readonly silenceMs: number;
  private readonly backoff: { initialMs: number; maxMs: number };
  private running = false;
  /** True once the panel sent a valid frame, until the link is lost or silent. */
  private online = false;
  /** Whether the current outage was already announced (one comm-fault per outage). */
  private faultAnnounced = false;
  private nextDelayMs: number;
  private retryTimer: unknown = null;
  private silenceTimer: unknown = null;
  private silenceDue = 0;
  private lastValidMono = 0;
  private opening = false;
  private readonly c: Omit<FirePanelCounters, 'link'> = {
    frames: 0,
    confirmed: 0,
    heartbeats: 0,
    denied: {},
    ignored: {},
    replyFailures: 0,
    addressMismatches: 0,
    connects: 0,
    connectFailures: 0,
    commFaults: 0,
    readingsListenerErrors: 0,
  };

  constructor(opts: FirePanelLinkOptions) {
    this.o = opts;
    this.state = new PanelState(opts.device);
    this.timers = opts.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.logger = (opts.logger ?? pino({ level: 'silent' })).child({ component: 'fire-panel', device: opts.device });
    this.silenceMs = opts.silenceTimeoutMs ?? DEFAULT_SILENCE_MS;
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.reconnect };
    this.nextDelayMs = this.backoff.initialMs;
    this.link = new StreamLink({
      spec: gb26875FrameSpec,
      clock: opts.clock,
      ...(opts.partialTimeoutMs !== undefined ? { partialTimeoutMs: opts.partialTimeoutMs } : {}),
      onListenerError: (event, error) => this.logger.error({ err: error, event }, 'fire panel link listener threw; the link carries on'),
    });
    this.link.on('frame', (frame) => this.onFrame(frame));
    this.link.on('fault', (fault) => this.onFault(fault));
    this.link.on('closed', ({ description, byOwner, error }) => this.onClosed(description, byOwner, error));
  }

  /** Opens the first connection and arms the silence watch (a panel that never speaks is a fault). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastValidMono = this.o.clock.monotonic();
    this.armSilence(this.silenceMs);
    void this.open();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancel('retryTimer');
    this.cancel('silenceTimer');
    await this.link.detach();
    await this.o.connector.close();
  }

  isOnline(): boolean {
    return this.online;
  }

  counters(): FirePanelCounters {
    return { ...this.c, denied: { ...this.c.denied }, ignored: { ...this.c.ignored }, link: this.link.counters() };
  }

  /** Every component the panel has reported, with its description and last status. */
  components(): ComponentInfo[] {
    return this.state.componentList();
  }

  systems(): SystemInfo[] {
    return this.state.systemList();
  }

  // ── connection ──────────────────────────────────────────────────────────────────────

  private async open(): Promise<void> {
    if (!this.running || this.opening || this.link.transport) return;
    this.opening = true;
    let transport: ByteTransport;
    try {
      transport = await this.o.connector.open();
    } catch (e) {
      this.opening = false;
      if (!this.running) return;
      this.c.connectFailures += 1;
      this.logger.warn({ err: e, retryInMs: this.nextDelayMs }, `${this.o.connector.description}: cannot connect`);
      this.commFault(`cannot connect (${this.o.connector.description}): ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleRetry();
      return;
    }
    this.opening = false;
    if (!this.running) {
      await transport.close();
      return;
    }
    this.c.connects += 1;
    this.nextDelayMs = this.backoff.initialMs;
    this.link.attach(transport);
    this.logger.info({ transport: transport.description }, 'fire panel connected');
    // A transport closed between open() and attach() never reports to the link: treat it here.
    if (!transport.isOpen()) void this.link.detach().then(() => this.onClosed(transport.description, false, undefined));
  }

  private onClosed(description: string, byOwner: boolean, error: Error | undefined): void {
    if (!this.running) return;
    if (byOwner) return;
    this.logger.warn({ err: error, transport: description }, 'fire panel connection lost');
    this.commFault(`connection ${description} lost${error ? `: ${error.message}` : ''}`);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (!this.running || this.retryTimer !== null) return;
    const delay = this.nextDelayMs;
    this.nextDelayMs = Math.min(this.nextDelayMs * 2, this.backoff.maxMs);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.open();
    }, delay);
  }

  // ── silence watch (monotonic time; one timer, re-armed lazily) ─────────────────────

  private armSilence(ms: number): void {
    if (this.silenceMs <= 0) return;
    this.cancel('silenceTimer');
    this.silenceDue = this.o.clock.monotonic() + ms;
    this.silenceTimer = this.timers.setTimeout(() => this.silenceCheck(), ms);
  }

  private silenceCheck(): void {
    this.silenceTimer = null;
    if (!this.running) return;
    const quietFor = this.o.clock.monotonic() - this.lastValidMono;
    if (quietFor < this.silenceMs) {
      this.armSilence(this.silenceMs - quietFor);
      return;
    }
    this.commFault(`no valid frame for ${Math.round(quietFor / 1000)} s (limit ${Math.round(this.silenceMs / 1000)} s)`);
    this.armSilence(this.silenceMs);
  }

  private cancel(which: 'retryTimer' | 'silenceTimer'): void {
    if (this[which] !== null) this.timers.clearTimeout(this[which]);
    this[which] = null;
  }

  // ── frames ─────────────────────────────────────────────────────────────────────────

  private onFrame(frame: Buffer): void {
    this.c.frames += 1;
    this.answer(decideFrame(frame, this.o.clock.now()));
  }

  private onFault(fault: FramingFault): void {
    const d = decideFault(fault, this.o.clock.now());
    if (d.kind === 'ignore') {
      this.c.ignored[d.reason] = (this.c.ignored[d.reason] ?? 0) + fault.count;
      return;
    }
    this.answer(d);
  }

  private answer(d: FrameDecision): void {
    switch (d.kind) {
      case 'ignore':
        this.c.ignored[d.reason] = (this.c.ignored[d.reason] ?? 0) + 1;
        return;
      case 'deny':
        this.c.denied[d.reason] = (this.c.denied[d.reason] ?? 0) + 1;
        this.logger.warn({ reason: d.reason, serial: d.header.serial }, `denied a frame: ${d.detail}`);
        this.reply(d.reply);
        return;
      case 'confirm': {
        const { header, data } = d.message;
        this.checkAddresses(header.source, header.destination);
        const stamp = this.stamp();
        const readings: Reading[] = [];
        const events: GatewayEvent[] = [];
        if (!this.online) readings.push(...this.backOnline(stamp, events));
        if (data) {
          const update = this.state.apply(data, stamp);
          readings.push(...update.readings);
          events.push(...update.events);
        } else {
          this.c.heartbeats += 1;
          readings.push(...this.state.heartbeat(stamp));
        }
        this.lastValidMono = this.o.clock.monotonic();
        // The alarm path first, in this turn; the confirm and the events follow.
        this.deliver(readings);
        this.c.confirmed += 1;
        this.reply(d.reply);
        for (const e of events) this.event(e);
        return;
      }
    }
  }

  private backOnline(stamp: ReadingStamp, events: GatewayEvent[]): Reading[] {
    const wasFaulted = this.faultAnnounced;
    this.online = true;
    this.faultAnnounced = false;
    if (!wasFaulted) return [];
    events.push({ type: 'panel.recovered', severity: 'info', ts: stamp.ts, clockTrusted: stamp.clockTrusted, device: this.o.device, message: `${this.o.device}: the panel is communicating again` });
    return this.state.restate(stamp);
  }

  private commFault(why: string): void {
    this.online = false;
    if (this.faultAnnounced) return;
    this.faultAnnounced = true;
    this.c.commFaults += 1;
    const stamp = this.stamp();
    this.deliver(this.state.commFault(stamp));
    this.event({ type: 'panel.comm-fault', severity: 'fault', ts: stamp.ts, clockTrusted: stamp.clockTrusted, device: this.o.device, message: `${this.o.device}: ${why}`, data: { transport: this.o.connector.description } });
  }

  private checkAddresses(source: number, destination: number): void {
    const wrongSource = this.o.panelAddress !== undefined && source !== this.o.panelAddress;
    const wrongDestination = this.o.gatewayAddress !== undefined && destination !== this.o.gatewayAddress;
    if (!wrongSource && !wrongDestination) return;
    // Counted and logged, never dropped: a misconfigured address must not cost a fire alarm.
    if (this.c.addressMismatches === 0) this.logger.warn({ source, destination, panelAddress: this.o.panelAddress, gatewayAddress: this.o.gatewayAddress }, 'frame addresses differ from the configuration; data taken anyway');
    this.c.addressMismatches += 1;
  }

  private deliver(readings: Reading[]): void {
    if (readings.length === 0) return;
    try {
      this.o.onReadings(readings);
    } catch (e) {
      this.c.readingsListenerErrors += 1;
      this.logger.error({ err: e }, 'the readings listener threw');
    }
  }

  private event(e: GatewayEvent): void {
    try {
      this.o.onEvent?.(e);
    } catch (err) {
      this.logger.error({ err }, 'the event listener threw');
    }
  }

  private reply(frame: Buffer): void {
    this.link.send(frame).catch((e: unknown) => {
      this.c.replyFailures += 1;
      this.logger.warn({ err: e }, 'could not send the reply');
    });
  }

  private stamp(): ReadingStamp {
    return { device: this.o.device, ts: this.o.clock.now(), clockTrusted: this.o.clock.isTrusted() };
  }
}
