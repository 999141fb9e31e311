import type { AlarmInstance } from './alarm-instance.js';

/**
 * k-out-of-n voting (GB 16808-2025 "two or more alarm signals to confirm"; interlocks on 2oo3
 * detectors): a counted alarm trips the vote while its condition (after delays) is active — or,
 * with faultCounts, while its detector is in fault: a detector that cannot see is not assumed to
 * see clean air (rules/definitions/schema.ts VoteAlarmSchema). A detector with no reading yet
 * (just after start) is not in fault: the stale and communication alarms cover one that never
 * answers, and a start-up must not trip every vote and close every valve.
 */
export function countVotes(vote: AlarmInstance): { count: number; text: string } {
  const faultCounts = vote.def.kind === 'vote' && vote.def.faultCounts;
  let count = 0;
  const tripped: string[] = [];
  for (const input of vote.inputs) {
    if (input.conditionActive) {
      count++;
      tripped.push(input.id);
    } else if (faultCounts && input.inFault()) {
      count++;
      tripped.push(`${input.id} (in fault)`);
    }
  }
  return { count, text: `${count} of ${vote.inputs.length} tripped${tripped.length > 0 ? ` (${tripped.join(', ')})` : ''}` };
}
