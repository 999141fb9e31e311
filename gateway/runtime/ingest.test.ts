import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reading, StoredReading } from '../readings.js';
import type { Store } from '../store/store.js';
import { COMMIT_WINDOW_MS, IngestBatcher } from './ingest.js';

function reading(i: number): Reading {
  return { device: 'gas-1', point: 'gas_lel', value: i, unit: '%LEL', quality: 'good', ts: 1_700_000_000_000 + i, clockTrusted: true };
}

/** A store whose appendReadings can be made to fail, recording every committed batch. */
function fakeStore() {
  const batches: Reading[][] = [];
  let failing = false;
  let seq = 0;
  const store = {
    appendReadings: vi.fn(async (rs: readonly Reading[]): Promise<StoredReading[]> => {
      if (failing) throw new Error('SQLITE_FULL: database or disk is full');
      batches.push([...rs]);
      return rs.map((r) => ({ ...r, seq: ++seq }));
    }),
  } as unknown as Store;
  return { store, batches, setFailing: (f: boolean) => (failing = f) };
}

describe('IngestBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does not touch the store on the caller’s turn, and commits what arrives within one window in one transaction', async () => {
    const { store, batches } = fakeStore();
    const committed: StoredReading[] = [];
    const ingest = new IngestBatcher({ store, onCommitted: (s) => committed.push(...s), onError: () => undefined });
    ingest.push([reading(1), reading(2)]);
    expect(store.appendReadings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS - 100); // later poll responses, later turns
    ingest.push([reading(3)]);
    expect(ingest.pending()).toBe(3);
    await vi.advanceTimersByTimeAsync(99);
    expect(store.appendReadings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1); // the window opened by reading 1 ends: not extended by reading 3
    expect(batches).toEqual([[reading(1), reading(2), reading(3)]]);
    expect(committed.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(ingest.pending()).toBe(0);
  });

  it('opens a new window for what arrives after a commit', async () => {
    const { store, batches } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined });
    ingest.push([reading(1)]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS);
    ingest.push([reading(2)]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS - 1);
    expect(batches).toEqual([[reading(1)]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[reading(1)], [reading(2)]]);
  });

  it('commits at once, without waiting out the window, when a full transaction is pending', async () => {
    const { store, batches } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined, maxBatch: 3 });
    ingest.push([reading(1)]);
    ingest.push([reading(2), reading(3), reading(4)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 2, 3]]);
    // The rest would not fill a transaction: it waits for its window instead of going out alone.
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS - 1);
    expect(batches).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 2, 3], [4]]);
  });

  it('with a window of 0 commits one turn’s readings on the next turn', async () => {
    const { store, batches } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined, commitWindowMs: 0 });
    ingest.push([reading(1), reading(2)]);
    ingest.push([reading(3)]);
    expect(store.appendReadings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[reading(1), reading(2), reading(3)]]);
  });

  it('drain() commits what waits for its window at once', async () => {
    const { store, batches } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined });
    ingest.push([reading(1)]);
    await ingest.drain();
    expect(batches).toEqual([[reading(1)]]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS * 2);
    expect(batches).toHaveLength(1); // the window's timer was cancelled, nothing committed twice
  });

  it('refuses a negative commit window', () => {
    const { store } = fakeStore();
    expect(() => new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined, commitWindowMs: -1 })).toThrow(/commit window must be a number of ms >= 0, got -1/);
  });

  it('keeps readings while the store fails and commits them, in order, once it recovers', async () => {
    const { store, batches, setFailing } = fakeStore();
    const errors: unknown[] = [];
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: (e) => errors.push(e), retryMs: 1_000 });
    setFailing(true);
    ingest.push([reading(1)]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS);
    ingest.push([reading(2)]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS);
    expect(errors).toHaveLength(1); // the retry (after 1 s) is not due yet: reading 2 waits for it
    expect(String(errors[0])).toContain('disk is full');
    expect(ingest.pending()).toBe(2);
    setFailing(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches.flat().map((r) => r.value)).toEqual([1, 2]);
    expect(ingest.dropped()).toBe(0);
  });

  it('drops the oldest and counts them when the store has been failing past the memory limit', async () => {
    const { store, batches, setFailing } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined, maxPending: 3, retryMs: 1_000 });
    setFailing(true);
    ingest.push([reading(1), reading(2)]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS);
    ingest.push([reading(3), reading(4), reading(5)]);
    expect(ingest.dropped()).toBe(2);
    setFailing(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(batches.flat().map((r) => r.value)).toEqual([3, 4, 5]);
  });

  it('splits a large backlog into transactions of maxBatch, preserving order', async () => {
    const { store, batches } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined, maxBatch: 2 });
    ingest.push([1, 2, 3, 4, 5].map(reading));
    await ingest.drain();
    expect(batches.map((b) => b.map((r) => r.value))).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('after drain() and close() on a failing store, nothing tries the store again (no orphaned retry timer)', async () => {
    const { store, setFailing } = fakeStore();
    const ingest = new IngestBatcher({ store, onCommitted: () => undefined, onError: () => undefined, retryMs: 1_000 });
    setFailing(true);
    ingest.push([reading(1)]);
    await vi.advanceTimersByTimeAsync(COMMIT_WINDOW_MS); // first attempt fails and arms a retry
    ingest.push([reading(2)]); // a flush scheduled just before shutdown
    await ingest.drain(); // shutdown's one last attempt
    ingest.close();
    const attempts = vi.mocked(store.appendReadings).mock.calls.length;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(vi.mocked(store.appendReadings).mock.calls.length).toBe(attempts);
    expect(ingest.pending()).toBe(2);
  });
});
