/**
 * SIGKILL of the gateway in a loop: a power cut as the process sees it, N times. Each round
 * starts `vigil run` (through `spawn`), lets it run for a random time drawn from `liveMs`
 * (seeded: the same kill points on every run), kills it with SIGKILL and waits for it to be
 * gone. A gateway that exits by itself before its kill is a crash: it is counted and its last
 * output kept, never retried silently.
 *
 * Bounded: `kills` rounds of at most liveMs[1] + 10 s each.
 */
import { sleep, type Tracked } from '../../bench/support/proc.js';

export interface KillLoopPlan {
  kills: number;
  /** How long each incarnation runs before its SIGKILL: a uniform draw in [min, max] ms. */
  liveMs: readonly [number, number];
  random: () => number;
  /** Starts one gateway process. */
  spawn(): Tracked;
  /** Called after each kill (e.g. to log progress). */
  onKill?(round: number): void;
}

export interface KillLoopResult {
  kills: number;
  /** Gateways that exited on their own before their kill (crashes), with their last output. */
  crashes: Array<{ round: number; code: number | null; output: string }>;
  /** Wall time of the whole loop, ms. */
  elapsedMs: number;
}

export async function killLoop(plan: KillLoopPlan): Promise<KillLoopResult> {
  if (!Number.isInteger(plan.kills) || plan.kills < 1) throw new Error(`kill loop: kills must be an integer ≥ 1, got ${plan.kills}`);
  const [min, max] = plan.liveMs;
  if (!(min >= 0 && max >= min)) throw new Error(`kill loop: liveMs must be [min, max] with 0 ≤ min ≤ max, got [${min}, ${max}]`);
  const t0 = performance.now();
  const crashes: KillLoopResult['crashes'] = [];
  let kills = 0;
  for (let round = 1; round <= plan.kills; round++) {
    const gw = plan.spawn();
    const live = min + plan.random() * (max - min);
    const early = await Promise.race([gw.exited.then((code) => ({ code })), sleep(live).then(() => null)]);
    if (early) {
      crashes.push({ round, code: early.code, output: gw.output().slice(-2_000) });
      continue;
    }
    gw.child.kill('SIGKILL');
    const gone = await Promise.race([gw.exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!gone) throw new Error(`kill loop: round ${round}: the gateway (pid ${gw.child.pid}) still runs 10 s after SIGKILL`);
    kills++;
    plan.onKill?.(round);
  }
  return { kills, crashes, elapsedMs: performance.now() - t0 };
}
