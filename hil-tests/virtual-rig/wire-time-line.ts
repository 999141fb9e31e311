/**
 * One emulated RS-485 line: half duplex and shared, so one frame on it at a time (Modbus over
 * Serial Line V1.02 §2.1, §2.5.1.1). Given when a request was handed to the pty and how long
 * the frames are, it says when each frame would start and end on a real wire. Pure: times are
 * passed in (monotonic ms) and come back as absolute due times, so rounding and timer
 * lateness never accumulate from one frame to the next.
 *
 * The pty delivers a request the moment the master writes it, which is when a real master
 * would start transmitting it; the request then occupies the line for its own length. The
 * slave sees its end of frame t3.5 later (§2.5.1.1), answers after its turnaround, and its
 * answer occupies the line for the answer's length. Nothing may start on the line until t3.5
 * after the previous frame ended: a request the master hands over earlier is held until then
 * (and counted as early — on a real line the slaves would take it as part of the previous frame).
 */
import { frameMs, t35Ms, type WireTiming } from './wire-time.js';

export interface RequestTiming {
  /** First bit on the wire. */
  startMs: number;
  /** Last bit on the wire. */
  endMs: number;
  /** End of frame seen by the slave: t3.5 of silence after the last bit. */
  detectedMs: number;
  /** The master handed it over before the line had been silent for t3.5. */
  early: boolean;
}

export interface ResponseTiming {
  startMs: number;
  /** Last bit on the wire: the earliest moment the master may have the whole answer. */
  endMs: number;
}

export class WireLine {
  /** When the next frame may start: t3.5 after the last frame ended. */
  private freeAtMs = Number.NEGATIVE_INFINITY;

  constructor(readonly timing: WireTiming) {}

  /** A request of `bytes` characters handed over at `handedMs`. */
  request(handedMs: number, bytes: number): RequestTiming {
    const early = handedMs < this.freeAtMs;
    const startMs = Math.max(handedMs, this.freeAtMs);
    const endMs = startMs + frameMs(this.timing, bytes);
    const detectedMs = endMs + t35Ms(this.timing);
    this.freeAtMs = detectedMs;
    return { startMs, endMs, detectedMs, early };
  }

  /**
   * The addressed slave's answer of `bytes` characters to the request detected at
   * `detectedMs`, after its turnaround plus `extraDelayMs` (a 'slow' fault).
   */
  response(detectedMs: number, bytes: number, extraDelayMs = 0): ResponseTiming {
    const startMs = Math.max(detectedMs + this.timing.turnaroundMs + extraDelayMs, this.freeAtMs);
    const endMs = startMs + frameMs(this.timing, bytes);
    this.freeAtMs = endMs + t35Ms(this.timing);
    return { startMs, endMs };
  }
}
