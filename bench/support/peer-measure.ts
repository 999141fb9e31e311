/**
 * One contender's figures over a measured window, taken the same way for Vigil and the peer:
 * CPU seconds (utime + stime of the process, all its threads, from /proc/<pid>/stat), VmRSS
 * sampled through the window, readings that arrived at the broker (a subscriber in its own
 * process counts the readings[] of each message) and Modbus requests the simulated devices
 * received.
 */
import { join } from 'node:path';
import { median } from '../table.js';
import { cpuSeconds, distRoot, rssBytes, sleep, spawnTracked, stopChild, type Tracked } from './proc.js';

export interface Measured {
  seconds: number;
  cpuSeconds: number;
  readings: number;
  messages: number;
  transactions: number;
  rssMedianBytes: number;
  rssMaxBytes: number;
  rssSamples: number;
}

interface SubCounts {
  messages: number;
  readings: number;
}

/**
 * A counting process speaking the subscriber protocol: a broker subscriber
 * (support/subscriber-process.ts) counting readings on `topic` (wildcards allowed), or the
 * floor poller (support/peer-floor-process.ts), which is itself the measured contender.
 */
export class ReadingCounter {
  private constructor(private readonly proc: Tracked) {}

  static start(brokerUrl: string, topic: string): Promise<ReadingCounter> {
    // The seq bookkeeping is sized by the last argument; only the counts are used here.
    return ReadingCounter.spawn([join(distRoot, 'bench', 'support', 'subscriber-process.js'), brokerUrl, topic, '1000000']);
  }

  static startFloor(modbusPort: number, readsFile: string, pollMs: number): Promise<ReadingCounter> {
    return ReadingCounter.spawn([join(distRoot, 'bench', 'support', 'peer-floor-process.js'), String(modbusPort), readsFile, String(pollMs)]);
  }

  private static async spawn(args: string[]): Promise<ReadingCounter> {
    const proc = spawnTracked(args);
    try {
      await proc.waitForLine(/SUB_READY/, 10_000);
    } catch (e) {
      await stopChild(proc);
      throw e;
    }
    return new ReadingCounter(proc);
  }

  /** The counting process itself (the floor contender is measured through it). */
  get tracked(): Tracked {
    return this.proc;
  }

  async counts(): Promise<SubCounts> {
    const wait = this.proc.waitForLine(/SUB_REPORT (\{.*\})\n/, 5_000);
    this.proc.child.stdin!.write('report\n');
    return JSON.parse((await wait)[1]!) as SubCounts;
  }

  /** Resolves once readings arrive (the contender is polling and publishing); rejects after timeoutMs or once `failure()` says why not. */
  async waitForReadings(timeoutMs: number, failure: () => string | null): Promise<void> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      if ((await this.counts()).readings > 0) return;
      const dead = failure();
      if (dead !== null) throw new Error(dead);
      if (performance.now() > until) throw new Error(`no readings reached the broker within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }

  stop(): Promise<void> {
    return stopChild(this.proc);
  }
}

export interface WindowOptions {
  pid: number;
  counter: ReadingCounter;
  transactions: () => number;
  windowMs: number;
  sampleEveryMs: number;
  /** Why the contender cannot be measured (it exited), or null while it runs. */
  failure: () => string | null;
}

export async function measureWindow(o: WindowOptions): Promise<Measured> {
  const c0 = await o.counter.counts();
  const tx0 = o.transactions();
  const cpu0 = cpuSeconds(o.pid);
  const t0 = performance.now();
  const rss: number[] = [];
  while (performance.now() - t0 < o.windowMs) {
    const r = rssBytes(o.pid);
    if (r === null || o.failure() !== null) throw new Error(o.failure() ?? `process ${o.pid} exited during the measured window`);
    rss.push(r);
    await sleep(o.sampleEveryMs);
  }
  const cpu1 = cpuSeconds(o.pid);
  const tx1 = o.transactions();
  const seconds = (performance.now() - t0) / 1000;
  const c1 = await o.counter.counts();
  if (cpu0 === null || cpu1 === null) throw new Error(`process ${o.pid}: no /proc/${o.pid}/stat`);
  return {
    seconds,
    cpuSeconds: cpu1 - cpu0,
    readings: c1.readings - c0.readings,
    messages: c1.messages - c0.messages,
    transactions: tx1 - tx0,
    rssMedianBytes: median(rss),
    rssMaxBytes: Math.max(...rss),
    rssSamples: rss.length,
  };
}
