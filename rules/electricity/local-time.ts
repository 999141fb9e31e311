/**
 * The gateway's local calendar for electricity monitoring: which local weekday and time of day
 * an instant is (baseline slots, shutdown windows written as cron in local time) and how to
 * print it for people.
 *
 * A zone is an IANA name ("Asia/Shanghai"), a fixed offset ("+08:00", "-05:30"), or absent
 * (the gateway's own zone, i.e. the process TZ). Intl does the IANA arithmetic; a fixed
 * offset never changes (no DST).
 */

export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday (cron numbering). */
  weekday: number;
  hour: number;
  minute: number;
  /** Local minus UTC, in minutes (+480 for China). */
  offsetMinutes: number;
  /** "YYYY-MM-DD" of the local date. */
  date: string;
}

const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const MINUTE_MS = 60_000;

export class LocalTime {
  private readonly fixedOffset: number | null;
  private readonly format: Intl.DateTimeFormat | null;

  /** Throws a message naming the zone when it is neither an IANA name nor ±HH:MM. */
  constructor(readonly zone?: string) {
    const fixed = zone === undefined ? null : FIXED_OFFSET.exec(zone);
    if (fixed) {
      const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
      if (Number(fixed[2]) > 14 || Number(fixed[3]) > 59) throw new RangeError(`time zone ${JSON.stringify(zone)}: an offset is at most ±14:00`);
      this.fixedOffset = fixed[1] === '-' ? -minutes : minutes;
      this.format = null;
      return;
    }
    this.fixedOffset = null;
    if (zone === undefined) {
      this.format = null;
      return;
    }
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch {
      throw new RangeError(`time zone ${JSON.stringify(zone)} is neither an IANA zone name (e.g. "Asia/Shanghai") nor a fixed offset (e.g. "+08:00")`);
    }
  }

  /** The zone node-cron should match in: undefined = the process zone; fixed offsets as Etc/GMT when whole hours. */
  cronZone(): string | undefined {
    if (this.fixedOffset === null) return this.zone;
    if (this.fixedOffset % 60 !== 0) {
      throw new RangeError(`time zone ${JSON.stringify(this.zone)}: cron schedules need an IANA zone name for an offset that is not whole hours (e.g. "Asia/Kathmandu")`);
    }
    const hours = this.fixedOffset / 60;
    // POSIX sign convention: Etc/GMT-8 is UTC+8.
    return hours === 0 ? 'Etc/UTC' : `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`;
  }

  parts(ms: number): LocalParts {
    if (this.fixedOffset !== null) return fromShifted(ms + this.fixedOffset * MINUTE_MS, this.fixedOffset);
    if (this.format === null) {
      const d = new Date(ms);
      const offsetMinutes = -d.getTimezoneOffset();
      return {
        year: d.getFullYear(),
        month: d.getMonth() + 1,
        day: d.getDate(),
        weekday: d.getDay(),
        hour: d.getHours(),
        minute: d.getMinutes(),
        offsetMinutes,
        date: dateKey(d.getFullYear(), d.getMonth() + 1, d.getDate()),
      };
    }
    const p: Record<string, string> = {};
    for (const { type, value } of this.format.formatToParts(new Date(ms))) p[type] = value;
    const year = Number(p.year);
    const month = Number(p.month);
    const day = Number(p.day);
    const hour = Number(p.hour);
    const minute = Number(p.minute);
    const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);
    const offsetMinutes = Math.round((wallAsUtc - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
    return { year, month, day, weekday: WEEKDAYS[p.weekday ?? ''] ?? 0, hour, minute, offsetMinutes, date: dateKey(year, month, day) };
  }

  /** "2026-11-23 08:15 (UTC+08:00)": what a person on site reads on the wall clock. */
  label(ms: number): string {
    const p = this.parts(ms);
    const sign = p.offsetMinutes < 0 ? '-' : '+';
    const off = Math.abs(p.offsetMinutes);
    return `${p.date} ${pad(p.hour)}:${pad(p.minute)} (UTC${sign}${pad(Math.floor(off / 60))}:${pad(off % 60)})`;
  }
}

/** The local date `days` days after a "YYYY-MM-DD" date (calendar days, so DST does not matter). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return dateKey(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

function fromShifted(shifted: number, offsetMinutes: number): LocalParts {
  const d = new Date(shifted);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return { year, month, day, weekday: d.getUTCDay(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), offsetMinutes, date: dateKey(year, month, day) };
}

const pad = (n: number): string => String(n).padStart(2, '0');
const dateKey = (y: number, m: number, d: number): string => `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
