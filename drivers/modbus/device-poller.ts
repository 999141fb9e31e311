/**
 * Polls one Modbus device: plans its reads once, then every pollMs puts the plan's requests on
 * the bus queue and turns each answer into readings.
 *
 * The alarm path comes first (DESIGN principle 1): as soon as ONE request's answer arrives its
 * points are decoded and handed to onReadings in the same turn of the event loop — never
 * batched with the device's other requests, never behind an await. A failed request still
 * yields readings (value null, quality comm-fault or bad): lost communication is a fault alarm,
 * never silence (principle 2).
 */
import type { Clock } from '../../gateway/clock/clock.js';
import { isVigilError, type VigilErrorCode } from '../../gateway/errors.js';
import type { Quality, Reading } from '../../gateway/readings.js';
import type { BusQueue } from './bus-queue.js';
import { decodeBit, decodeRegisters, type ResolvedPoint } from './codecs.js';
import { describePlan, planReads, type PlanItem, type PlanLimits, type ReadRequest } from './planner.js';

export type DeviceState = 'ok' | 'comm-fault' | 'backed-off' | 'config-fault' | 'device-fault';

export interface DeviceStatus {
  state: DeviceState;
  /** Wall-clock ms of the last request the device answered with data. */
  lastSuccessTs: number | null;
  /** The error behind the current non-ok state. */
  lastError?: string;
  /** Poll cycles started. */
  cycles: number;
  /** Cycles skipped because the previous one was still running when they were due. */
  overruns: number;
}

export interface PollerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface DevicePollerOptions {
  device: { name: string; unitId: number; pollMs: number };
  points: ResolvedPoint[];
  limits: PlanLimits;
  queue: BusQueue;
  clock: Clock;
  /** Called synchronously with each request's readings: the alarm path runs inside it. */
  onReadings: (readings: Reading[]) => void;
  /** Called when the device's state (or the error behind it) changes, and after the first cycle. */
  onStatus?: (s: DeviceStatus) => void;
  logger?: PollerLogger;
}

type PointItem = PlanItem & { point: ResolvedPoint };

/** Worst first: when a cycle's requests fail differently, the device shows the worst. */
const SEVERITY: DeviceState[] = ['backed-off', 'comm-fault', 'config-fault', 'device-fault', 'ok'];

/** How an error code shows on the device and on its points. */
function classify(code: VigilErrorCode | undefined): { state: DeviceState; quality: Quality } {
  switch (code) {
    case 'BUS_BACKED_OFF':
      return { state: 'backed-off', quality: 'comm-fault' };
    case 'DEVICE_ILLEGAL_ADDRESS':
    case 'CONFIG_INVALID':
    case 'PROFILE_INVALID':
      return { state: 'config-fault', quality: 'bad' };
    case 'DEVICE_FAILURE':
    case 'DEVICE_BUSY':
      return { state: 'device-fault', quality: 'bad' };
    // Exception 10/11: a Modbus gateway could not reach the device — it did not answer.
    case 'DEVICE_GATEWAY_PATH':
    default:
      return { state: 'comm-fault', quality: 'comm-fault' };
  }
}

export class DevicePoller {
  private readonly plan: ReadRequest<PointItem>[];
  private timer: ReturnType<typeof setInterval> | undefined;
  private running = false;
  private inCycle = false;
  private reported = false;
  private st: DeviceStatus = { state: 'ok', lastSuccessTs: null, cycles: 0, overruns: 0 };

  /** Plans the reads; throws CONFIG_INVALID (naming the point) when a point cannot be read. */
  constructor(private readonly opts: DevicePollerOptions) {
    const items = opts.points.map((point): PointItem => ({ key: point.name, table: point.table, address: point.address, width: point.width, point }));
    this.plan = planReads(items, opts.limits);
  }

  /** The read requests of one cycle, in the order they are queued. */
  get requests(): readonly ReadRequest<PointItem>[] {
    return this.plan;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { device, logger } = this.opts;
    logger?.info({ device: device.name, unitId: device.unitId, requests: this.plan.length, pollMs: device.pollMs }, describePlan(device.name, this.plan));
    this.timer = setInterval(() => this.tick(), device.pollMs);
    this.tick(); // the first poll goes out now, not one period later
  }

  /** Stops polling; answers still on their way are dropped. */
  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  status(): DeviceStatus {
    return { ...this.st };
  }

  private tick(): void {
    if (!this.running) return;
    if (this.inCycle) {
      // Never pile cycles up behind a slow bus: the next one due is skipped and counted.
      this.st.overruns++;
      return;
    }
    void this.cycle();
  }

  private async cycle(): Promise<void> {
    this.inCycle = true;
    this.st.cycles++;
    const { queue, device } = this.opts;
    const outcomes = this.plan.map((req) =>
      queue.read(device.unitId, req.table, req.address, req.count, { priority: 'poll' }).then(
        (data) => this.answered(req, data),
        (e: unknown) => this.failed(req, e),
      ),
    );
    try {
      const results = await Promise.all(outcomes);
      if (this.running) this.settle(results);
    } finally {
      // Whatever happens, the next cycle must be able to run: a stuck flag would silence the device.
      this.inCycle = false;
    }
  }

  private reading(point: ResolvedPoint, value: Reading['value'], quality: Quality, ts: number, clockTrusted: boolean): Reading {
    // Two literals rather than a conditional spread: no throw-away object per reading.
    const device = this.opts.device.name;
    return point.unit !== undefined
      ? { device, point: point.name, value, unit: point.unit, quality, ts, clockTrusted }
      : { device, point: point.name, value, quality, ts, clockTrusted };
  }

  /** Decode and deliver in this same turn — nothing may be awaited between the two. */
  private answered(req: ReadRequest<PointItem>, data: number[] | boolean[]): { state: DeviceState; error?: string } {
    if (!this.running) return { state: 'ok' };
    const { clock } = this.opts;
    const ts = clock.now();
    const trusted = clock.isTrusted();
    let error: string | undefined;
    const readings = req.items.map(({ point }) => {
      const at = point.address - req.address;
      try {
        const d =
          point.table === 'coil' || point.table === 'discrete'
            ? decodeBit(point, (data as boolean[])[at] === true)
            : decodeRegisters(point, (data as number[]).slice(at, at + point.width));
        return this.reading(point, d.value, d.quality, ts, trusted);
      } catch (e) {
        // A reply too short for its points is a bad frame: the point did not arrive.
        error = e instanceof Error ? e.message : String(e);
        return this.reading(point, null, 'comm-fault', ts, trusted);
      }
    });
    this.st.lastSuccessTs = ts;
    this.deliver(readings);
    return error === undefined ? { state: 'ok' } : { state: 'comm-fault', error };
  }

  private failed(req: ReadRequest<PointItem>, e: unknown): { state: DeviceState; error?: string } {
    const code = isVigilError(e) ? e.code : undefined;
    const message = e instanceof Error ? e.message : String(e);
    if (!this.running) return { state: 'ok' };
    const { state, quality } = classify(code);
    const { clock } = this.opts;
    const ts = clock.now();
    const trusted = clock.isTrusted();
    this.deliver(req.items.map(({ point }) => this.reading(point, null, quality, ts, trusted)));
    return { state, error: message };
  }

  private deliver(readings: Reading[]): void {
    try {
      this.opts.onReadings(readings);
    } catch (e) {
      // A throwing consumer must not stop the polling of a safety device.
      this.opts.logger?.warn({ device: this.opts.device.name, err: e }, 'onReadings threw; polling continues');
    }
  }

  /** The cycle's device state is its worst request's state. */
  private settle(results: { state: DeviceState; error?: string }[]): void {
    const worst = results.reduce<{ state: DeviceState; error?: string }>(
      (w, r) => (SEVERITY.indexOf(r.state) < SEVERITY.indexOf(w.state) ? r : w),
      { state: 'ok' },
    );
    // Only a change of state is news: a backed-off device's message changes every cycle.
    const changed = worst.state !== this.st.state;
    this.st.state = worst.state;
    if (worst.error !== undefined) this.st.lastError = worst.error;
    else delete this.st.lastError;
    if (!changed && this.reported) return;
    this.reported = true;
    const { logger, device, onStatus } = this.opts;
    if (changed && worst.state !== 'ok') logger?.warn({ device: device.name, state: worst.state, error: worst.error }, `${device.name}: ${worst.state}`);
    else if (changed) logger?.info({ device: device.name, state: 'ok' }, `${device.name}: answering again`);
    onStatus?.(this.status());
  }
}
