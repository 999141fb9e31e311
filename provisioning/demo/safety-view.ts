import type { VirtualGpio } from '../../drivers/gpio/virtual-gpio.js';
import type { RunningGateway } from '../../gateway/runtime/gateway.js';
import type { PointSnapshot } from '../../gateway/api/types.js';
import type { AnnunciatorMode, OutputStatus } from '../../rules/annunciator/annunciator.js';
import { SOUNDER_STATES } from '../../rules/annunciator/demand.js';
import { CLASS_PATTERNS, STEADY_ON } from '../../rules/annunciator/patterns.js';
import type { Priority } from '../../rules/definitions/schema.js';
import type { InterlockStatus } from '../../rules/interlocks/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';

/**
 * What the demo console shows of the safety layer: the alarms calling for attention, what the
 * sounder, strobe, lamp and fan lines are doing, and the interlock with the valve it closes.
 * Read from the running gateway in one go (in-process, no I/O), rendered by a pure function.
 */
export interface SafetyView {
  nowMs: number;
  /** Every alarm that is not normal. */
  alarms: AlarmSnapshot[];
  /** Engineering units by "device/point", for the alarm values. */
  units: Record<string, string>;
  mode: AnnunciatorMode | null;
  failsafeReason: string | null;
  outputs: ShownOutput[];
  interlocks: InterlockStatus[];
  /** The valve the interlock closes, from its limit switches as the gateway last read them. */
  valve: { device: string; state: ValveState } | null;
}

export interface ShownOutput extends OutputStatus {
  /** Level changes of the GPIO line in the last TOGGLE_WINDOW_MS: proof the pattern is really played. */
  toggles: number;
}

export type ValveState = 'open' | 'closed' | 'travelling' | 'limit switch fault' | 'unknown';

export const TOGGLE_WINDOW_MS = 5_000;

const PRIORITY_RANK: Record<Priority, number> = { critical: 4, high: 3, medium: 2, low: 1 };

export function readSafetyView(gw: RunningGateway, gpio: VirtualGpio, valveDevice: string | null, nowMs = Date.now()): SafetyView {
  const alarms = gw.safety.engine.snapshot().filter((a) => a.state !== 'normal');
  const units: Record<string, string> = {};
  for (const p of gw.points.snapshot()) if (p.unit !== undefined) units[`${p.device}/${p.point}`] = p.unit;
  const ann = gw.safety.annunciator?.status();
  const outputs = (ann?.outputs ?? []).map((o) => ({ ...o, toggles: gpio.edges(o.line, nowMs - TOGGLE_WINDOW_MS) }));
  return {
    nowMs,
    alarms,
    units,
    mode: ann?.mode ?? null,
    failsafeReason: ann?.failsafeReason ?? null,
    outputs,
    interlocks: gw.safety.interlocks.status(),
    valve: valveDevice === null ? null : { device: valveDevice, state: valveState(gw.points.snapshot(valveDevice)) },
  };
}

/** From a generic/gas-valve-actuator's points as last read. */
export function valveState(points: readonly PointSnapshot[]): ValveState {
  const closed = points.find((p) => p.point === 'closed_feedback');
  const open = points.find((p) => p.point === 'open_feedback');
  if (closed?.quality !== 'good' || open?.quality !== 'good') return 'unknown';
  if (closed.value === true && open.value === false) return 'closed';
  if (closed.value === false && open.value === true) return 'open';
  // Neither switch made: the valve is moving (or a switch is broken); both made cannot be right.
  return closed.value === true ? 'limit switch fault' : 'travelling';
}

// ── rendering ─────────────────────────────────────────────────────────────────────────────

export interface RenderStyle {
  /** ANSI colours (a terminal without NO_COLOR). */
  colour: boolean;
  /** The panel is redrawn every second: show how often each line toggled. */
  live: boolean;
}

/** At most this many alarm lines; the rest are counted (the API lists them all). */
export const MAX_ALARM_LINES = 8;

const ANSI: Record<AlarmSnapshot['colour'], string> = { red: '31', orange: '38;5;208', yellow: '33', blue: '34' };

/** The safety part of the console panel: alarm lines, one outputs line, one line per interlock. */
export function renderSafety(view: SafetyView, style: RenderStyle): string[] {
  const paint = (text: string, code: string): string => (style.colour ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];

  // Most urgent first, as on an alarm list (ISA-18.2: priority orders the operator's response).
  const alarms = [...view.alarms].sort((a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || a.id.localeCompare(b.id));
  if (alarms.length === 0) lines.push(`  alarms     none active`);
  const idWidth = Math.min(28, Math.max(0, ...alarms.map((a) => a.id.length)));
  const prioWidth = Math.max(0, ...alarms.map((a) => `${a.priority}/${a.colour}`.length));
  alarms.slice(0, MAX_ALARM_LINES).forEach((a, i) => {
    const prio = paint(`● ${`${a.priority}/${a.colour}`.padEnd(prioWidth)}`, ANSI[a.colour]);
    const state = a.state === 'unacknowledged' ? paint(a.state, '1') : a.state;
    const reset = a.latchPending && !a.conditionActive ? ' · reset needed' : '';
    lines.push(`  ${i === 0 ? 'alarms    ' : '          '} ${prio}  ${a.id.padEnd(idWidth)}  ${state}${reset}  ${formatValue(a, view.units)}`);
  });
  if (alarms.length > MAX_ALARM_LINES) lines.push(`             … and ${alarms.length - MAX_ALARM_LINES} more (GET /api/alarms lists them all)`);

  lines.push(`  outputs    ${outputsText(view, style, paint)}`);
  for (const il of view.interlocks) lines.push(`  interlock  ${interlockText(il, view, paint)}`);
  return lines;
}

function formatValue(a: AlarmSnapshot, units: Record<string, string>): string {
  if (a.value === undefined || a.value === null) return '—';
  if (typeof a.value !== 'number') return String(a.value);
  const unit = a.device && a.point ? units[`${a.device}/${a.point}`] : undefined;
  return `${a.value.toFixed(1)}${unit ? ` ${unit}` : ''}`;
}

/** "gas pattern (1 Hz pulsed)" from a pattern id such as "gas-pulsed". */
function describePattern(id: string): string {
  for (const [cls, p] of Object.entries(CLASS_PATTERNS)) {
    if (p.sounder?.id === id) return `${cls} pattern (${p.sounder.description})`;
    if (p.lamp.id === id) return `${cls} pattern (${p.lamp.description})`;
  }
  return id === STEADY_ON.id ? STEADY_ON.description : id;
}

function outputsText(view: SafetyView, style: RenderStyle, paint: (t: string, c: string) => string): string {
  if (view.mode === null) return 'none configured';
  const waitingForAck = view.alarms.some((a) => SOUNDER_STATES.has(a.state));
  const parts = view.outputs
    .filter((o) => o.kind !== 'watchdog')
    .map((o) => {
      const gpio = style.live && o.pattern !== null && o.pattern !== 'off' ? `, GPIO${o.line} toggled ${o.toggles}× in ${TOGGLE_WINDOW_MS / 1000} s` : '';
      const fault = o.fault ? paint(` FAULT: ${o.fault}`, '31') : '';
      if (o.kind === 'relay') return (o.on ? paint(`${o.name.toUpperCase()} ON`, '1') : `${o.name} off`) + fault;
      if (o.pattern !== null && o.pattern !== 'off') {
        const glyph = o.kind === 'sounder' ? '♪' : '✱';
        return paint(`${o.name.toUpperCase()} ${glyph} ${describePattern(o.pattern)}`, '1') + gpio + fault;
      }
      if (o.kind === 'sounder' && o.silenced && waitingForAck) return `${o.name} silenced${fault}`;
      return `${o.name} ${o.kind === 'sounder' ? 'quiet' : 'off'}${fault}`;
    });
  const mode = view.mode === 'failsafe' ? `${paint('HELD IN FAILSAFE', '31;1')} (${view.failsafeReason ?? 'no reason given'}) · ` : view.mode === 'self-test' ? 'SELF-TEST · ' : '';
  return mode + parts.join(' · ');
}

function interlockText(il: InterlockStatus, view: SafetyView, paint: (t: string, c: string) => string): string {
  const valve = view.valve ? ` · ${view.valve.device} ${view.valve.state}` : '';
  const at = il.trippedTs !== null ? ` at ${clockTime(il.trippedTs)}` : '';
  switch (il.state) {
    case 'ready':
      return `${il.name} ready${valve}`;
    case 'tripping':
      return `${il.name} ${paint('TRIPPING', '33;1')} by ${il.trippedBy ?? '?'}${at}${valve}`;
    case 'tripped': {
      const t = il.lastTiming;
      const confirmed = t?.confirmedAt != null ? ` (confirmed in ${((t.confirmedAt - t.trippedAt) / 1000).toFixed(1)} s)` : '';
      return `${il.name} ${paint('TRIPPED', '31;1')} by ${il.trippedBy ?? '?'}${at}${confirmed}${valve}`;
    }
    case 'failed':
      return `${il.name} ${paint('FAILED', '31;1')}: ${il.lastError ?? 'not confirmed'}${valve}`;
    case 'bypassed':
      return `${il.name} ${paint('BYPASSED', '33;1')}${il.bypassedBy ? ` by ${il.bypassedBy.name}` : ''}${valve}`;
  }
}

/** HH:MM:SS in local time, as on a panel. */
export function clockTime(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}
