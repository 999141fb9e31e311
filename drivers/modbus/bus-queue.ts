/**
 * The bus queue: the single owner of one serial port or TCP connection (DESIGN principle 4).
 *
 * - Exactly one transaction on the wire at a time: Modbus over Serial Line V1.02 §2.4.1 lets a
 *   master have one outstanding request, and a late RTU reply would be taken for the next one.
 * - Interlock requests jump the queued polls (never the one in flight): closing a gas valve
 *   must not wait behind a scan of twenty detectors.
 * - Transient errors are retried `retries` times; DEVICE_BUSY (exception 5/6, "retry later")
 *   fails the request at once; DEVICE_ILLEGAL_ADDRESS is a configuration fault — never retried.
 * - A device that fails `afterFailures` transactions in a row is backed off (device-backoff.ts),
 *   so its timeouts stop costing its neighbours; when the backoff expires one probe decides.
 *
 * Waits use setTimeout and durations use clock.monotonic(), so vitest fake timers drive it all.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import { VigilError, isCommunicationFault, isTransient, isVigilError, type VigilErrorCode } from '../../gateway/errors.js';
import type { ModbusTransport, RegisterTable } from '../transport/modbus-transport.js';
import { DeviceBackoff, type BackoffChange, type BackoffPolicy, type DeviceBackoffSnapshot } from './device-backoff.js';
import { FUNCTION_CODES } from './planner.js';
import { SafeEmitter } from '../../gateway/safe-emitter.js';

export type Priority = 'interlock' | 'poll';

export interface BusQueueOptions {
  name: string;
  transport: ModbusTransport;
  /** Per-transaction timeout, handed to the transport and enforced here as a backstop. */
  timeoutMs: number;
  /** Extra attempts after a transient failure. */
  retries: number;
  /** Silence between transactions (some devices and RS-485 converters need it). */
  interRequestDelayMs: number;
  /**
   * The protocol's own least silence between frames: t3.5 on a Modbus RTU line (Modbus over
   * Serial Line V1.02 §2.5.1.1; rtu-line-timing.ts), 0 on TCP. A request sent sooner runs into
   * the previous answer and the slaves take both as one bad frame. Default 0.
   */
  frameSilenceMs?: number;
  /**
   * RTU only: after a read from a unit times out, the next new read from that unit waits this
   * long (from the timeout). A slave that answers after the timeout puts a valid frame on the
   * line, and RTU frames carry no transaction id (Modbus over Serial Line V1.02 §2.5.1): sent at
   * once, the next poll would take that late answer as its own — a reading a whole poll stale,
   * accepted as good (found by the fault campaign, hil-tests/campaign/fuzz-modbus.ts). Arriving
   * while nothing of that unit is pending, it is discarded. libmodbus's error recovery likewise
   * waits one response timeout. A retry does not wait (it asks the same thing, so what it may
   * take is at most one timeout old, and a dead slave must not cost its neighbours more), nor
   * does a write (an interlock must not). Default 0.
   */
  lateAnswerGuardMs?: number;
  backoff: BackoffPolicy;
  clock: Clock;
}

/** One attempt on the wire, or a request refused without it (attempt 0: BUS_BACKED_OFF / BUS_CLOSED). */
export interface TransactionEvent {
  bus: string;
  unitId: number;
  fc: number;
  ok: boolean;
  latencyMs: number;
  error?: VigilErrorCode;
  attempt: number;
}

export interface DeviceStateEvent {
  bus: string;
  unitId: number;
  state: 'ok' | 'backed-off';
  /** Wall-clock ms when the backoff ends (for display; timing itself is monotonic). */
  until?: number;
}

export interface BusQueueEvents {
  transaction: TransactionEvent;
  device: DeviceStateEvent;
}

export interface RequestOptions {
  priority?: Priority;
}

/** Beyond the transport's own timeout: a transport that never settles must not stall the bus. */
const BACKSTOP_MARGIN_MS = 250;

type Op =
  | { kind: 'read'; table: RegisterTable; address: number; count: number }
  | { kind: 'write'; table: 'holding' | 'coil'; address: number; values: number[] | boolean[] };

interface Job {
  unitId: number;
  op: Op;
  priority: Priority;
  resolve: (v: number[] | boolean[] | undefined) => void;
  reject: (e: VigilError) => void;
}

function fcOf(op: Op): number {
  if (op.kind === 'read') return FUNCTION_CODES[op.table];
  return op.table === 'holding' ? 16 : 15; // FC16 write multiple registers / FC15 write multiple coils
}

function describeOp(op: Op): string {
  const n = op.kind === 'read' ? op.count : op.values.length;
  return `FC${String(fcOf(op)).padStart(2, '0')} ${op.table} ${op.address}+${n}`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));
/** A turn takes a microsecond or two, so a sub-millisecond remainder needs hundreds; the bound only matters if the clock stalls. */
const MAX_SILENCE_TURNS = 20_000;

export class BusQueue {
  readonly name: string;
  // A listener's failure is its own; the bus carries on.
  private readonly events = new SafeEmitter<BusQueueEvents>();
  private readonly queue: Job[] = [];
  private readonly backoff: DeviceBackoff;
  private running = false;
  private closed = false;
  /** Monotonic time the last wire transaction ended, for the inter-request silence. */
  private lastWireEnd = Number.NEGATIVE_INFINITY;
  /** Per unit: when a late answer to its timed-out read can no longer be taken for a new one. */
  private readonly lateAnswerUntil = new Map<number, number>();

  constructor(private readonly opts: BusQueueOptions) {
    this.name = opts.name;
    this.backoff = new DeviceBackoff(opts.backoff);
  }

  read(unitId: number, table: RegisterTable, address: number, count: number, opts: RequestOptions = {}): Promise<number[] | boolean[]> {
    return this.enqueue(unitId, { kind: 'read', table, address, count }, opts.priority ?? 'poll') as Promise<number[] | boolean[]>;
  }

  async write(unitId: number, table: 'holding' | 'coil', address: number, values: number[] | boolean[], opts: RequestOptions = {}): Promise<void> {
    await this.enqueue(unitId, { kind: 'write', table, address, values }, opts.priority ?? 'poll');
  }

  /** Refuses queued and future requests with BUS_CLOSED; the one on the wire finishes. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.queue.splice(0)) this.refuse(job, 'BUS_CLOSED', `bus ${this.name} is closed`);
  }

  /** Per-unit link state, for health reporting. */
  deviceStates(): Map<number, DeviceBackoffSnapshot> {
    return this.backoff.snapshot();
  }

  private enqueue(unitId: number, op: Op, priority: Priority): Promise<number[] | boolean[] | undefined> {
    return new Promise((resolve, reject) => {
      const job: Job = { unitId, op, priority, resolve, reject };
      if (this.closed) return this.refuse(job, 'BUS_CLOSED', `bus ${this.name} is closed`);
      // A backed-off device's polls fail at once rather than wait their turn in the queue.
      if (priority === 'poll' && this.backoff.admit(unitId, this.opts.clock.monotonic(), false) === 'refuse') {
        return this.refuse(job, 'BUS_BACKED_OFF', this.backedOffMessage(unitId));
      }
      this.queue.push(job);
      void this.pump();
    });
  }

  private backedOffMessage(unitId: number): string {
    const s = this.backoff.snapshot().get(unitId);
    const left = s?.untilMonotonic !== undefined ? Math.max(0, s.untilMonotonic - this.opts.clock.monotonic()) : 0;
    return `bus ${this.name} unit ${unitId}: backed off after ${s?.consecutiveFailures ?? 0} failed transactions; next probe in ${Math.ceil(left)} ms`;
  }

  private refuse(job: Job, code: 'BUS_BACKED_OFF' | 'BUS_CLOSED', message: string): void {
    this.tell('transaction', { bus: this.name, unitId: job.unitId, fc: fcOf(job.op), ok: false, latencyMs: 0, error: code, attempt: 0 });
    job.reject(new VigilError(code, message, { bus: this.name, unitId: job.unitId }));
  }

  /** Listen to transactions and device state changes (metrics, health). A throwing listener cannot break the bus. */
  on<K extends keyof BusQueueEvents>(event: K, listener: (e: BusQueueEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  private tell<K extends keyof BusQueueEvents>(event: K, payload: BusQueueEvents[K]): void {
    this.events.emit(event, payload);
  }

  /** Next job: the oldest interlock request, else the oldest poll. */
  private take(): Job | undefined {
    const i = this.queue.findIndex((j) => j.priority === 'interlock');
    return this.queue.splice(i >= 0 ? i : 0, 1)[0];
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let job = this.take(); job && !this.closed; job = this.take()) {
        await this.run(job);
      }
    } finally {
      this.running = false;
    }
  }

  private async runQueuedInterlocks(): Promise<void> {
    for (let i = this.queue.findIndex((j) => j.priority === 'interlock'); i >= 0 && !this.closed; i = this.queue.findIndex((j) => j.priority === 'interlock')) {
      await this.run(this.queue.splice(i, 1)[0]!);
    }
  }

  private async run(job: Job): Promise<void> {
    const admission = this.backoff.admit(job.unitId, this.opts.clock.monotonic(), job.priority === 'interlock');
    if (admission === 'refuse') return this.refuse(job, 'BUS_BACKED_OFF', this.backedOffMessage(job.unitId));
    // Backed off: a probe or an interlock gets one attempt — retries would only feed a dead slave more timeouts.
    const attempts = admission === 'normal' ? 1 + this.opts.retries : 1;
    let lastError: VigilError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // A poll's retry waits behind interlock writes queued meanwhile: the valve must not wait
      // for a failing detector's second timeout (or its late-answer guard).
      if (attempt > 1 && job.priority !== 'interlock') await this.runQueuedInterlocks();
      try {
        const result = await this.attempt(job, attempt);
        this.note(job.unitId, this.backoff.answered(job.unitId));
        return job.resolve(result);
      } catch (e) {
        lastError = e as VigilError;
        if (!isTransient(lastError) || lastError.code === 'DEVICE_BUSY') break;
      }
    }
    const err = lastError!;
    let change: BackoffChange = null;
    if (isCommunicationFault(err) || err.code === 'DEVICE_GATEWAY_PATH') {
      change = this.backoff.failed(job.unitId, this.opts.clock.monotonic(), admission === 'probe');
    } else if (err.code.startsWith('DEVICE_')) {
      // An exception response is an answer: the device is alive (busy, misconfigured or faulty).
      change = this.backoff.answered(job.unitId, { busy: err.code === 'DEVICE_BUSY' });
    }
    // This request's failure first, then the queued requests the new state refuses.
    job.reject(err);
    this.note(job.unitId, change);
  }

  /** One transaction on the wire, with the inter-request silence before it and an event after it. */
  private async attempt(job: Job, attempt: number): Promise<number[] | boolean[] | undefined> {
    const silence = Math.max(this.opts.interRequestDelayMs, this.opts.frameSilenceMs ?? 0);
    let due = this.lastWireEnd + silence;
    // A retry goes at once: what it may take is the answer to the same request, at most one
    // timeout old. The next poll must not take it (a whole period stale), so it waits.
    const guard = job.op.kind === 'read' && attempt === 1 ? this.lateAnswerUntil.get(job.unitId) : undefined;
    if (guard !== undefined) {
      this.lateAnswerUntil.delete(job.unitId);
      due = Math.max(due, guard);
    }
    if (due > this.opts.clock.monotonic()) await this.silentUntil(due);
    const { clock } = this.opts;
    const started = clock.monotonic();
    let error: VigilError | undefined;
    try {
      return await this.execute(job);
    } catch (e) {
      error = isVigilError(e)
        ? e
        : new VigilError('COMM_BAD_FRAME', `bus ${this.name} unit ${job.unitId} ${describeOp(job.op)}: ${String(e)}`, {}, { cause: e });
      if (error.code === 'COMM_TIMEOUT' && job.op.kind === 'read' && (this.opts.lateAnswerGuardMs ?? 0) > 0) {
        this.lateAnswerUntil.set(job.unitId, clock.monotonic() + this.opts.lateAnswerGuardMs!);
      }
      throw error;
    } finally {
      this.lastWireEnd = clock.monotonic();
      this.tell('transaction', {
        bus: this.name,
        unitId: job.unitId,
        fc: fcOf(job.op),
        ok: error === undefined,
        latencyMs: this.lastWireEnd - started,
        ...(error ? { error: error.code } : {}),
        attempt,
      });
    }
  }

  /**
   * Waits until the monotonic time `due`. Node timers count whole milliseconds from a loop time
   * that may be a fraction stale, so they can fire up to ~1 ms early: the rest is waited out in
   * setImmediate turns (I/O still runs between them), bounded so a stalled clock cannot spin.
   */
  private async silentUntil(due: number): Promise<void> {
    const { clock } = this.opts;
    const left = due - clock.monotonic();
    if (left <= 0) return;
    if (left >= 1) await sleep(Math.floor(left));
    for (let turns = 0; turns < MAX_SILENCE_TURNS && clock.monotonic() < due; turns++) await nextTurn();
  }

  private async execute(job: Job): Promise<number[] | boolean[] | undefined> {
    const { transport, timeoutMs } = this.opts;
    // The transport lost its port/socket: reopen on demand (a replugged USB adapter, a restarted device).
    // Each step gets its own backstop so a slow open cannot eat into the transaction's time.
    if (!transport.isOpen()) await this.withBackstop(job, 'open', () => transport.open());
    const { op, unitId } = job;
    return this.withBackstop(job, describeOp(op), async () => {
      if (op.kind === 'read') {
        return op.table === 'holding' || op.table === 'input'
          ? transport.readRegisters(unitId, op.table, op.address, op.count, timeoutMs)
          : transport.readBits(unitId, op.table, op.address, op.count, timeoutMs);
      }
      if (op.table === 'holding') await transport.writeRegisters(unitId, op.address, op.values as number[], timeoutMs);
      else await transport.writeCoils(unitId, op.address, op.values as boolean[], timeoutMs);
      return undefined;
    });
  }

  private withBackstop<T>(job: Job, step: string, fn: () => Promise<T>): Promise<T> {
    const limit = this.opts.timeoutMs + BACKSTOP_MARGIN_MS;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const backstop = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new VigilError('COMM_TIMEOUT', `bus ${this.name} (${this.opts.transport.description}) unit ${job.unitId} ${step}: the transport did not settle within ${limit} ms`, { bus: this.name, unitId: job.unitId }));
      }, limit);
    });
    return Promise.race([fn(), backstop]).finally(() => clearTimeout(timer));
  }

  private note(unitId: number, change: BackoffChange): void {
    if (!change) return;
    if (change.state === 'ok') {
      this.tell('device', { bus: this.name, unitId, state: 'ok' });
      return;
    }
    const { clock } = this.opts;
    this.tell('device', { bus: this.name, unitId, state: 'backed-off', until: clock.now() + (change.untilMonotonic - clock.monotonic()) });
    // Its queued polls fail now rather than each waiting for a turn that would be refused anyway.
    const refused = this.queue.filter((j) => j.unitId === unitId && j.priority === 'poll');
    if (refused.length === 0) return;
    this.queue.splice(0, this.queue.length, ...this.queue.filter((j) => !refused.includes(j)));
    for (const j of refused) this.refuse(j, 'BUS_BACKED_OFF', this.backedOffMessage(unitId));
  }
}
