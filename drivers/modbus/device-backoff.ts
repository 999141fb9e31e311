/**
 * Per-device backoff bookkeeping for one bus (DESIGN principle 4: a dead slave is backed off so
 * it cannot stall its neighbours). Pure state, driven by monotonic time the caller passes in;
 * the bus queue decides what to do with the answers.
 *
 * Why back off at all: on RS-485 a silent slave costs a full timeout per attempt (1 s by
 * default) while every other device on the bus waits — Modbus over Serial Line V1.02 §2.4.1
 * allows only one outstanding request on the line. Three dead detectors polled every second
 * would starve the rest of the bus.
 */

export interface BackoffPolicy {
  /** Consecutive failed transactions (communication errors, after retries) before backing off. */
  afterFailures: number;
  initialMs: number;
  maxMs: number;
}

export type DeviceLinkState = 'ok' | 'backed-off';

export interface DeviceBackoffSnapshot {
  state: DeviceLinkState;
  /** Failed transactions in a row since the device last answered. */
  consecutiveFailures: number;
  /** Length of the current (or last) backoff. */
  backoffMs?: number;
  /** Monotonic ms when the current backoff expires and a probe may go out. */
  untilMonotonic?: number;
  /** DEVICE_BUSY answers so far (exception 5/6): the device is alive but asks us to come back later. */
  busy: number;
}

/** What a finished transaction did to the device's state, if anything. */
export type BackoffChange = { state: 'ok' } | { state: 'backed-off'; backoffMs: number; untilMonotonic: number } | null;

interface Entry {
  state: DeviceLinkState;
  failures: number;
  backoffMs: number;
  until: number;
  busy: number;
}

export class DeviceBackoff {
  private readonly devices = new Map<number, Entry>();

  constructor(private readonly policy: BackoffPolicy) {}

  private entry(unitId: number): Entry {
    let e = this.devices.get(unitId);
    if (!e) {
      e = { state: 'ok', failures: 0, backoffMs: 0, until: 0, busy: 0 };
      this.devices.set(unitId, e);
    }
    return e;
  }

  /**
   * How a request for `unitId` may proceed at monotonic time `now`:
   *  - 'normal': not backed off — send with the usual retries;
   *  - 'refuse': backed off and not yet expired — poll requests are refused without the wire;
   *  - 'probe': the backoff expired — exactly one attempt decides (no retries);
   *  - 'one-shot': backed off, but the request must go (an interlock) — one attempt.
   */
  admit(unitId: number, now: number, mustGo: boolean): 'normal' | 'refuse' | 'probe' | 'one-shot' {
    const e = this.devices.get(unitId);
    if (!e || e.state === 'ok') return 'normal';
    if (now >= e.until) return 'probe';
    return mustGo ? 'one-shot' : 'refuse';
  }

  /** The device answered (data or an exception): it is alive. */
  answered(unitId: number, opts: { busy?: boolean } = {}): BackoffChange {
    const e = this.entry(unitId);
    if (opts.busy) e.busy++;
    e.failures = 0;
    if (e.state === 'ok') return null;
    e.state = 'ok';
    return { state: 'ok' };
  }

  /** A transaction to the device failed with a communication error (after its retries). */
  failed(unitId: number, now: number, wasProbe: boolean): BackoffChange {
    const e = this.entry(unitId);
    e.failures++;
    if (e.state === 'backed-off') {
      // Only the probe extends the backoff; an interlock's one-shot failure must not push the
      // next probe further away (it tells us nothing the backoff did not already assume).
      if (!wasProbe) return null;
      e.backoffMs = Math.min(e.backoffMs * 2, this.policy.maxMs);
    } else {
      if (e.failures < this.policy.afterFailures) return null;
      e.state = 'backed-off';
      e.backoffMs = Math.min(this.policy.initialMs, this.policy.maxMs);
    }
    e.until = now + e.backoffMs;
    return { state: 'backed-off', backoffMs: e.backoffMs, untilMonotonic: e.until };
  }

  snapshot(): Map<number, DeviceBackoffSnapshot> {
    const out = new Map<number, DeviceBackoffSnapshot>();
    for (const [unitId, e] of this.devices) {
      out.set(unitId, {
        state: e.state,
        consecutiveFailures: e.failures,
        busy: e.busy,
        ...(e.backoffMs > 0 ? { backoffMs: e.backoffMs } : {}),
        ...(e.state === 'backed-off' ? { untilMonotonic: e.until } : {}),
      });
    }
    return out;
  }
}
