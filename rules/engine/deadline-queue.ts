/**
 * The engine's timers: on/off-delay expiries, condition polls (stale values, rate windows),
 * shelve expiries and the flood check — thousands of them on a big site, so not one setTimeout
 * each but a min-heap of deadlines (monotonic ms) behind ONE unref'd timer, armed for the
 * earliest (DeadlineTimer below).
 *
 * Entries are never removed when a deadline moves: the owner keeps the deadline it currently
 * wants, and an entry whose `due` no longer matches it is skipped when it comes up (`isCurrent`).
 * That keeps rescheduling O(log n) with no search; a stale entry costs one pop later.
 */
export interface Deadline<T> {
  due: number;
  target: T;
}

export class DeadlineQueue<T> {
  private readonly heap: Deadline<T>[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(due: number, target: T): void {
    const h = this.heap;
    h.push({ due, target });
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((h[parent] as Deadline<T>).due <= due) break;
      [h[i], h[parent]] = [h[parent] as Deadline<T>, h[i] as Deadline<T>];
      i = parent;
    }
  }

  /** The earliest due time, or null when empty. */
  peekDue(): number | null {
    return this.heap[0]?.due ?? null;
  }

  /** Removes and returns the earliest entry if it is due at `now`. */
  popDue(now: number): Deadline<T> | null {
    const h = this.heap;
    const top = h[0];
    if (!top || top.due > now) return null;
    const last = h.pop() as Deadline<T>;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && (h[l] as Deadline<T>).due < (h[m] as Deadline<T>).due) m = l;
        if (r < h.length && (h[r] as Deadline<T>).due < (h[m] as Deadline<T>).due) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Deadline<T>, h[i] as Deadline<T>];
        i = m;
      }
    }
    return top;
  }
}

/**
 * One setTimeout for the earliest deadline. setTimeout counts in real time and the deadlines in
 * the clock's monotonic time; the callback re-reads the clock and re-arms if it woke early.
 */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | null = null;
  private armedFor: number | null = null;

  constructor(
    private readonly monotonic: () => number,
    private readonly onDue: () => void,
  ) {}

  /** Make sure the timer wakes no later than `due` (monotonic ms); null: nothing to wait for. */
  ensure(due: number | null): void {
    if (due === null) return;
    if (this.armedFor !== null && this.armedFor <= due) return;
    this.cancel();
    // ≥ 1 ms: a deadline already passed is handled by the caller's own loop, and a 0 ms timer
    // re-armed from its own callback would spin.
    const delay = Math.min(Math.max(1, Math.ceil(due - this.monotonic())), 2_147_483_647);
    this.armedFor = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = null;
      this.onDue();
    }, delay);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
  }
}
