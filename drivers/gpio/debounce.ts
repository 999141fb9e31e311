import type { Level } from './gpio.js';

/**
 * Software debounce for a push button or key switch: a new level is accepted once it has held
 * for `ms` without another edge; a bounce back to the accepted level within `ms` cancels it.
 * Shared by the virtual and the gpiod drivers so a button behaves the same on the bench and in CI.
 * Timers are the global ones (vi fake timers drive them in tests).
 */
export class Debouncer {
  private stable: Level;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    initial: Level,
    private readonly ms: number,
    private readonly onChange: (level: Level) => void,
  ) {
    this.stable = initial;
  }

  /** The accepted (debounced) level. */
  get level(): Level {
    return this.stable;
  }

  /** A raw sample or edge: the line now reads `level`. */
  sample(level: Level): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (level === this.stable) return; // bounced back: nothing changed
    if (this.ms === 0) {
      this.accept(level);
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.accept(level);
    }, this.ms);
  }

  /** Set the accepted level without reporting it (the level read at start-up is not a press). */
  reset(level: Level): void {
    this.dispose();
    this.stable = level;
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private accept(level: Level): void {
    this.stable = level;
    this.onChange(level);
  }
}
