import type { AlarmClass } from '../definitions/schema.js';

/**
 * What the lamps and sounders do for each class of alarm — the one table (docs/alarms.md quotes it).
 *
 * The numbers honour (standards.md):
 * - GB 16808-2008 (gas alarm controllers, §1.4): an alarm lamp flashes at ≥ 1 Hz, a fault lamp at
 *   ≥ 0.2 Hz, and each "on" lasts ≥ 0.25 s; red = alarm, yellow = fault.
 * - GB 50116-2013 §8 (§1.5): gas alarms are distinguishable from fire alarms.
 * - GB 14287 (§2) / GB 16808: alarm sound has priority over fault sound; a fault is announced
 *   clearly differently from an alarm (GB/T 50493-2019 §5, §1.1).
 * - GB 15322.1 (§1.2): indications must be told apart without reading a display.
 *
 * | class           | rank | strobe / lamp                                   | sounder                                   |
 * |-----------------|------|-------------------------------------------------|-------------------------------------------|
 * | fire            | 5    | 2 Hz even flash (0.25 s on, 0.25 s off)         | continuous                                |
 * | gas             | 4    | 1 Hz even flash (0.5 s on, 0.5 s off)           | 1 Hz pulsed (0.5 s on, 0.5 s off)         |
 * | electrical-fire | 3    | double flash every 1.5 s (0.25 on/0.25/0.25 on/0.75) — 1.33 flashes/s | double beep every 2 s (0.25 on/0.25/0.25 on/1.25) |
 * | fault           | 2    | 0.5 Hz slow flash (1 s on, 1 s off)             | short beep every 5 s (0.5 s on, 4.5 s off) |
 * | process         | 1    | steady on                                       | silent (a process alarm is not a hazard)  |
 *
 * Where one output covers several classes it plays the pattern of the highest-ranked class that
 * is demanding it: fire beats gas (a fire is the worse event and fire-fighting takes precedence),
 * gas beats electrical fire (an explosive atmosphere needs evacuation now; GB 14287 electrical-fire
 * monitoring is an early warning that must not even trip the circuit), and every alarm beats a
 * fault (GB 14287: alarm sound over fault sound).
 */
export interface Segment {
  on: boolean;
  /** Duration; Infinity for a steady state. */
  ms: number;
}

export interface Pattern {
  /** Stable id shown in the API and the demo, e.g. "fire-strobe". */
  id: string;
  description: string;
  /** Played from the first segment and repeated. */
  segments: readonly Segment[];
}

const on = (ms: number): Segment => ({ on: true, ms });
const off = (ms: number): Segment => ({ on: false, ms });

export const STEADY_ON: Pattern = { id: 'steady-on', description: 'steady on', segments: [on(Infinity)] };
export const STEADY_OFF: Pattern = { id: 'off', description: 'off', segments: [off(Infinity)] };

/** The watchdog line: a 1 Hz square wave (toggles every 0.5 s) while the gateway vouches for its alarm engine. */
export const WATCHDOG_PULSE: Pattern = { id: 'watchdog', description: '1 Hz square wave (toggles every 0.5 s)', segments: [on(500), off(500)] };

export interface ClassPatterns {
  /** Higher wins where one output covers several classes. */
  rank: number;
  lamp: Pattern;
  /** null: this class never sounds a sounder. */
  sounder: Pattern | null;
}

export const CLASS_PATTERNS: Readonly<Record<AlarmClass, ClassPatterns>> = {
  fire: {
    rank: 5,
    lamp: { id: 'fire-flash', description: '2 Hz even flash', segments: [on(250), off(250)] },
    sounder: { id: 'fire-continuous', description: 'continuous', segments: [on(Infinity)] },
  },
  gas: {
    rank: 4,
    lamp: { id: 'gas-flash', description: '1 Hz even flash', segments: [on(500), off(500)] },
    sounder: { id: 'gas-pulsed', description: '1 Hz pulsed', segments: [on(500), off(500)] },
  },
  'electrical-fire': {
    rank: 3,
    lamp: { id: 'electrical-fire-double-flash', description: 'double flash every 1.5 s', segments: [on(250), off(250), on(250), off(750)] },
    sounder: { id: 'electrical-fire-double-beep', description: 'double beep every 2 s', segments: [on(250), off(250), on(250), off(1_250)] },
  },
  fault: {
    rank: 2,
    lamp: { id: 'fault-slow-flash', description: '0.5 Hz slow flash', segments: [on(1_000), off(1_000)] },
    sounder: { id: 'fault-beep', description: 'short beep every 5 s', segments: [on(500), off(4_500)] },
  },
  process: {
    rank: 1,
    lamp: { id: 'process-steady', description: 'steady on', segments: [on(Infinity)] },
    sounder: null,
  },
};

/** The one with the higher rank (either may be null). */
export function higherClass(a: AlarmClass | null, b: AlarmClass | null): AlarmClass | null {
  if (a === null) return b;
  if (b === null) return a;
  return CLASS_PATTERNS[b].rank > CLASS_PATTERNS[a].rank ? b : a;
}

/** One cycle's length (Infinity for a steady pattern). */
export function cycleMs(p: Pattern): number {
  return p.segments.reduce((sum, s) => sum + s.ms, 0);
}

/** Flashes (on-segments) per second, for checking the GB 16808 minimum rates. */
export function flashesPerSecond(p: Pattern): number {
  const cycle = cycleMs(p);
  if (!Number.isFinite(cycle)) return 0;
  return (p.segments.filter((s) => s.on).length * 1_000) / cycle;
}
