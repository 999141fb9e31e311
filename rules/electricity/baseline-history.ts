/**
 * Past quarter-hour energies by local weekday and time of day, for the baseline comparison
 * (standards.md §5: "model each enterprise's safe electricity thresholds … from historical data;
 * compare with real-time data").
 *
 * In memory and bounded: per subject and weekly slot (Monday 08:15, …) only the latest
 * `weeks` + 1 local dates are kept, and at most maxSubjects subjects — (meters + 1) × 672 ×
 * (weeks + 1) numbers.
 * export()/import() let the runtime persist it (a plain JSON document, versioned) so a restart
 * does not forget weeks of history.
 *
 * Slots are local: Monday 08:15 is Monday 08:15 on the wall clock whatever the UTC offset, so
 * across a DST change the comparison stays with the working day. On the fall-back day the
 * repeated local hour maps twice to the same slot; the first of the two is kept. On the
 * spring-forward day the skipped hour has no sample that week.
 */
import { z } from 'zod';
import { addDays, type LocalTime } from './local-time.js';

export interface BaselineEntry {
  subject: string;
  /** Epoch ms of the quarter hour's start. */
  start: number;
  kWh: number;
}

export interface BaselineSample {
  /** Local date "YYYY-MM-DD". */
  date: string;
  kWh: number;
}

export const BASELINE_EXPORT_VERSION = 1;

export const BaselineExportSchema = z.strictObject({
  version: z.literal(BASELINE_EXPORT_VERSION),
  entries: z.array(z.strictObject({ subject: z.string().min(1), start: z.number().int(), kWh: z.number().min(0) })),
});

export type BaselineExport = z.infer<typeof BaselineExportSchema>;

export interface BaselineHistoryOptions {
  /** How many past weeks are compared (and so kept). */
  weeks: number;
  local: LocalTime;
  /** Default 64. */
  maxSubjects?: number;
}

interface Kept {
  date: string;
  start: number;
  kWh: number;
}

export class BaselineHistory {
  private readonly subjects = new Map<string, Map<string, Kept[]>>();
  private readonly maxSubjects: number;

  constructor(private readonly opts: BaselineHistoryOptions) {
    if (!Number.isInteger(opts.weeks) || opts.weeks < 1) throw new RangeError(`baseline: weeks must be a whole number ≥ 1, got ${opts.weeks}`);
    this.maxSubjects = opts.maxSubjects ?? 64;
  }

  /** Keeps a measured quarter hour. False when refused: a second sample for the same local date and slot, or too many subjects. */
  add(subject: string, start: number, kWh: number): boolean {
    let slots = this.subjects.get(subject);
    if (!slots) {
      if (this.subjects.size >= this.maxSubjects) return false;
      this.subjects.set(subject, (slots = new Map()));
    }
    const { key, date } = this.slot(start);
    const kept = slots.get(key) ?? [];
    if (kept.some((k) => k.date === date)) return false;
    kept.push({ date, start, kWh });
    kept.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    // The previous `weeks` plus the current one, so keeping this week's sample never pushes out one still compared.
    if (kept.length > this.opts.weeks + 1) kept.splice(0, kept.length - this.opts.weeks - 1);
    slots.set(key, kept);
    return true;
  }

  /** The same weekday and local time in each of the previous `weeks` weeks, where kept. */
  samples(subject: string, start: number): BaselineSample[] {
    const { key, date } = this.slot(start);
    const wanted = new Set(Array.from({ length: this.opts.weeks }, (_, i) => addDays(date, -7 * (i + 1))));
    return (this.subjects.get(subject)?.get(key) ?? []).filter((k) => wanted.has(k.date)).map((k) => ({ date: k.date, kWh: k.kWh }));
  }

  /** Number of kept samples. */
  size(): number {
    let n = 0;
    for (const slots of this.subjects.values()) for (const kept of slots.values()) n += kept.length;
    return n;
  }

  export(): BaselineExport {
    const entries: BaselineEntry[] = [];
    for (const [subject, slots] of this.subjects) for (const kept of slots.values()) for (const k of kept) entries.push({ subject, start: k.start, kWh: k.kWh });
    entries.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.start - b.start));
    return { version: BASELINE_EXPORT_VERSION, entries };
  }

  /**
   * Adds an exported history (slots are recomputed in this zone). Throws, naming the first
   * problems, when the document is not an export; entries refused by the bounds are counted.
   */
  import(data: unknown): { added: number; skipped: number } {
    const parsed = BaselineExportSchema.safeParse(data);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`);
      throw new Error(`baseline history import refused: ${problems.join('; ')}`);
    }
    let added = 0;
    for (const e of parsed.data.entries) if (this.add(e.subject, e.start, e.kWh)) added++;
    return { added, skipped: parsed.data.entries.length - added };
  }

  private slot(start: number): { key: string; date: string } {
    const p = this.opts.local.parts(start);
    return { key: `${p.weekday}/${p.hour * 60 + p.minute}`, date: p.date };
  }
}
