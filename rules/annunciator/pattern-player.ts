import type { Pattern } from './patterns.js';

/**
 * Plays a Pattern on one output: applies each segment's level and schedules the next with the
 * global setTimeout (vi fake timers drive it in tests). Playing the pattern already playing
 * changes nothing, so recomputing demand on every alarm transition does not restart a flash
 * mid-cycle; a different pattern starts at once from its first segment — a new fire alarm is
 * seen and heard in the same turn as the transition that raised it.
 */
export class PatternPlayer {
  private current: Pattern | null = null;
  private index = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private applied: boolean | null = null;

  constructor(private readonly apply: (on: boolean) => void) {}

  /** The pattern playing (null after stop()). */
  get pattern(): Pattern | null {
    return this.current;
  }

  play(pattern: Pattern): void {
    if (this.current === pattern) return;
    this.stop();
    this.current = pattern;
    this.index = 0;
    this.step();
  }

  /** Stops scheduling; the output keeps its last level. */
  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.current = null;
  }

  /** Forget the last level applied, so the next segment writes even if it is the same (after a failsafe hold). */
  invalidate(): void {
    this.applied = null;
  }

  private step(): void {
    const pattern = this.current;
    if (!pattern) return;
    const seg = pattern.segments[this.index];
    if (!seg) return;
    if (this.applied !== seg.on) {
      this.applied = seg.on;
      this.apply(seg.on);
    }
    if (!Number.isFinite(seg.ms)) return;
    this.index = (this.index + 1) % pattern.segments.length;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.step();
    }, seg.ms);
  }
}
