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
  | { kind: 'ramp'; from: number; to: number; rampMs: number; holdMs?: number; returnMs?: number; restMs?: number };

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
    default:
      return `unknown behaviour kind ${JSON.stringify((b as { kind?: unknown }).kind)} (constant, drift, ramp)`;
  }
}

/** Every value a behaviour can produce lies between these (for checking it fits the point). */
export function behaviourExtremes(b: Behaviour): SimValue[] {
  if (b.kind === 'constant') return [b.value];
  if (b.kind === 'drift') return [b.min, b.max];
  return [b.from, b.to];
}

/** The value before the first tick. */
export function initialValue(b: Behaviour): SimValue {
  return b.kind === 'constant' ? b.value : b.kind === 'drift' ? b.center : b.from;
}

export function startBehaviour(b: Behaviour, random: () => number): Stepper {
  switch (b.kind) {
    case 'constant':
      return () => b.value;
    case 'drift':
      return driftStepper(b, random);
    case 'ramp':
      return rampStepper(b);
  }
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
