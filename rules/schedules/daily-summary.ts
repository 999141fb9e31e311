/**
 * The daily summary event: what the duty staff and the platform need to see once a day (ISA-18.2
 * KPIs, standards.md §6/§9: alarm counts, standing, shelved and out-of-service alarms, floods
 * and chattering).
 */
import type { AlarmSnapshot, AlarmTransition } from '../model.js';
import { PRIORITIES, type Priority } from '../definitions/schema.js';

export interface AlarmCounts {
  total: number;
  /** Condition present now (whatever the annunciation state). */
  conditionActive: number;
  unacknowledged: number;
  acknowledged: number;
  rtnUnacknowledged: number;
  latched: number;
  shelved: number;
  suppressed: number;
  outOfService: number;
}

export function currentCounts(alarms: readonly AlarmSnapshot[]): AlarmCounts {
  const n = (f: (a: AlarmSnapshot) => boolean): number => alarms.filter(f).length;
  return {
    total: alarms.length,
    conditionActive: n((a) => a.conditionActive),
    unacknowledged: n((a) => a.state === 'unacknowledged'),
    acknowledged: n((a) => a.state === 'acknowledged'),
    rtnUnacknowledged: n((a) => a.state === 'rtn-unacknowledged'),
    latched: n((a) => a.state === 'latched'),
    shelved: n((a) => a.state === 'shelved'),
    suppressed: n((a) => a.state === 'suppressed'),
    outOfService: n((a) => a.state === 'out-of-service'),
  };
}

export interface Activations {
  /** Wall ms the count starts from: the previous summary, or when the gateway started. */
  since: number;
  total: number;
  byPriority: Record<Priority, number>;
}

/**
 * Counts activations (the 'activate' transitions, shelved or suppressed alarms included) between
 * summaries. In memory: after a restart the count starts again, and `since` says so — the lead's
 * summary() callback can add the journal's figures for the full 24 h.
 */
export class ActivationCounter {
  private since: number;
  private byPriority = zero();

  constructor(since: number) {
    this.since = since;
  }

  note(t: AlarmTransition): void {
    if (t.event === 'activate') this.byPriority[t.priority]++;
  }

  /** The counts so far, and start again from `now`. */
  take(now: number): Activations {
    const out = { since: this.since, total: PRIORITIES.reduce((s, p) => s + this.byPriority[p], 0), byPriority: this.byPriority };
    this.since = now;
    this.byPriority = zero();
    return out;
  }
}

function zero(): Record<Priority, number> {
  return { critical: 0, high: 0, medium: 0, low: 0 };
}

export function summaryMessage(a: Activations, c: AlarmCounts): string {
  const byPriority = PRIORITIES.filter((p) => a.byPriority[p] > 0).map((p) => `${a.byPriority[p]} ${p}`);
  return (
    `daily summary: ${a.total} alarm activation(s) since ${new Date(a.since).toISOString()}${byPriority.length ? ` (${byPriority.join(', ')})` : ''}; ` +
    `now ${c.conditionActive} active, ${c.unacknowledged + c.rtnUnacknowledged} unacknowledged, ${c.latched} latched, ` +
    `${c.shelved} shelved, ${c.suppressed} suppressed, ${c.outOfService} out of service (of ${c.total})`
  );
}
