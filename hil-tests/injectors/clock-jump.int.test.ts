import { describe, expect, it } from 'vitest';
import { SystemClock } from '../../gateway/clock/system-clock.js';
import { waitUntil } from '../../gateway/forward/testing/broker.js';
import { siteWithBroker } from '../../gateway/runtime/testing/site-under-test.js';
import { JumpingClock } from './jumping-clock.js';

const HOUR = 3_600_000;

/**
 * Wall-clock jumps under a running gateway (an NTP step forward, then back): readings carry the
 * jumped wall time, while polling — which runs on monotonic time — goes on at the same rate.
 */
describe('wall-clock jumps', () => {
  it('stamps readings with the stepped wall time and keeps polling at the configured rate', async () => {
    const { broker, site } = await siteWithBroker({ pollMs: 100 });
    const clock = new JumpingClock(new SystemClock({ trust: 'always' }));
    await site.startGateway({ clock });
    const gas1 = () =>
      broker.published
        .filter((m) => m.topic.endsWith('/telemetry'))
        .flatMap((m) => m.json<{ readings: Array<{ device: string; point: string; ts: number; seq: number }> }>().readings)
        .filter((r) => r.device === 'gas-1' && r.point === 'gas_lel');
    await waitUntil(() => gas1().length > 5, 10_000, 'gas-1 readings');

    const pollsIn = async (ms: number): Promise<number> => {
      const before = gas1().length;
      await new Promise((r) => setTimeout(r, ms));
      return gas1().length - before;
    };
    const steady = await pollsIn(2_000);

    clock.jump(HOUR);
    const afterForward = Date.now();
    await waitUntil(() => gas1().some((r) => r.ts > afterForward + HOUR - 1_000), 5_000, 'a reading stamped an hour ahead');
    const forward = await pollsIn(2_000);

    clock.jump(-2 * HOUR);
    const afterBack = Date.now();
    await waitUntil(() => gas1().some((r) => r.ts < afterBack - HOUR + 5_000 && r.ts > afterBack - HOUR - 1_000), 5_000, 'a reading stamped an hour behind');
    const back = await pollsIn(2_000);

    // ≈ 10 polls/s at pollMs 100 on a loaded machine; a stalled or doubled schedule would be far off
    expect(steady).toBeGreaterThan(5);
    for (const n of [forward, back]) {
      expect(n).toBeGreaterThan(steady * 0.6);
      expect(n).toBeLessThan(steady * 1.6 + 2);
    }
    // seqs keep increasing whatever the wall clock does: the cloud orders by seq, not ts
    const seqs = gas1().map((r) => r.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });
});
