import { vi } from 'vitest';
import { FakeClock } from '../../../gateway/clock/fake-clock.js';
import type { PointValue, Quality, Reading } from '../../../gateway/readings.js';
import type { JournalEntry } from '../../../gateway/store/store.js';
import { AlarmDefSchemaForTests } from './alarm-def.js';
import type { AlarmTransition, PersistedAlarmState, ResolvedAlarm } from '../../model.js';
import { AlarmEngine, type AlarmEngineOptions } from '../alarm-engine.js';

/**
 * Drives an AlarmEngine the way the runtime does, on a FakeClock and vitest's fake timers, and
 * keeps what it persisted the way the store would (the journal in order, the latest state per
 * alarm). Tests look only at what a user would see: transitions, journal entries, snapshots.
 */
export class EngineHarness {
  readonly clock: FakeClock;
  engine: AlarmEngine;
  readonly journal: (JournalEntry & { mono: number })[] = [];
  readonly states = new Map<string, PersistedAlarmState>();
  readonly transitions: AlarmTransition[] = [];
  persistCalls = 0;
  private readonly base: Omit<AlarmEngineOptions, 'clock' | 'persist' | 'restored'>;

  constructor(alarms: ResolvedAlarm[], opts: Partial<Omit<AlarmEngineOptions, 'alarms' | 'clock' | 'persist'>> & { clock?: FakeClock } = {}) {
    this.clock = opts.clock ?? new FakeClock();
    const { clock: _c, restored, ...rest } = opts;
    this.base = { alarms, ...rest };
    this.engine = this.create(restored);
  }

  /** Stop, then start a new engine from what was persisted, as after a power cut. */
  restart(downMs = 0): AlarmEngine {
    this.engine.stop();
    // While the gateway is down no timer runs: only the clocks move.
    if (downMs > 0) this.clock.advance(downMs);
    this.engine = this.create([...this.states.values()]);
    this.engine.start();
    return this.engine;
  }

  /** Time passes: the FakeClock and the fake timers move together, in steps (deadlines on the step grid are exact). */
  advance(ms: number, stepMs = 100): void {
    let left = ms;
    while (left > 0) {
      const d = Math.min(stepMs, left);
      this.clock.advance(d);
      vi.advanceTimersByTime(d);
      left -= d;
    }
  }

  read(device: string, point: string, value: PointValue, quality: Quality = 'good', unit?: string): void {
    const r: Reading = { device, point, value, quality, ts: this.clock.now(), clockTrusted: this.clock.isTrusted() };
    if (unit !== undefined) r.unit = unit;
    this.engine.onReadings([r]);
  }

  /** Journal entries of one alarm (or subject), as "type from→to" or the event type. */
  events(subject?: string): string[] {
    return this.journal
      .filter((e) => subject === undefined || e.subject === subject)
      .map((e) => {
        const t = e.event.data as Partial<AlarmTransition> | undefined;
        return t?.from !== undefined ? `${e.event.type} ${t.from}→${t.to}` : e.event.type;
      });
  }

  state(id: string): string | undefined {
    return this.engine.get(id)?.state;
  }

  private create(restored: readonly PersistedAlarmState[] | undefined): AlarmEngine {
    const engine = new AlarmEngine({
      ...this.base,
      clock: this.clock,
      ...(restored ? { restored } : {}),
      persist: (entries, states) => {
        this.persistCalls++;
        for (const e of entries) this.journal.push({ ...e, mono: this.clock.monotonic() });
        for (const s of states) this.states.set(s.id, structuredClone(s));
      },
    });
    engine.onTransition((t) => this.transitions.push(t));
    return engine;
  }
}

/** A resolved alarm from a definition written like a profile's (defaults filled by the schema). */
export function alarm(id: string, def: Record<string, unknown>): ResolvedAlarm {
  const parsed = AlarmDefSchemaForTests.parse({ name: id.split('/')[1], description: id, priority: 'high', class: 'gas', latch: false, ...def });
  return parsed.kind === 'vote' ? { id, def: parsed } : { id, device: id.split('/')[0] as string, def: parsed };
}
