/**
 * Chattering alarms (ISA-18.2 / EEMUA 191, standards.md §6 "Performance KPIs"): an alarm that
 * cycles between active and normal in a short time trains people to ignore it. ISA-18.2 wants
 * zero chattering alarms; the practical test is "≥ 3 activations within a minute".
 *
 * Pure: fed with activation times (monotonic ms), it answers when an alarm starts chattering.
 * A chattering alarm is reported at most once per `quietMs` (default 10 min) so the report does
 * not itself become a flood; the alarm engine turns the finding into an 'alarm.chattering' event.
 */
export interface ChatterOptions {
  /** Activations that make an alarm chattering (default 3). */
  activations: number;
  /** …within this window (default 60 s). */
  windowMs: number;
  /** At most one report per alarm per this period (default 10 min). */
  quietMs: number;
}

export const CHATTER_DEFAULTS: ChatterOptions = { activations: 3, windowMs: 60_000, quietMs: 600_000 };

export interface ChatterFinding {
  alarmId: string;
  /** Activations within the window, this one included (the detector counts up to `activations`). */
  activations: number;
  windowMs: number;
  /** Monotonic ms of the first and the latest of those activations. */
  firstMono: number;
  lastMono: number;
}

export class ChatterDetector {
  private readonly opts: ChatterOptions;
  /** Per alarm, the monotonic times of its last `activations` activations, oldest first. */
  private readonly recent = new Map<string, number[]>();
  private readonly lastReported = new Map<string, number>();

  constructor(opts: Partial<ChatterOptions> = {}) {
    this.opts = { ...CHATTER_DEFAULTS, ...opts };
    if (!Number.isInteger(this.opts.activations) || this.opts.activations < 2) {
      throw new RangeError(`chatter detection needs at least 2 activations, got ${this.opts.activations}`);
    }
  }

  /** The alarm activated at `mono`. Returns a finding when it is chattering and may be reported now. */
  activation(alarmId: string, mono: number): ChatterFinding | null {
    const { activations, windowMs, quietMs } = this.opts;
    let times = this.recent.get(alarmId);
    if (!times) this.recent.set(alarmId, (times = []));
    times.push(mono);
    if (times.length > activations) times.shift();
    const first = times[0] as number;
    // Within the window: less than windowMs from the first to the last (as the flood window).
    if (times.length < activations || mono - first >= windowMs) return null;
    const last = this.lastReported.get(alarmId);
    if (last !== undefined && mono - last < quietMs) return null;
    this.lastReported.set(alarmId, mono);
    return { alarmId, activations: times.length, windowMs, firstMono: first, lastMono: mono };
  }
}
