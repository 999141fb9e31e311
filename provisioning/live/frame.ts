import type { AlarmsResponse, HealthResponse, PointSnapshot } from '../../gateway/api/types.js';
import type { Priority } from '../../rules/definitions/schema.js';
import { sparkline } from './sparkline.js';

/**
 * One frame of `vigil live`, as lines no wider than the terminal: a header (site, gateway,
 * status and why, clock trust, broker link, outbox depth), the alarms that call for attention,
 * the points with a trend, and bus health. Pure — the frame is tested as text from canned API
 * answers; live.ts only fetches, redraws and handles keys. Fits 80×24: sections shrink to the
 * height and say how many rows they left out.
 */
export interface LiveData {
  health: HealthResponse;
  alarms: AlarmsResponse;
  points: readonly PointSnapshot[];
  /** Trend samples per "device/point". */
  trend: (key: string) => readonly (number | null)[];
}

export interface FrameOptions {
  width: number;
  height: number;
  /** ANSI colours (a terminal); plain text otherwise. */
  color: boolean;
  /** Shown in the footer. */
  api: string;
  intervalSec: number;
  /** What went wrong fetching this frame (the last good data is shown under it). */
  error?: string;
}

const SPARK_WIDTH = 12;
const MAX_ALARM_ROWS = 6;

// ANSI SGR: red / 256-colour orange / yellow / blue, like the red-orange-yellow-blue grading.
const PRIORITY_SGR: Record<Priority, string> = { critical: '1;31', high: '38;5;208', medium: '33', low: '34' };
const STATUS_SGR = { ok: '32', degraded: '33', fault: '1;31' } as const;
const TAG: Record<Priority, string> = { critical: 'CRIT', high: 'HIGH', medium: 'MED ', low: 'LOW ' };

export function renderFrame(d: LiveData, o: FrameOptions): string[] {
  const paint = (sgr: string, text: string): string => (o.color ? `\x1b[${sgr}m${text}\x1b[0m` : text);
  const fit = (text: string): string => (text.length > o.width ? `${text.slice(0, o.width - 1)}…` : text);
  const h = d.health;

  const title = `VIGIL ${h.site}/${h.gateway}  ${h.status.toUpperCase()}`;
  const clockTime = new Date(h.clock.now).toISOString().replace('T', ' ').slice(0, 19);
  const header = [
    paintPrefix(fit(`${title}${' '.repeat(Math.max(2, o.width - title.length - clockTime.length - 4))}${clockTime} UTC`), `VIGIL ${h.site}/${h.gateway}  `, h.status.toUpperCase(), (s) => paint(STATUS_SGR[h.status], s)),
    fit(`clock ${h.clock.trusted ? 'trusted' : 'NOT TRUSTED'} · broker ${brokerText(h)} · outbox ${outboxText(h)} · up ${duration(h.uptimeSec)}`),
    ...h.reasons.slice(0, 2).map((r) => fit(`! ${r}`)),
    ...(o.error ? [paint('1;31', fit(`! ${o.error}`))] : []),
  ];

  const buses = ['', fit(`BUSES${pad('', 11)}${rightAll(['transactions', 'errors', 'timeouts'], [13, 8, 9])}`), ...h.buses.map((b) => fit(`${pad(b.name, 16)}${rightAll([String(b.transactions), String(b.errors), String(b.timeouts)], [13, 8, 9])}`))];
  const footer = [fit(`q quit · every ${o.intervalSec} s · ${o.api}`)];

  const standing = d.alarms.alarms.filter((a) => a.annunciating || a.state === 'shelved' || a.state === 'out-of-service');
  const fixed = header.length + buses.length + footer.length;
  const alarmRows = Math.min(standing.length, MAX_ALARM_ROWS, Math.max(1, o.height - fixed - 6));
  const alarms = ['', `ALARMS  ${d.alarms.summary.annunciating} need attention of ${d.alarms.summary.total}`];
  if (standing.length === 0) alarms.push('  none');
  for (const a of standing.slice(0, alarmRows)) {
    const value = a.value === undefined ? '' : `${formatValue(a.value)}${a.setpoint !== undefined ? ` (sp ${formatValue(a.setpoint)})` : ''}`;
    alarms.push(paint(PRIORITY_SGR[a.priority], fit(`  ${TAG[a.priority]} ${pad(a.id, 30)} ${pad(a.state, 18)} ${value}`)));
  }
  if (standing.length > alarmRows) alarms.push(`  … ${standing.length - alarmRows} more`);

  const room = Math.max(1, o.height - fixed - alarms.length - 2);
  // When they do not all fit, the last row says how many are left out.
  const shown = d.points.length > room ? room - 1 : d.points.length;
  const points = ['', fit(`${pad('POINTS', 14)}${pad('point', 18)}${rightAll(['value'], [10])} ${pad('unit', 6)} ${pad('quality', 11)}trend`)];
  for (const p of d.points.slice(0, shown)) {
    const row = fit(`${pad(p.device, 14)}${padMiddle(p.point, 18)}${rightAll([formatValue(p.value)], [10])} ${pad(p.unit ?? '', 6)} ${pad(p.quality, 11)}${sparkline(d.trend(`${p.device}/${p.point}`), SPARK_WIDTH)}`);
    points.push(p.quality === 'good' ? row : paint('33', row));
  }
  if (shown < d.points.length) points.push(`… ${d.points.length - shown} more points (a taller terminal shows them)`);

  return [...header, ...alarms, ...points, ...buses, ...footer].slice(0, o.height);
}

export function formatValue(v: PointSnapshot['value'] | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'on' : 'off';
  if (typeof v === 'string') return v;
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(2)));
}

function brokerText(h: HealthResponse): string {
  if (!h.broker.configured) return 'none (offline site)';
  return h.broker.connected ? 'connected' : 'DISCONNECTED';
}

function outboxText(h: HealthResponse): string {
  if ('error' in h.outbox) return `ERROR (${h.outbox.error})`;
  return `${h.outbox.depth.telemetry} readings, ${h.outbox.depth.event} events`;
}

function duration(sec: number): string {
  const s = Math.floor(sec);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

const pad = (s: string, n: number): string => (s.length >= n ? `${s.slice(0, n - 1)} ` : s.padEnd(n));
/** Point names differ at the end (cable_temperature_1 … _4): a long one loses its middle, not its tail. */
export const padMiddle = (s: string, n: number): string => {
  if (s.length < n) return s.padEnd(n);
  const keep = n - 2; // one column for '…', one for the space
  const tail = Math.floor(keep / 2);
  return `${s.slice(0, keep - tail)}…${s.slice(s.length - tail)} `;
};
const rightAll = (cells: readonly string[], widths: readonly number[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('');

/** Colours one word of an already fitted line (the status in the header), if it survived the fit. */
function paintPrefix(line: string, prefix: string, word: string, paint: (s: string) => string): string {
  return line.startsWith(prefix + word) ? prefix + paint(word) + line.slice(prefix.length + word.length) : line;
}
