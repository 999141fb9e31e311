import type { Condition, ConditionSample, RawCondition } from './condition.js';

/**
 * Fault alarms judged from a reading's quality alone. They never return 'unknown': a fault
 * alarm that could not decide would hide exactly the fault it exists to report.
 *
 * - quality: active while the point's quality is not good (bad value, comm-fault, stale).
 * - communication: active while the witness point's readings are comm-fault (the device did
 *   not answer). A device that answers with an exception or a bad value is communicating; a
 *   `stale` placeholder says nothing about communication and leaves the condition as it was.
 *
 * Before the first reading both are inactive: the poller delivers a reading (comm-fault if
 * the device is silent) within one poll period, and the stale alarm covers a poller that
 * never delivers.
 */
export class QualityCondition implements Condition {
  private last = false;

  update(sample: ConditionSample): RawCondition {
    this.last = sample.quality !== 'good';
    return this.last;
  }

  poll(_mono: number): { condition: RawCondition; nextPollAt: number | null } {
    return { condition: this.last, nextPollAt: null };
  }
}

export class CommunicationCondition implements Condition {
  private last = false;

  update(sample: ConditionSample): RawCondition {
    if (sample.quality !== 'stale') this.last = sample.quality === 'comm-fault';
    return this.last;
  }

  poll(_mono: number): { condition: RawCondition; nextPollAt: number | null } {
    return { condition: this.last, nextPollAt: null };
  }
}
