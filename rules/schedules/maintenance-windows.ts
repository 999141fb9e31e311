/**
 * Maintenance windows: while a window is open its alarms are suppressed by design (ISA-18.2
 * "suppressed by design", standards.md §6) through the engine's own command, with the schedule
 * as the actor — so every suppress and unsuppress is an alarm transition in the journal, and the
 * window's opening and closing are journaled under "schedule:<name>" with the alarms involved.
 *
 * Interlocks act on conditions, not annunciation: a maintenance window never stops an interlock.
 *
 * Fail safe — a hidden alarm is the dangerous direction:
 * - a window does not open on a wall clock the gateway cannot trust (no NTP yet, no RTC): it
 *   would open at the wrong hour;
 * - at start-up, an alarm a window lists that is still suppressed while no window covering it is
 *   open (it closed while the gateway was down) is unsuppressed; one whose window is open now
 *   (started less than its duration ago) is kept suppressed until the window's end;
 * - two windows may list one alarm: it is unsuppressed only when the last of them closes, and an
 *   alarm that was out of service (or otherwise refused the suppress) is left as it was.
 */
import type { Clock } from '../../gateway/clock/clock.js';
import type { MaintenanceWindowConfig } from '../../gateway/config/safety-schema.js';
import type { JournalEntry } from '../../gateway/store/store.js';
import type { AlarmEngineView } from '../engine/types.js';
import type { Actor } from '../model.js';
import type { CronScheduler } from './cron-scheduler.js';
import { scheduleEntry } from './journal.js';
import { alarmPattern } from '../definitions/alarm-ids.js';

export interface MaintenanceWindowStatus {
  name: string;
  description: string;
  open: boolean;
  /** Wall ms, while open. */
  openedTs: number | null;
  closesTs: number | null;
  /** The alarms this window holds suppressed now. */
  suppressed: string[];
}

interface Window {
  cfg: MaintenanceWindowConfig;
  openedTs: number | null;
  closesTs: number | null;
  timer: ReturnType<typeof setTimeout> | null;
}

export interface MaintenanceWindowsDeps {
  engine: Pick<AlarmEngineView, 'snapshot' | 'command'>;
  scheduler: CronScheduler;
  clock: Clock;
  journal(entry: JournalEntry): void;
}

export class MaintenanceWindows {
  private readonly windows: Window[];
  /** Alarm id → the open windows holding it suppressed. */
  private readonly holders = new Map<string, Set<string>>();

  constructor(
    configs: readonly MaintenanceWindowConfig[],
    private readonly deps: MaintenanceWindowsDeps,
  ) {
    this.windows = configs.map((cfg) => ({ cfg, openedTs: null, closesTs: null, timer: null }));
  }

  /** Problems with the windows' alarm references, with site-file paths (none: empty). */
  static problems(configs: readonly MaintenanceWindowConfig[], alarmIds: readonly string[]): string[] {
    const problems: string[] = [];
    configs.forEach((w, i) =>
      w.alarms.forEach((ref, j) => {
        if (matching(ref, alarmIds).length > 0) return;
        const what = ref.includes('*') ? `no alarm matches "${ref}"` : `no alarm "${ref}"`;
        problems.push(`schedules.maintenance[${i}].alarms[${j}]: ${what} (window ${w.name})`);
      }),
    );
    return problems;
  }

  /** Reconciles suppressions left from before a restart, then opens the windows we are inside of. */
  start(): void {
    const { scheduler, clock } = this.deps;
    const now = clock.now();
    const inside = clock.isTrusted()
      ? this.windows.flatMap((w) => {
          const last = scheduler.lastMatch(w.cfg.cron, new Date(now), w.cfg.durationMinutes * 60_000);
          return last ? [{ w, last: last.getTime() }] : [];
        })
      : [];
    const covered = new Set(inside.flatMap(({ w }) => this.expand(w)));
    const stale = this.deps.engine.snapshot().filter((a) => a.state === 'suppressed' && !covered.has(a.id) && this.windows.some((w) => this.expand(w).includes(a.id)));
    if (stale.length > 0) {
      const released = stale.map((a) => a.id).filter((id) => this.command('unsuppress', id, { kind: 'schedule', name: 'start-up' }, 'no maintenance window covering it is open'));
      const why = clock.isTrusted() ? 'with no window open' : 'while the wall clock is not trusted (no window is taken as open)';
      this.record('start-up', 'schedule.window-closed', 'info', `maintenance windows at start-up: ${released.length} alarm(s) left suppressed ${why} were unsuppressed (${released.join(', ')})`, {
        unsuppressed: released,
      });
    }
    for (const { w, last } of inside) this.open(w, last);
  }

  stop(): void {
    // Suppressions stay: they are persisted with the alarms, and start() reconciles them.
    for (const w of this.windows) if (w.timer) clearTimeout(w.timer);
  }

  /** The cron job of window `name` fired. */
  fire(name: string): void {
    const w = this.windows.find((x) => x.cfg.name === name);
    if (!w) return;
    if (!this.deps.clock.isTrusted()) {
      this.record(name, 'schedule.window-skipped', 'warning', `maintenance window ${name} not opened: the wall clock is not trusted (not synchronised), so this may not be the time it was planned for; its alarms stay in service`, {});
      return;
    }
    this.open(w, this.deps.clock.now());
  }

  status(): MaintenanceWindowStatus[] {
    return this.windows.map((w) => ({
      name: w.cfg.name,
      description: w.cfg.description,
      open: w.openedTs !== null,
      openedTs: w.openedTs,
      closesTs: w.closesTs,
      suppressed: [...this.holders].filter(([, by]) => by.has(w.cfg.name)).map(([id]) => id),
    }));
  }

  private open(w: Window, startedTs: number): void {
    const { clock } = this.deps;
    const name = w.cfg.name;
    const closesTs = startedTs + w.cfg.durationMinutes * 60_000;
    if (w.openedTs !== null) {
      // The next start came before the end (e.g. hourly starts, 90-minute duration): stay open longer.
      if (closesTs > w.closesTs!) {
        w.closesTs = closesTs;
        this.armClose(w);
        this.record(name, 'schedule.window-extended', 'info', `maintenance window ${name} extended until ${iso(closesTs)}`, { closesTs });
      }
      return;
    }
    const actor: Actor = { kind: 'schedule', name };
    const suppressed: string[] = [];
    const refused: { id: string; reason: string }[] = [];
    for (const id of this.expand(w)) {
      const by = this.holders.get(id);
      if (by) {
        by.add(name); // already held by another open window
        suppressed.push(id);
        continue;
      }
      const reason = this.suppress(id, actor, `maintenance window ${name}: ${w.cfg.description}`);
      if (reason === null) {
        this.holders.set(id, new Set([name]));
        suppressed.push(id);
      } else refused.push({ id, reason });
    }
    Object.assign(w, { openedTs: startedTs, closesTs });
    this.armClose(w);
    const late = clock.now() - startedTs > 60_000 ? ` (started ${iso(startedTs)}, before this start-up)` : '';
    this.record(name, 'schedule.window-opened', 'info', `maintenance window ${name} open until ${iso(closesTs)}${late}: ${suppressed.length} alarm(s) suppressed${refused.length ? `, ${refused.length} left as they were` : ''}`, {
      openedTs: startedTs,
      closesTs,
      suppressed,
      refused,
    });
  }

  private close(w: Window): void {
    const name = w.cfg.name;
    const released: string[] = [];
    for (const [id, by] of [...this.holders]) {
      if (!by.delete(name) || by.size > 0) continue;
      this.holders.delete(id);
      if (this.command('unsuppress', id, { kind: 'schedule', name }, `maintenance window ${name} closed`)) released.push(id);
    }
    Object.assign(w, { openedTs: null, closesTs: null, timer: null });
    this.record(name, 'schedule.window-closed', 'info', `maintenance window ${name} closed: ${released.length} alarm(s) unsuppressed`, { unsuppressed: released });
  }

  private armClose(w: Window): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => this.close(w), Math.max(0, w.closesTs! - this.deps.clock.now()));
  }

  /** Null when the alarm is suppressed now (by this command, or it already was); else why not. */
  private suppress(id: string, actor: Actor, note: string): string | null {
    const result = this.deps.engine.command({ action: 'suppress', alarmId: id, actor, note });
    if (result.ok || result.state === 'suppressed') return null;
    return result.message;
  }

  private command(action: 'unsuppress', id: string, actor: Actor, note: string): boolean {
    return this.deps.engine.command({ action, alarmId: id, actor, note }).ok;
  }

  private expand(w: Window): string[] {
    const ids = this.deps.engine.snapshot().map((a) => a.id);
    return [...new Set(w.cfg.alarms.flatMap((ref) => matching(ref, ids)))];
  }

  private record(name: string, type: string, severity: 'info' | 'warning', message: string, data: Record<string, unknown>): void {
    this.deps.journal(scheduleEntry(this.deps.clock, name, type, severity, message, data));
  }
}

/** The alarm ids a window's reference names: an exact id or a pattern ("ch4-1/*", "*\/gas_high_high") — the same rule validate uses. */
function matching(ref: string, ids: readonly string[]): string[] {
  return ids.filter(alarmPattern(ref));
}

const iso = (ms: number): string => new Date(ms).toISOString();
