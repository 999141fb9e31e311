import type { Condition, ConditionSample, RawCondition } from './condition.js';
import { judgeable } from './judge.js';

/**
 * A device's own status: active while a bool point is one of `activeWhen` (true/false) or an
 * enumeration point shows one of the listed labels — the detector's alarm and fault flags, a
 * panel's fire bit. A reading that cannot be judged (no value, comm-fault, an unknown enum
 * code decoded as null) is 'unknown'; a number on a state alarm is a definition error the
 * semantic pass rejects, and is 'unknown' here too.
 */
export class StateCondition implements Condition {
  private last: RawCondition = 'unknown';
  private readonly activeWhen: ReadonlySet<boolean | string>;

  constructor(activeWhen: readonly (boolean | string)[]) {
    this.activeWhen = new Set(activeWhen);
  }

  update(sample: ConditionSample): RawCondition {
    const v = sample.value;
    this.last = judgeable(sample) && (typeof v === 'boolean' || typeof v === 'string') ? this.activeWhen.has(v) : 'unknown';
    return this.last;
  }

  poll(_mono: number): { condition: RawCondition; nextPollAt: number | null } {
    return { condition: this.last, nextPollAt: null };
  }
}
