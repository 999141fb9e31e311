import { INTERLOCK_SCOPE } from '../../rules/definitions/alarm-ids.js';
import type { InterlockStatus } from '../../rules/interlocks/types.js';
import type { ResolvedAlarm } from '../../rules/model.js';
import type { InterlockConfig } from '../config/safety-schema.js';
import type { Clock } from '../clock/clock.js';
import type { Reading } from '../readings.js';

/**
 * A failed interlock raises its own fault alarm (issue 3: "a failed interlock raises its own
 * fault alarm"): id "interlock/<name>", class fault, high priority. It is an ordinary state
 * alarm on a point the gateway itself supplies — device "interlock", point "<name>", whose value
 * is the interlock's state (the alarm is active while it is "failed") — so it goes through the same engine, journal, annunciator (fault
 * pattern) and API as every other alarm; nothing about it is special-cased.
 */
export function interlockFaultAlarms(interlocks: readonly InterlockConfig[]): ResolvedAlarm[] {
  return interlocks.map((il) => ({
    id: `${INTERLOCK_SCOPE}/${il.name}`,
    device: INTERLOCK_SCOPE,
    def: {
      kind: 'state',
      name: il.name,
      point: il.name,
      description: `Interlock ${il.name} failed: its action could not be confirmed (${il.description})`,
      priority: 'high',
      class: 'fault',
      latch: false,
      activeWhen: ['failed'],
      onDelayMs: 0,
      offDelayMs: 0,
      enabled: true,
    },
  }));
}

/** The reading that tells the engine whether an interlock is failed. */
export function interlockFaultReading(status: InterlockStatus, clock: Clock): Reading {
  return { device: INTERLOCK_SCOPE, point: status.name, value: status.state, quality: 'good', ts: clock.now(), clockTrusted: clock.isTrusted() };
}
