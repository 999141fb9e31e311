import type { Clock } from '../../gateway/clock/clock.js';
import type { EventSeverity, JournalEntry } from '../../gateway/store/store.js';

/** Schedules journal under "schedule:<name>" (a maintenance window's name, "self-test", "daily-summary"). */
export const scheduleSubject = (name: string): string => `schedule:${name}`;

export function scheduleEntry(clock: Clock, name: string, type: string, severity: EventSeverity, message: string, data: Record<string, unknown> = {}): JournalEntry {
  return {
    subject: scheduleSubject(name),
    event: { type, severity, ts: clock.now(), clockTrusted: clock.isTrusted(), message, data: { schedule: name, ...data } },
  };
}
