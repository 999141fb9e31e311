/**
 * The slaves of one RS-485 line, answering on the rig end of a pty pair. Several devices
 * share the line (multidrop, Modbus over Serial Line V1.02 §2.1): every request reaches all
 * of them, only the addressed one answers, an unknown address gets no answer at all, and a
 * broadcast (address 0) is executed by every device and answered by none.
 *
 * A hand-written slave rather than modbus-serial's ServerSerial (toolchain.md §3): that one
 * overwrites the received CRC before checking it, so it cannot test CRC handling, and its
 * 30 ms frame timer makes every poll ~100× slower than this.
 *
 * Without `wire` it answers at once (a pty has no line timing). With `wire` it takes as long
 * as a real line would (wire-time-line.ts): the request's own transmission time, t3.5, the
 * device's turnaround, then the whole answer's transmission time before the answer is handed
 * to the pty — so the gateway never has the last byte before it would have arrived — and one
 * frame on the line at a time. The device executes the request when its end of frame would
 * be detected, not when the pty delivered it.
 */
import { SerialPort } from 'serialport';
import { withCrc } from './crc16.js';
import { RtuRequestDecoder, type RtuFrame } from './rtu-framing.js';
import type { SimulatedDevice } from './simulated-device.js';
import { TimerSet } from './timer-set.js';
import type { WireTiming } from './wire-time.js';
import { WireLine } from './wire-time-line.js';
import { DeadlineTimers } from './wire-time-timer.js';

export interface RtuSlaveOptions {
  /** The rig end of the pty pair. */
  path: string;
  /** Meaningless on a pty, but serialport requires one. Default 9600. */
  baudRate?: number;
  /** Device per unit id. Read on every request, so the map may change while serving. */
  devices: ReadonlyMap<number, SimulatedDevice>;
  /** Emulate the line's timing; absent = answer at once. */
  wire?: WireTiming;
  /** Port errors (the slave keeps serving after them). Default: ignored. */
  onError?: (e: Error) => void;
  /** Whether the line's devices hear this frame at all (line-settings.ts); absent = they hear every frame. */
  hears?: (frame: RtuFrame) => boolean;
}

/** What the wire-time emulation did, for benches and tests. */
export interface WireStats {
  readonly timing: WireTiming;
  /** Request frames taken off the line (answered or not, broadcasts included). */
  readonly requests: number;
  /** Requests the master handed over before the line had been silent for t3.5 (held until it had). */
  readonly earlyRequests: number;
  /** How late the emulation's timers fired (its own error), mean and worst, in ms. */
  readonly lateness: { count: number; meanMs: number; maxMs: number };
}

export interface RtuSlave {
  /** Bytes discarded by the framer (bad CRC, garbage) — a real slave drops them silently. */
  readonly discardedBytes: number;
  /** Present when the line's timing is emulated. */
  readonly wire: WireStats | undefined;
  /** Closes the port and drops answers still pending. */
  close(): Promise<void>;
}

/** The bytes the line gets back for one request, and the device's extra delay; undefined = nothing. */
function answerFor(frame: RtuFrame, devices: ReadonlyMap<number, SimulatedDevice>): { bytes: Buffer; delayMs: number } | undefined {
  if (frame.unitId === 0) {
    for (const d of devices.values()) d.broadcast(frame.pdu);
    return undefined;
  }
  const a = devices.get(frame.unitId)?.answer(frame.pdu);
  if (!a || a.kind === 'silent') return undefined;
  if (a.kind === 'garbage') return { bytes: a.bytes, delayMs: a.delayMs };
  const bytes = withCrc(Buffer.concat([Buffer.from([a.unitId]), a.pdu]));
  // Flip every bit of the CRC's low byte: the frame is intact but its check now fails.
  if (a.corruptCrc) bytes[bytes.length - 2]! ^= 0xff;
  // A 'noise' fault: stray bytes on the line just before the intact answer (faults.ts).
  return { bytes: a.noise ? Buffer.concat([a.noise, bytes]) : bytes, delayMs: a.delayMs };
}

const ADDRESS_AND_CRC = 3;

export async function startRtuSlave(options: RtuSlaveOptions): Promise<RtuSlave> {
  const port = new SerialPort({ path: options.path, baudRate: options.baudRate ?? 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const decoder = new RtuRequestDecoder();
  const timers = new TimerSet();
  const write = (bytes: Buffer): void => {
    if (port.isOpen) port.write(bytes);
  };

  const emulated = options.wire ? emulatedLine(options.wire, options.devices, write) : undefined;
  port.on('data', (chunk: Buffer) => {
    const handedMs = performance.now();
    for (const frame of decoder.push(chunk)) {
      if (options.hears && !options.hears(frame)) continue;
      if (emulated) {
        emulated.push(frame, handedMs);
        continue;
      }
      const a = answerFor(frame, options.devices);
      if (!a) continue;
      if (a.delayMs > 0) timers.after(a.delayMs, () => write(a.bytes));
      else write(a.bytes);
    }
  });
  port.on('error', (e) => options.onError?.(e));

  return {
    get discardedBytes() {
      return decoder.discardedBytes;
    },
    wire: emulated?.stats,
    close: async () => {
      timers.clear();
      emulated?.stop();
      if (!port.isOpen) return;
      await new Promise<void>((resolve) => port.close(() => resolve()));
    },
  };
}

/**
 * The line with timing: requests are taken one at a time, in the order the pty delivered them,
 * because the next request's place on the line depends on when this one's answer ends.
 */
function emulatedLine(
  timing: WireTiming,
  devices: ReadonlyMap<number, SimulatedDevice>,
  write: (bytes: Buffer) => void,
): { push(frame: RtuFrame, handedMs: number): void; stop(): void; stats: WireStats } {
  const line = new WireLine(timing);
  const timers = new DeadlineTimers();
  const queue: Array<{ frame: RtuFrame; handedMs: number }> = [];
  let busy = false;
  let stopped = false;
  let requests = 0;
  let earlyRequests = 0;

  const next = (): void => {
    const item = busy || stopped ? undefined : queue.shift();
    if (!item) return;
    busy = true;
    const req = line.request(item.handedMs, item.frame.pdu.length + ADDRESS_AND_CRC);
    requests++;
    if (req.early) earlyRequests++;
    timers.at(req.detectedMs, () => {
      const a = answerFor(item.frame, devices);
      if (a) {
        const res = line.response(req.detectedMs, a.bytes.length, a.delayMs);
        timers.at(res.endMs, () => write(a.bytes));
      }
      busy = false;
      next();
    });
  };

  return {
    push(frame, handedMs) {
      queue.push({ frame, handedMs });
      next();
    },
    stop() {
      stopped = true;
      queue.length = 0;
      timers.clear();
    },
    stats: {
      timing,
      get requests() {
        return requests;
      },
      get earlyRequests() {
        return earlyRequests;
      },
      get lateness() {
        return timers.lateness();
      },
    },
  };
}
