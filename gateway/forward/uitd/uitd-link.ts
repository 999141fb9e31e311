/**
 * Vigil as a user information transmission device (UITD, 用户信息传输装置): the TCP link to a fire
 * remote-monitoring centre over GB/T 26875.3-2011, independent of MQTT, with its own durable queue.
 *
 *  - connects (connectTcpTransport), reconnects with an exponential backoff, forever;
 *  - numbers its own messages per connection from 0 (§6 业务流水号) and echoes the centre's on replies;
 *  - sends the queue (send-queue.ts: fire first, confirm/resend/fail) and a heartbeat when idle;
 *  - validates every frame from the centre: a check error is denied (command 6) with the frame's own
 *    header echoed, and counted by kind;
 *  - answers reads (command 4 → 5) from the gateway's state and confirms control commands: 89
 *    initialise and 90 clock sync are handed to the owner (the gateway does not set the OS clock; it
 *    records the offset), 91 查岗 raises a local prompt and is answered only when a person calls
 *    answerDutyCheck() (centre-requests.ts, read-answers.ts, duty-check.ts).
 *
 * Nothing here waits on the link to decide anything local: failures are reported through hooks and
 * the owner sounds, flashes and journals.
 */
import { SafeEmitter } from '../../safe-emitter.js';
import type { Actor } from '../../../rules/model.js';
import { Backoff } from '../backoff.js';
import { connectTcpTransport, gb26875FrameSpec, StreamLink, type ByteTransport, type FramingFault } from '../../../drivers/serial/index.js';
import {
  bitsOf,
  Command,
  DataType,
  Gb26875Frame,
  Gb26875Message,
  replyHeader,
  timeLabelFromDate,
  UITD_OPERATION_BITS,
  type ApplicationData,
  type ControlUnit,
  type TimeLabel,
} from '../../../drivers/gb26875/index.js';
import type { UitdConfig } from './config-schema.js';
import { DutyCheckTracker, type DutyCheckRequest } from './duty-check.js';
import type { DutyCheckAnswer, UitdLinkCounters, UitdLinkEvents, UitdLinkHooks, UitdLinkOptions } from './link-types.js';
import { answerCentreRead, obeyCentreControl, type CentreRequestContext } from './centre-requests.js';
import { UitdSendQueue } from './send-queue.js';
import { defaultUitdTimers, type UitdPriority, type UitdQueueItem, type UitdTimers } from './types.js';

export type { ClockSyncRequest, DutyCheckAnswer, UitdLinkCounters, UitdLinkEvents, UitdLinkHooks, UitdLinkOptions } from './link-types.js';

/** GB/T 26875.3 §6: protocol main version 1. */
const PROTOCOL_MAJOR = 1;
/** How often liveness (heartbeat due, centre silent) is checked. */
const TICK_MS = 1_000;
/** Framing faults whose frame header can be read and must be denied (§6.5 check errors). */
const DENIABLE_FAULTS: ReadonlySet<FramingFault['kind']> = new Set(['bad-check', 'bad-end', 'bad-length']);


export class UitdLink {
  readonly queue: UitdSendQueue;
  private readonly opts: UitdLinkOptions;
  private readonly cfg: UitdConfig;
  private readonly timers: UitdTimers;
  private readonly hooks: UitdLinkHooks;
  private readonly events: SafeEmitter<UitdLinkEvents>;
  private readonly link: StreamLink;
  private readonly backoff: Backoff;
  private readonly duty: DutyCheckTracker;
  private readonly requests: CentreRequestContext;
  private serial = 0;
  private heartbeatSerial: number | undefined;
  private lastSentMono = 0;
  private lastHeardMono = 0;
  private tick: unknown;
  private reconnectTimer: unknown;
  private running = false;
  private readonly c: UitdLinkCounters = {
    connections: 0,
    framesIn: 0,
    invalid: {},
    deniesSent: 0,
    confirmsSent: 0,
    answersSent: 0,
    heartbeatsSent: 0,
    heartbeatsConfirmed: 0,
    unexpected: 0,
  };

  constructor(opts: UitdLinkOptions) {
    this.opts = opts;
    this.cfg = opts.config;
    if (this.cfg.heartbeat.kind === 'uitd-status' && !opts.state.uitdStatus) {
      throw new RangeError("UITD link: heartbeat.kind 'uitd-status' needs a state provider with uitdStatus()");
    }
    this.timers = opts.timers ?? defaultUitdTimers;
    this.hooks = opts.hooks ?? {};
    this.events = new SafeEmitter<UitdLinkEvents>(opts.onListenerError);
    this.backoff = new Backoff({ ...this.cfg.reconnect, ...(opts.random ? { random: opts.random } : {}) });
    this.link = new StreamLink({
      spec: gb26875FrameSpec,
      clock: opts.clock,
      partialTimeoutMs: 2_000, // TCP: a whole frame arrives within milliseconds
      ...(opts.onListenerError ? { onListenerError: opts.onListenerError } : {}),
    });
    this.link.on('frame', (f) => this.onFrame(f));
    this.link.on('fault', (f) => this.onFault(f));
    this.link.on('closed', (c) => this.onClosed(c));
    this.queue = new UitdSendQueue({
      store: opts.store,
      transmitter: { transmit: (item, serial) => this.transmit(item, serial) },
      clock: opts.clock,
      timers: this.timers,
      timeoutMs: { fire: this.cfg.timeouts.fireMs, status: this.cfg.timeouts.statusMs, other: this.cfg.timeouts.otherMs },
      retries: this.cfg.retries,
      ...(opts.newId ? { newId: opts.newId } : {}),
      ...(opts.onListenerError ? { onListenerError: opts.onListenerError } : {}),
    });
    this.queue.on('send-failure', (e) => {
      this.hooks.onSendFailure?.(e);
      // A connection that takes frames but confirms none is no connection: make a new one (the
      // queue resumes on it). When already disconnected the reconnect loop is running anyway.
      if (this.link.isConnected()) void this.link.detach();
    });
    this.queue.on('recovered', (e) => this.hooks.onSendRecovered?.(e));
    this.queue.on('delivered', () => this.backoff.reset());
    this.duty = new DutyCheckTracker({
      clock: opts.clock,
      timers: this.timers,
      defaultWindowMs: this.cfg.dutyCheck.windowMs,
      useCentreWindow: this.cfg.dutyCheck.useCentreWindow,
      onEnd: (end) => this.hooks.onDutyCheckEnd?.(end),
    });
    this.requests = {
      cfg: this.cfg,
      clock: opts.clock,
      state: opts.state,
      hooks: this.hooks,
      duty: this.duty,
      events: this.events,
      reply: (to, command, data) => this.reply(to, command, data),
      countInvalid: (code) => this.countInvalid(code),
      label: () => this.label(),
      unexpected: (header, type, reply) => this.unexpected(header, type, reply),
    };
  }

  on<K extends keyof UitdLinkEvents>(event: K, listener: (payload: UitdLinkEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Restore the durable queue and start connecting. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.tick = this.timers.setTimeout(() => this.onTick(), TICK_MS);
    void this.connect();
    await this.queue.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timers.clearTimeout(this.tick);
    this.timers.clearTimeout(this.reconnectTimer);
    this.queue.stop();
    this.duty.stop();
    await this.link.detach();
  }

  /** Queue a message for the centre (command 2). Returns at once; see send-queue.ts for what follows. */
  enqueue(priority: UitdPriority, data: ApplicationData, createdTs?: number): UitdQueueItem {
    return this.queue.enqueue(priority, data, createdTs);
  }

  isConnected(): boolean {
    return this.link.isConnected();
  }

  /** The duty-check waiting for a person, if any. */
  pendingDutyCheck(): DutyCheckRequest | null {
    return this.duty.pending();
  }

  /**
   * A person answers the open 查岗 (button, console, API). The answer goes to the centre as a UITD
   * operation record (type 24, bit 5 查岗应答) with `operator` as the operator number, at status priority.
   */
  answerDutyCheck(by: Actor, operator = 0): DutyCheckAnswer {
    if (!Number.isInteger(operator) || operator < 0 || operator > 255) return { ok: false, reason: `operator number ${operator} is not 0–255` };
    const r = this.duty.answer(by);
    if (!r.ok) return r;
    const item = this.queue.enqueue('status', {
      type: DataType.UitdOperation,
      objects: [{ operation: bitsOf(UITD_OPERATION_BITS, { dutyCheckAnswer: true }), operator, time: this.label() }],
    });
    return { ok: true, item, responseMs: r.end.responseMs };
  }

  counters(): UitdLinkCounters & { link: ReturnType<StreamLink['counters']> } {
    return { ...this.c, invalid: { ...this.c.invalid }, link: this.link.counters() };
  }

  // ── connection ──────────────────────────────────────────────────────────────────────────────

  private async connect(): Promise<void> {
    if (!this.running) return;
    let transport: ByteTransport;
    try {
      transport = await (this.opts.connect ?? (() => connectTcpTransport(this.cfg.centre)))();
    } catch (error) {
      const retryInMs = this.backoff.next();
      this.events.emit('connect-failed', { error, retryInMs });
      this.scheduleReconnect(retryInMs);
      return;
    }
    if (!this.running) {
      await transport.close();
      return;
    }
    this.link.attach(transport);
    this.c.connections += 1;
    this.serial = 0; // §6: the serial number starts at 0 when a connection is set up
    this.heartbeatSerial = undefined;
    const now = this.opts.clock.monotonic();
    this.lastHeardMono = now;
    this.lastSentMono = now;
    this.events.emit('connected', { description: transport.description });
    this.queue.connectionUp();
  }

  private onClosed(c: { description: string; byOwner: boolean; error?: Error }): void {
    this.queue.connectionDown();
    this.events.emit('disconnected', c);
    if (this.running) this.scheduleReconnect(this.backoff.next());
  }

  private scheduleReconnect(ms: number): void {
    this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = this.timers.setTimeout(() => void this.connect(), ms);
  }

  private onTick(): void {
    if (!this.running) return;
    this.tick = this.timers.setTimeout(() => this.onTick(), TICK_MS);
    if (!this.link.isConnected()) return;
    const now = this.opts.clock.monotonic();
    const silentMs = now - this.lastHeardMono;
    if (silentMs >= this.cfg.heartbeat.silenceTimeoutMs) {
      this.events.emit('centre-silent', { silentMs });
      void this.link.detach();
      return;
    }
    if (now - this.lastSentMono >= this.cfg.heartbeat.intervalMs) this.sendHeartbeat();
  }

  // ── upstream ────────────────────────────────────────────────────────────────────────────────

  private nextSerial(): number {
    const s = this.serial;
    this.serial = (s + 1) & 0xffff;
    return s;
  }

  private header(serial: number, command: number): ControlUnit {
    return {
      serial,
      version: { major: PROTOCOL_MAJOR, user: this.cfg.userVersion },
      time: this.label(),
      source: this.cfg.address.uitd,
      destination: this.cfg.address.centre,
      command,
    };
  }

  /** Now as a time label; a clock that cannot be written (before 2000) must not stop a fire alarm. */
  private label(): TimeLabel {
    const now = this.opts.clock.now();
    try {
      return timeLabelFromDate(new Date(now), this.cfg.utcOffsetMinutes);
    } catch {
      this.events.emit('bad-clock', { now });
      return { second: 0, minute: 0, hour: 0, day: 1, month: 1, year: 0 };
    }
  }

  private transmit(item: UitdQueueItem, reuse: number | undefined): number | undefined {
    if (!this.link.isConnected()) return undefined;
    const serial = reuse ?? this.nextSerial();
    try {
      this.write(Gb26875Frame.serialize({ header: this.header(serial, Command.Send), adu: item.adu }));
    } catch (error) {
      this.events.emit('write-error', { error });
      return undefined;
    }
    return serial;
  }

  private sendHeartbeat(): void {
    const serial = this.nextSerial();
    const data: ApplicationData | undefined =
      this.cfg.heartbeat.kind === 'uitd-status' && this.opts.state.uitdStatus ? { type: DataType.UitdStatus, objects: [this.opts.state.uitdStatus()] } : undefined;
    try {
      this.write(Gb26875Message.serialize(this.header(serial, Command.Send), data));
      this.heartbeatSerial = serial;
      this.c.heartbeatsSent += 1;
    } catch (error) {
      this.events.emit('write-error', { error });
    }
  }

  private write(frame: Buffer): void {
    this.lastSentMono = this.opts.clock.monotonic();
    this.link.send(frame).catch((error: unknown) => this.events.emit('write-error', { error }));
  }

  private reply(to: ControlUnit, command: typeof Command.Confirm | typeof Command.Answer | typeof Command.Deny, data?: ApplicationData): void {
    try {
      this.write(Gb26875Message.serialize(replyHeader(to, command, this.label()), data));
    } catch (error) {
      this.events.emit('write-error', { error });
      return;
    }
    if (command === Command.Confirm) this.c.confirmsSent += 1;
    else if (command === Command.Deny) this.c.deniesSent += 1;
    else this.c.answersSent += 1;
  }

  // ── downstream ──────────────────────────────────────────────────────────────────────────────

  private countInvalid(code: string): void {
    this.c.invalid[code] = (this.c.invalid[code] ?? 0) + 1;
  }

  private onFault(f: FramingFault): void {
    this.countInvalid(f.kind);
    if (!DENIABLE_FAULTS.has(f.kind)) {
      this.events.emit('invalid-frame', { code: f.kind, message: f.message, denied: false });
      return;
    }
    // §6.5: a check error is denied; the header (serial number) is read from the rejected bytes.
    const decoded = Gb26875Message.from(f.head);
    const header = decoded.ok ? decoded.value.header : decoded.error.header;
    if (header) this.reply(header, Command.Deny);
    this.events.emit('invalid-frame', { code: f.kind, message: f.message, denied: header !== undefined });
  }

  private onFrame(bytes: Buffer): void {
    this.c.framesIn += 1;
    this.lastHeardMono = this.opts.clock.monotonic();
    const decoded = Gb26875Message.from(bytes);
    if (!decoded.ok) {
      const { code, message, header } = decoded.error;
      this.countInvalid(code);
      if (header) this.reply(header, Command.Deny);
      this.events.emit('invalid-frame', { code, message, denied: header !== undefined });
      return;
    }
    const { header, data, adu } = decoded.value;
    switch (header.command) {
      case Command.Confirm:
        return this.onAnswerToUs(header.serial, 'confirm');
      case Command.Deny:
        return this.onAnswerToUs(header.serial, 'deny');
      case Command.Request:
        return answerCentreRead(this.requests, header, data);
      case Command.Control:
        return obeyCentreControl(this.requests, header, data);
      case Command.Send:
        // Some centres send their own heartbeat (command 2, empty): confirm it. Data from a centre is not ours to take.
        if (adu.length === 0) return this.reply(header, Command.Confirm);
        return this.unexpected(header, data?.type, 'deny');
      default:
        // 5 (we ask nothing) is dropped unanswered; user-defined commands are refused.
        return this.unexpected(header, data?.type, header.command === Command.Answer ? 'none' : 'deny');
    }
  }

  private onAnswerToUs(serial: number, kind: 'confirm' | 'deny'): void {
    if (serial === this.heartbeatSerial) {
      this.heartbeatSerial = undefined;
      if (kind === 'confirm') {
        this.c.heartbeatsConfirmed += 1;
        this.backoff.reset();
      }
      return;
    }
    if (kind === 'confirm') this.queue.confirm(serial);
    else this.queue.deny(serial);
  }

  private unexpected(header: ControlUnit, type: number | string | undefined, reply: 'deny' | 'none'): void {
    this.c.unexpected += 1;
    if (reply === 'deny') this.reply(header, Command.Deny);
    this.events.emit('unexpected-frame', { command: header.command, ...(type !== undefined ? { type } : {}), reply });
  }
}
