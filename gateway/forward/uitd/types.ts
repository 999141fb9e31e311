/**
 * Shared types of the UITD (用户信息传输装置) link: what is queued for the monitoring centre, and
 * the timers everything here runs on (injected, so tests use fake timers and nothing sleeps).
 */

/**
 * Transmission priority. GB 26875.1 (standards.md §3.1): fire alarms pre-empt any other
 * transmission; facility status must reach the centre within 100 s, fire alarms within 10 s.
 */
export type UitdPriority = 'fire' | 'status' | 'other';

export const UITD_PRIORITIES: readonly UitdPriority[] = ['fire', 'status', 'other'];

/**
 * One upstream message waiting for the centre's confirm (command 3). Only the ADU is kept: the
 * control unit (serial number, send time, addresses) belongs to the connection it is sent on —
 * serial numbers restart at 0 with every connection (GB/T 26875.3 §6 业务流水号).
 */
export interface UitdQueueItem {
  /** Unique, stable across restarts (the store's key). */
  readonly id: string;
  readonly priority: UitdPriority;
  /** Type flag, object count, objects — as ApplicationData.serialize() wrote it. */
  readonly adu: Buffer;
  /** Wall-clock ms when the item was created (the event's time, for the deadline after a restart). */
  readonly createdTs: number;
}

export interface UitdTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const defaultUitdTimers: UitdTimers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending resend or reconnect must not keep a stopping gateway alive.
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};
