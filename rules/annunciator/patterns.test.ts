import { describe, expect, it } from 'vitest';
import { ALARM_CLASSES } from '../definitions/schema.js';
import { CLASS_PATTERNS, flashesPerSecond, higherClass, WATCHDOG_PULSE } from './patterns.js';

describe('the pattern table', () => {
  const alarms = ['fire', 'gas', 'electrical-fire'] as const;

  it('alarm lamps flash at ≥ 1 Hz and the fault lamp at ≥ 0.2 Hz, every "on" ≥ 0.25 s (GB 16808)', () => {
    for (const c of alarms) expect(flashesPerSecond(CLASS_PATTERNS[c].lamp), c).toBeGreaterThanOrEqual(1);
    expect(flashesPerSecond(CLASS_PATTERNS.fault.lamp)).toBeGreaterThanOrEqual(0.2);
    for (const c of [...alarms, 'fault'] as const) {
      for (const s of CLASS_PATTERNS[c].lamp.segments) if (s.on) expect(s.ms, c).toBeGreaterThanOrEqual(250);
    }
  });

  it('fire, gas, electrical fire and fault look and sound different from each other (GB 50116 §8)', () => {
    const hazard = [...alarms, 'fault'] as const;
    const lamps = hazard.map((c) => JSON.stringify(CLASS_PATTERNS[c].lamp.segments));
    const sounders = hazard.map((c) => JSON.stringify(CLASS_PATTERNS[c].sounder?.segments));
    expect(new Set(lamps).size).toBe(hazard.length);
    expect(new Set(sounders).size).toBe(hazard.length);
  });

  it('ranks fire > gas > electrical fire > fault > process, and a process alarm never sounds', () => {
    expect(higherClass('gas', 'fire')).toBe('fire');
    expect(higherClass('fault', 'gas')).toBe('gas');
    expect(higherClass('electrical-fire', 'gas')).toBe('gas');
    expect(higherClass('fault', 'electrical-fire')).toBe('electrical-fire');
    expect(higherClass('process', 'fault')).toBe('fault');
    expect(higherClass(null, 'process')).toBe('process');
    expect(ALARM_CLASSES.every((c) => c in CLASS_PATTERNS)).toBe(true);
    expect(CLASS_PATTERNS.process.sounder).toBeNull();
  });

  it('the watchdog pulse is a 1 Hz square wave', () => {
    expect(WATCHDOG_PULSE.segments).toEqual([{ on: true, ms: 500 }, { on: false, ms: 500 }]);
  });
});
