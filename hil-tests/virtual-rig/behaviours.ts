/**
 * How a simulated point's value moves over time. A behaviour is data (so a rig spec or the
 * control API can carry it as JSON); `startBehaviour` turns it into a stepper the device
 * calls from its tick. Time comes in as an argument — never read from a clock here — so
 * tests drive it with plain numbers.
 */

export type SimValue = number | boolean | string;

export type Behaviour =
  /** Holds one value. */
  | { kind: 'constant'; value: SimValue }
  /**
   * Sensor noise: a mean-reverting random walk (Ornstein–Uhlenbeck) around `center`, kept
   * inside [min, max]. `noise` is the standard deviation gained per √second (default
   * (max − min) / 20); `reversion` the fraction of the distance to `center` recovered per
   * second (default 0.1). Real detectors wander around a baseline rather than jump.
   */
  | { kind: 'drift'; center: number; min: number; max: number; noise?: number; reversion?: number }
  /**
   * A repeating excursion — e.g. a gas leak: rest at `from` for `restMs` (default 0), ramp
   * linearly to `to` over `rampMs`, hold for `holdMs`, ramp back over `returnMs` (default
   * `rampMs`), and start again. Without `holdMs` the value stays at `to` (a one-shot leak).
   * The cycle starts at the first tick after the behaviour is set.
   */
  | { kind: 'ramp'; from: number; to: number; rampMs: number; holdMs?: number; returnMs?: number; restMs?: number }
  /**
   * An actuator's feedback: a bool point that takes another bool point's value `delayMs` after
   * it changed (`invert`: the opposite value) — e.g. a valve's closed limit switch following the
   * close command coil the gateway writes, after the valve's travel time. Changes shorter than
   * the delay are replayed in order, as a real actuator would travel and return. The value is
   * updated on ticks, so it lags by up to one tick interval beyond `delayMs`.
   */
  | { kind: 'follows'; point: string; delayMs: number; invert?: boolean };

/** The value of a behaviour at `nowMs`; called once per tick, in time order. */
export type Stepper = (nowMs: number) => SimValue;

/** Why a behaviour is unusable, or undefined. Checked before the behaviour is installed. */
export function behaviourProblem(b: Behaviour): string | undefined {
  const finite = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
  const duration = (v: unknown): boolean => v === undefined || (finite(v) && (v as number) >= 0);
  switch (b.kind) {
    case 'constant':
      return ['number', 'boolean', 'string'].includes(typeof b.value) ? undefined : 'constant needs a number, boolean or string `value`';
    case 'drift':
      if (![b.center, b.min, b.max].every(finite)) return 'drift needs numbers center, min and max';
      if (!(b.min <= b.center && b.center <= b.max)) return `drift needs min ≤ center ≤ max (got ${b.min} ≤ ${b.center} ≤ ${b.max})`;
      if (b.noise !== undefined && !(finite(b.noise) && b.noise >= 0)) return 'drift noise must be a number ≥ 0';
      if (b.reversion !== undefined && !(finite(b.reversion) && b.reversion >= 0)) return 'drift reversion must be a number ≥ 0';
      return undefined;
    case 'ramp':
      if (!finite(b.from) || !finite(b.to)) return 'ramp needs numbers from and to';
      if (!(finite(b.rampMs) && b.rampMs > 0)) return 'ramp needs rampMs > 0';
      if (![b.holdMs, b.returnMs, b.restMs].every(duration)) return 'ramp holdMs, returnMs and restMs must be ≥ 0';
      return undefined;
    case 'follows':
      if (typeof b.point !== 'string' || b.point === '') return 'follows needs the name of the `point` to follow';
      if (!(finite(b.delayMs) && b.delayMs >= 0)) return 'follows needs delayMs ≥ 0';
      if (b.invert !== undefined && typeof b.invert !== 'boolean') return 'follows invert must be true or false';
      return undefined;
    default:
      return `unknown behaviour kind ${JSON.stringify((b as { kind?: unknown }).kind)} (constant, drift, ramp, follows)`;
  }
}

/**
 * Every value a behaviour can produce lies between these (for checking it fits the point).
 * A follower produces its source's values; the device checks the two points instead.
 */
export function behaviourExtremes(b: Behaviour): SimValue[] {
  if (b.kind === 'constant') return [b.value];
  if (b.kind === 'drift') return [b.min, b.max];
  if (b.kind === 'follows') return [false, true];
  return [b.from, b.to];
}

/** The value before the first tick; `read` gives another point's current value (for 'follows'). */
export function initialValue(b: Behaviour, read: (point: string) => SimValue): SimValue {
  switch (b.kind) {
    case 'constant':
      return b.value;
    case 'drift':
      return b.center;
    case 'ramp':
      return b.from;
    case 'follows':
      return b.invert ? !read(b.point) : read(b.point);
  }
}

export function startBehaviour(b: Behaviour, random: () => number, read: (point: string) => SimValue): Stepper {
  switch (b.kind) {
    case 'constant':
      return () => b.value;
    case 'drift':
      return driftStepper(b, random);
    case 'ramp':
      return rampStepper(b);
    case 'follows':
      return followsStepper(b, read);
  }
}

function followsStepper(b: Extract<Behaviour, { kind: 'follows' }>, read: (point: string) => SimValue): Stepper {
  // The source's changes still to be replayed, oldest first; the value it had when the
  // behaviour was installed counts as having always been there (no delay for the start state).
  const changes: { at: number; value: SimValue }[] = [{ at: Number.NEGATIVE_INFINITY, value: read(b.point) }];
  return (nowMs) => {
    const v = read(b.point);
    if (changes.at(-1)!.value !== v) changes.push({ at: nowMs, value: v });
    // Drop every change superseded by a later one that is already due.
    while (changes.length > 1 && changes[1]!.at + b.delayMs <= nowMs) changes.shift();
    const value = changes[0]!.value;
    return b.invert ? !value : value;
  };
}

function driftStepper(b: Extract<Behaviour, { kind: 'drift' }>, random: () => number): Stepper {
  const noise = b.noise ?? (b.max - b.min) / 20;
  const reversion = b.reversion ?? 0.1;
  let value = b.center;
  let last: number | undefined;
  return (nowMs) => {
    const dt = last === undefined ? 0 : Math.max(0, nowMs - last) / 1000;
    last = nowMs;
    if (dt > 0) {
      value += reversion * (b.center - value) * Math.min(dt, 1) + noise * Math.sqrt(dt) * gaussian(random);
      value = Math.min(b.max, Math.max(b.min, value));
    }
    return value;
  };
}

function rampStepper(b: Extract<Behaviour, { kind: 'ramp' }>): Stepper {
  const rest = b.restMs ?? 0;
  const back = b.returnMs ?? b.rampMs;
  let start: number | undefined;
  return (nowMs) => {
    start ??= nowMs;
    let t = nowMs - start;
    if (b.holdMs !== undefined) t %= rest + b.rampMs + b.holdMs + back;
    if (t < rest) return b.from;
    t -= rest;
    if (t < b.rampMs) return b.from + ((b.to - b.from) * t) / b.rampMs;
    t -= b.rampMs;
    if (b.holdMs === undefined || t < b.holdMs) return b.to;
    t -= b.holdMs;
    return b.to + ((b.from - b.to) * t) / back;
  };
}

/** A standard normal sample (Box–Muller) from a uniform source. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
