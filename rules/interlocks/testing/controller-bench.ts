import { vi } from 'vitest';
import { InterlockSchema, type InterlockConfig } from '../../../gateway/config/safety-schema.js';
import type { PointValue } from '../../../gateway/readings.js';
import type { JournalEntry } from '../../../gateway/store/store.js';
import { fakeTimersClock } from '../../../drivers/modbus/fake-transport.js';
import type { AlarmEngineView } from '../../engine/types.js';
import type { AlarmSnapshot } from '../../model.js';
import { InterlockController } from '../interlock-controller.js';
import type { InterlockControllerOptions, InterlockStatus, PointIo, TripTiming } from '../types.js';

/** The interlock controller's test bench: a fake engine, a fake valve on a bus, a relay log. */
export const LATENCY = 20; // one bus transaction

/** The engine as the interlocks see it: conditions a test switches, listeners called synchronously. */
export class FakeEngine implements Pick<AlarmEngineView, 'get' | 'onCondition'> {
  private readonly active = new Map<string, boolean>();
  private readonly listeners: ((id: string, active: boolean) => void)[] = [];
  constructor(ids: string[]) {
    for (const id of ids) this.active.set(id, false);
  }
  get(id: string): AlarmSnapshot | undefined {
    const active = this.active.get(id);
    if (active === undefined) return undefined;
    return { id, name: id, description: id, kind: 'high', priority: 'critical', colour: 'red', class: 'gas', latch: true, state: active ? 'unacknowledged' : 'normal', conditionActive: active, latchPending: active, annunciating: active, shelvedUntil: null, occurrence: null };
  }
  onCondition(l: (id: string, active: boolean) => void): void {
    this.listeners.push(l);
  }
  set(id: string, active: boolean): void {
    this.active.set(id, active);
    for (const l of this.listeners) l(id, active);
  }
}

/**
 * A valve controller on a bus: writes and reads take LATENCY of fake time; `obeys` false makes
 * it ignore writes (a jammed actuator); the feedback follows the command after `travelMs`.
 */
export class FakeValve implements PointIo {
  values = new Map<string, PointValue>([
    ['valve/close_command', false],
    ['valve/closed_feedback', false],
  ]);
  obeys = true;
  travelMs = 0;
  writeFails: Error | null = null;
  writeThrows = false;
  hangs = false;
  readonly writes: { at: number; target: string; value: PointValue }[] = [];
  readonly reads: { at: number; target: string }[] = [];

  writePoint(device: string, point: string, value: number | boolean): Promise<void> {
    const target = `${device}/${point}`;
    if (this.writeThrows) throw new Error('writePoint exploded');
    this.writes.push({ at: Date.now(), target, value });
    if (this.hangs) return new Promise(() => undefined);
    return new Promise((resolve, reject) =>
      setTimeout(() => {
        if (this.writeFails) return reject(this.writeFails);
        if (this.obeys) {
          this.values.set(target, value);
          if (point === 'close_command') setTimeout(() => this.values.set('valve/closed_feedback', value), this.travelMs);
        }
        resolve();
      }, LATENCY),
    );
  }

  readPoint(device: string, point: string): Promise<PointValue> {
    const target = `${device}/${point}`;
    this.reads.push({ at: Date.now(), target });
    return new Promise((resolve) => setTimeout(() => resolve(this.values.get(target) ?? null), LATENCY));
  }
}

export const GAS_HH = 'gas-1/gas_high_high';
export const VOTE = 'site/two_of_three';

export function config(over: Partial<InterlockConfig> = {}): InterlockConfig {
  return InterlockSchema.parse({
    name: 'close-gas-valve',
    description: 'Close the kitchen gas valve on a 2nd-level alarm',
    when: [GAS_HH, VOTE],
    actions: [{ write: { device: 'valve', point: 'close_command', value: true } }],
    ...over,
  });
}

export function setup(cfgs: InterlockConfig[] = [config()], over: Partial<InterlockControllerOptions> = {}) {
  const engine = new FakeEngine([GAS_HH, VOTE, 'gas-2/gas_high_high']);
  const valve = new FakeValve();
  const journal: JournalEntry[] = [];
  const timings: TripTiming[] = [];
  const states: InterlockStatus[] = [];
  const relays: { name: string; on: boolean }[] = [];
  const controller = new InterlockController(cfgs, {
    engine,
    io: valve,
    setRelay: (name, on) => (relays.push({ name, on }), true),
    outputNames: ['exhaust-fan', 'sounder'],
    clock: fakeTimersClock(),
    journal: (e) => journal.push(e),
    onTiming: (t) => timings.push(t),
    onStateChange: (s) => states.push(s),
    ...over,
  });
  const events = () => journal.map((e) => `${e.event.type} ${e.event.severity} ${String(e.event.data?.['state'])}`);
  return { engine, valve, journal, events, timings, states, relays, controller };
}
