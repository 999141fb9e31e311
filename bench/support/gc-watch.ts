/**
 * Garbage-collection pauses of this process, on the performance.now() timeline, so a latency
 * bench can say whether its worst samples coincided with a collection (and how long it was)
 * rather than leave an outlier unexplained. Node reports each GC as a 'gc' performance entry.
 */
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';

export interface GcPause {
  start: number;
  durationMs: number;
}

export interface GcWatch {
  /** Pauses seen so far, oldest first. */
  pauses(): readonly GcPause[];
  /** The longest pause overlapping [from, to] (ms on the performance.now() timeline), or null. */
  worstWithin(from: number, to: number): GcPause | null;
  stop(): void;
}

export function watchGc(): GcWatch {
  const seen: GcPause[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries() as PerformanceEntry[]) seen.push({ start: e.startTime, durationMs: e.duration });
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    pauses: () => seen,
    worstWithin: (from, to) => worstOverlap(seen, from, to),
    stop: () => observer.disconnect(),
  };
}

/** The longest pause that overlaps [from, to]. */
export function worstOverlap(pauses: readonly GcPause[], from: number, to: number): GcPause | null {
  let worst: GcPause | null = null;
  for (const p of pauses) {
    if (p.start <= to && p.start + p.durationMs >= from && (worst === null || p.durationMs > worst.durationMs)) worst = p;
  }
  return worst;
}
