/**
 * Progress of a sweep for the installer: on a terminal one bar redrawn in place; into a pipe or a
 * log, a plain line at most every `lineEveryMs` and at every change of line setting. Both show
 * the estimated time left, from the pace so far (mostly timeouts, so it is steady).
 */
import type { LineSetting } from './plan.js';
import { describeSetting } from './plan.js';
import type { SweepProgress } from './sweep.js';

export interface ProgressSink {
  write(text: string): void;
  readonly isTTY: boolean;
}

const BAR_WIDTH = 24;

export function formatDuration(ms: number): string {
  if (ms < 1000) return '< 1 s';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Estimated time left, or undefined before there is a pace to go by. */
export function estimateLeftMs(p: SweepProgress): number | undefined {
  if (p.done < 2 || p.elapsedMs <= 0) return undefined;
  return ((p.total - p.done) * p.elapsedMs) / p.done;
}

const where = (s: LineSetting | undefined) => (s ? describeSetting(s) : 'tcp');

export function progressLine(p: SweepProgress): string {
  const pct = Math.floor((100 * p.done) / Math.max(1, p.total));
  const left = estimateLeftMs(p);
  return `${where(p.setting)} unit ${p.unit} · ${p.done}/${p.total} probes (${pct}%) · ${p.found} found${left === undefined ? '' : ` · ≤ ${formatDuration(left)} left`}`;
}

export function progressBar(p: SweepProgress): string {
  const filled = Math.round((BAR_WIDTH * p.done) / Math.max(1, p.total));
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${progressLine(p)}`;
}

export function createProgress(sink: ProgressSink, lineEveryMs = 5_000): { update(p: SweepProgress): void; end(): void } {
  let lastLineAt = -Infinity;
  let lastSetting: string | undefined;
  let drawn = false;
  return {
    update(p) {
      if (sink.isTTY) {
        // \r + clear-to-end-of-line (ECMA-48 EL, CSI K): redraw in place.
        sink.write(`\r${progressBar(p)}\x1b[K`);
        drawn = true;
        return;
      }
      const setting = where(p.setting);
      if (setting !== lastSetting || p.elapsedMs - lastLineAt >= lineEveryMs) {
        lastSetting = setting;
        lastLineAt = p.elapsedMs;
        sink.write(`scan: ${progressLine(p)}\n`);
      }
    },
    end() {
      if (drawn) sink.write('\r\x1b[K');
    },
  };
}
