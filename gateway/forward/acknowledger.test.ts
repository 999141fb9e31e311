import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store.js';
import type { Store } from '../store/store.js';
import { Acknowledger } from './acknowledger.js';
import { readings } from './testing/fixtures.js';

/** A MemoryStore whose acknowledge() fails the first `failures` times (an SD card hiccup). */
async function flakyStore(failures: number): Promise<Store> {
  const inner = new MemoryStore({ budgetBytes: 1024 * 1024 });
  await inner.open();
  let left = failures;
  return Object.assign(Object.create(inner) as Store, {
    acknowledge: async (seqs: readonly number[]) => {
      if (left-- > 0) throw new Error('disk I/O error');
      return inner.acknowledge(seqs);
    },
  });
}

describe('Acknowledger', () => {
  it('deletes acknowledged records and guards them from resending until the store has', async () => {
    const st = await flakyStore(0);
    await st.appendReadings(readings(3));
    const acks = new Acknowledger(st, () => {});
    acks.acknowledge([1, 2]);
    expect(acks.has(1)).toBe(true);
    await acks.settled();
    expect(acks.has(1)).toBe(false);
    expect((await st.stats()).depth.telemetry).toBe(1);
  });

  it('keeps a failed store.acknowledge, reports it, and retries until it commits', async () => {
    const st = await flakyStore(1);
    await st.appendReadings(readings(2));
    const errors: unknown[] = [];
    const acks = new Acknowledger(st, (e) => errors.push(e));
    acks.acknowledge([1, 2]);
    await acks.settled();
    expect(errors).toHaveLength(1);
    expect(acks.has(1) && acks.has(2)).toBe(true); // still never to be resent
    expect((await st.stats()).depth.telemetry).toBe(2);
    acks.retry();
    await acks.settled();
    expect(acks.has(1) || acks.has(2)).toBe(false);
    expect((await st.stats()).depth.telemetry).toBe(0);
  });

  it('deletes the acknowledgements that arrive while a delete is in flight together, in one store call', async () => {
    const st = await flakyStore(0);
    await st.appendReadings(readings(5));
    const calls: number[][] = [];
    const counting = Object.assign(Object.create(st) as Store, {
      acknowledge: (seqs: readonly number[]) => {
        calls.push([...seqs]);
        return st.acknowledge(seqs);
      },
    });
    const acks = new Acknowledger(counting, () => {});
    acks.acknowledge([1]);
    acks.acknowledge([2, 3]);
    acks.acknowledge([4]);
    expect(acks.has(4)).toBe(true);
    await acks.settled();
    expect(calls).toEqual([[1], [2, 3, 4]]);
    expect(acks.has(2) || acks.has(4)).toBe(false);
    expect((await st.stats()).depth.telemetry).toBe(1);
  });
});
