/**
 * Timers a transport has scheduled (delayed answers of 'slow' devices), so closing the
 * transport cancels them all — no answer may fire into a closed socket or port, and no timer
 * may keep a finished test process alive.
 */
export class TimerSet {
  private readonly timers = new Set<NodeJS.Timeout>();

  after(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  clear(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
