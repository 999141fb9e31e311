/**
 * Time for the gateway. Wall time stamps readings; monotonic time drives scheduling, delays
 * and backoff so that an NTP step cannot stretch or shrink them.
 */
export interface Clock {
  /** Wall-clock ms since the epoch. */
  now(): number;
  /** Monotonic ms (arbitrary origin); never jumps. */
  monotonic(): number;
  /** Whether now() can be trusted (NTP synchronised, or an RTC the operator vouches for). */
  isTrusted(): boolean;
}
