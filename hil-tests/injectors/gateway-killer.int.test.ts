import { describe, expect, it } from 'vitest';
import { spawnTracked } from '../../bench/support/proc.js';
import { seededRandom } from '../../drivers/serial/specs/gb26875-synthetic.js';
import { killLoop } from './gateway-killer.js';

// Stand-ins for `vigil run`: a process that runs until killed, and one that dies by itself.
const RUNS = ['-e', 'setInterval(() => {}, 1_000)'];
const DIES = ['-e', 'process.exit(3)'];

describe('kill loop (SIGKILL injector)', () => {
  it('kills each incarnation with SIGKILL after a seeded random time, and waits for it to be gone', async () => {
    const spawned: ReturnType<typeof spawnTracked>[] = [];
    const r = await killLoop({
      kills: 3,
      liveMs: [50, 150],
      random: seededRandom(1),
      spawn: () => {
        const t = spawnTracked(RUNS);
        spawned.push(t);
        return t;
      },
    });
    expect(r.kills).toBe(3);
    expect(r.crashes).toEqual([]);
    expect(spawned.map((t) => t.child.signalCode)).toEqual(['SIGKILL', 'SIGKILL', 'SIGKILL']);
    for (const t of spawned) expect(() => process.kill(t.child.pid!, 0)).toThrow(); // gone
  });

  it('counts a process that exits before its kill as a crash, with its exit code', async () => {
    const r = await killLoop({ kills: 2, liveMs: [2_000, 2_000], random: () => 0, spawn: () => spawnTracked(DIES) });
    expect(r.kills).toBe(0);
    expect(r.crashes.map((c) => [c.round, c.code])).toEqual([
      [1, 3],
      [2, 3],
    ]);
  });

  it('refuses a plan it cannot carry out', async () => {
    await expect(killLoop({ kills: 0, liveMs: [1, 2], random: Math.random, spawn: () => spawnTracked(RUNS) })).rejects.toThrow(/kills must be an integer ≥ 1, got 0/);
    await expect(killLoop({ kills: 1, liveMs: [5, 2], random: Math.random, spawn: () => spawnTracked(RUNS) })).rejects.toThrow(/0 ≤ min ≤ max, got \[5, 2\]/);
  });
});
