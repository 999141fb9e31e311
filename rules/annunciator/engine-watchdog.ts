/**
 * Whether the gateway can still vouch for its alarm engine. The runtime supplies a heartbeat; the
 * annunciator checks it on a timer (every second by default) and puts every output in its declared
 * safe state when this returns a reason (DESIGN.md principle 2: fail safe, and say so).
 *
 * The second line of defence is outside the process: the `watchdog` output toggles (a 1 Hz square
 * wave) only while the annunciator runs normally. Wire it to a retriggerable hardware watchdog
 * (a "watchdog timer relay" module or a 555 missing-pulse detector, timeout 2–5 s) whose relay
 * contact, fail-safe wired (the sounder on the contact that closes when the watchdog trips or loses
 * power), sounds a sounder when the pulses stop: the process died, hung, the Pi lost power, or
 * this check found the engine dead. docs/alarms.md carries the wiring diagram.
 */
export interface EngineHeartbeat {
  /** Set when the engine has failed (threw on evaluation, was stopped); null while healthy. */
  failed: string | null;
  /** Monotonic ms (Clock.monotonic) of the engine's last evaluation; null if none yet. */
  lastEvaluationMs: number | null;
  /** Whether evaluations are expected now (devices are polling). While false, silence is not staleness. */
  expectEvaluations: boolean;
}

/** A reason to go to failsafe, or null. `sinceMs`: when watching began (monotonic), for an engine that never evaluated. */
export function engineProblem(hb: EngineHeartbeat, nowMs: number, sinceMs: number, staleAfterMs: number): string | null {
  if (hb.failed !== null) return `alarm engine failed: ${hb.failed}`;
  if (!hb.expectEvaluations) return null;
  const last = hb.lastEvaluationMs ?? sinceMs;
  const age = nowMs - last;
  if (age <= staleAfterMs) return null;
  const what = hb.lastEvaluationMs === null ? 'has not evaluated any reading' : 'has not evaluated a reading';
  return `alarm engine ${what} for ${(age / 1_000).toFixed(1)} s while devices are polling (limit ${(staleAfterMs / 1_000).toFixed(1)} s)`;
}
