import type { Clock } from '../clock/clock.js';
import type { Metrics } from '../health/metrics.js';
import type { GatewayEvent, Store, StoreStats } from '../store/store.js';

export interface BookkeepingOptions {
  store: Pick<Store, 'stats'>;
  metrics: Metrics;
  clock: Clock;
  emitEvent(event: GatewayEvent): void;
  /** The store's stats before the first poll: every eviction after it is reported (the count itself persists). */
  initialStats: StoreStats;
  /** Readings the ingest batcher had to drop since start. */
  dropped(): number;
  /** The last store error, for the store.dropped event; set when stats() itself fails. */
  storeError(): string | undefined;
  onStoreFailed(error: string): void;
  /** Everything else the tick refreshes (poll overruns, safety metrics). */
  onTick(): void;
  intervalMs: number;
}

/**
 * Periodic bookkeeping, off the alarm path: store stats → metrics, evictions and dropped readings
 * → events (never silent, DESIGN.md principle 3), clock trust changes → events. Returns the
 * function that stops it.
 */
export function startBookkeeping(opts: BookkeepingOptions): () => void {
  const { store, metrics, clock, emitEvent } = opts;
  const event = (e: Omit<GatewayEvent, 'ts' | 'clockTrusted'>): void => emitEvent({ ...e, ts: clock.now(), clockTrusted: clock.isTrusted() });
  let lastEvicted = opts.initialStats.evicted;
  let droppedReported = 0;
  let clockTrusted = clock.isTrusted();
  const timer = setInterval(() => {
    void store
      .stats()
      .then((s) => {
        metrics.setStoreStats(s);
        if (s.evicted > lastEvicted) {
          event({ type: 'store.evicted', severity: 'warning', message: `outbox budget reached: ${s.evicted - lastEvicted} oldest telemetry readings evicted (${s.evicted} in total)`, data: { evicted: s.evicted - lastEvicted, total: s.evicted, budgetBytes: s.budgetBytes } });
        }
        lastEvicted = s.evicted;
      })
      .catch((e: unknown) => {
        opts.onStoreFailed(e instanceof Error ? e.message : String(e));
        metrics.setStoreFailed();
      });
    const dropped = opts.dropped();
    if (dropped > droppedReported) {
      metrics.readingsDropped(dropped - droppedReported);
      const error = opts.storeError();
      event({ type: 'store.dropped', severity: 'fault', message: `${dropped - droppedReported} readings could not be committed and were dropped (${dropped} since start): the store has been failing`, data: { dropped: dropped - droppedReported, total: dropped, ...(error ? { error } : {}) } });
      droppedReported = dropped;
    }
    opts.onTick();
    const trusted = clock.isTrusted();
    metrics.setClockTrusted(trusted);
    if (trusted !== clockTrusted) {
      clockTrusted = trusted;
      event({ type: trusted ? 'clock.trusted' : 'clock.untrusted', severity: trusted ? 'info' : 'warning', message: trusted ? 'wall clock synchronised; timestamps are trustworthy from now on' : 'wall clock lost synchronisation; readings are flagged clockTrusted=false' });
    }
  }, opts.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
