import type { InterlockState, InterlockStatus } from '../../rules/interlocks/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';
import type { DemoCommands } from './demo-commands.js';
import { clockTime, type SafetyView } from './safety-view.js';

/**
 * Turns what changed between two looks at the safety layer into lines that stay on the screen:
 * an alarm going off, an alarm that waits for a person to reset it (with the command to do so),
 * the interlock tripping, confirming, failing and being reset. It compares snapshots the console
 * takes anyway, so nothing here listens on the alarm path.
 */
export class Narrator {
  private readonly alarms = new Map<string, { state: AlarmSnapshot['state']; waitingForReset: boolean }>();
  private readonly interlocks = new Map<string, InterlockState>();
  private toldHowToAct = false;
  private firstLook = true;

  constructor(
    private readonly commands: DemoCommands,
    private readonly valveDevice: string | null,
  ) {}

  /** Lines for what happened since the last call (the first call compares with "all normal, all ready"). */
  next(view: SafetyView): string[] {
    const time = clockTime(view.nowMs);
    const out: string[] = [];
    const seen = new Set<string>();
    const nowWaiting: string[] = [];
    for (const a of view.alarms) {
      seen.add(a.id);
      const before = this.alarms.get(a.id) ?? { state: 'normal', waitingForReset: false };
      const waitingForReset = a.latchPending && !a.conditionActive && (a.state === 'latched' || a.state === 'rtn-unacknowledged');
      this.alarms.set(a.id, { state: a.state, waitingForReset });
      if (a.state === 'unacknowledged' && before.state !== 'unacknowledged') {
        out.push(`${time}  ▲ ${a.id} ${a.priority}/${a.colour}: ${a.description}${valueText(a, view)}`);
        if (!this.toldHowToAct) {
          this.toldHowToAct = true;
          out.push(`          acknowledge all:  ${this.commands.acknowledgeAll()}`);
          out.push(`          silence sounders: ${this.commands.silence()}`);
        }
      }
      if (waitingForReset && !before.waitingForReset) nowWaiting.push(a.id);
    }
    if (nowWaiting.length > 0) {
      // GB/T 50493-2019 §5 / GB 16808: a gas alarm stays latched until a person resets it — also
      // across a restart (the engine restores it before the first poll).
      const restored = this.firstLook ? ' (restored from the last run)' : '';
      out.push(`${time}  condition gone, latched until a person resets ${nowWaiting.length > 1 ? 'them' : 'it'}${restored}: ${nowWaiting.join(', ')}`);
      for (const id of nowWaiting) out.push(`          ${this.commands.reset(id)}`);
    }
    for (const id of this.alarms.keys()) if (!seen.has(id)) this.alarms.delete(id); // back to normal

    for (const il of view.interlocks) {
      const before = this.interlocks.get(il.name) ?? 'ready';
      this.interlocks.set(il.name, il.state);
      if (il.state !== before) out.push(...this.interlockChanged(il, before, time, view));
    }
    this.firstLook = false;
    return out;
  }

  private interlockChanged(il: InterlockStatus, before: InterlockState, time: string, view: SafetyView): string[] {
    const valve = this.valveDevice && view.valve ? ` (${view.valve.device} ${view.valve.state})` : '';
    const lines: string[] = [];
    const wasArmed = before === 'ready' || before === 'bypassed';
    if (wasArmed && (il.state === 'tripping' || il.state === 'tripped' || il.state === 'failed')) {
      // An interlock never reset before the gateway stopped is re-asserted at start (fail safe).
      const since = this.firstLook && il.trippedTs !== null ? ` at ${clockTime(il.trippedTs)}, never reset — restored from the last run, its actions issued again` : '';
      lines.push(`${time}  ⚠ interlock ${il.name} tripped by ${il.trippedBy ?? '?'}${since}: ${il.description}`);
    }
    if (il.state === 'tripped') {
      const t = il.lastTiming;
      const took = t && t.confirmedAt !== null ? ` in ${((t.confirmedAt - t.trippedAt) / 1000).toFixed(1)} s` : '';
      // The demo interlock is confirmed by the valve's closed limit switch (confirm: in the site
      // file); the point table may not have polled it yet, so say what the confirmation means.
      const closed = this.valveDevice ? ` — ${this.valveDevice}'s limit switch reports closed` : '';
      lines.push(`${time}  ✔ interlock ${il.name} confirmed${took}${closed}. It stays tripped; once the gas is gone, reset it: ${this.commands.resetInterlock(il.name)}`);
      const reopen = this.valveDevice ? this.commands.reopenValveByHand(this.valveDevice) : undefined;
      if (reopen) lines.push(`          a reset re-arms it and stops the fan, but never reopens the valve — that is done by hand on site; on the rig: ${reopen}`);
    } else if (il.state === 'failed') {
      lines.push(`${time}  ✖ interlock ${il.name} FAILED: ${il.lastError ?? 'not confirmed'}${valve}. The gateway retries every few seconds and raises the fault alarm interlock/${il.name}.`);
    } else if (il.state === 'ready') {
      lines.push(`${time}  interlock ${il.name} reset: armed again; the fan stops, the valve is not reopened${valve}`);
    } else if (il.state === 'bypassed') {
      lines.push(`${time}  interlock ${il.name} BYPASSED${il.bypassedBy?.name ? ` by ${il.bypassedBy.name}` : ''}: it will not trip`);
    }
    return lines;
  }
}

function valueText(a: AlarmSnapshot, view: SafetyView): string {
  // A state alarm on a boolean point (a fire panel's any_fire) says all in its description: "(true)" adds nothing.
  if (typeof a.value !== 'number') return a.value === undefined || a.value === null || typeof a.value === 'boolean' ? '' : ` (${String(a.value)})`;
  const unit = a.device && a.point ? view.units[`${a.device}/${a.point}`] : undefined;
  return ` (${a.value.toFixed(1)}${unit ? ` ${unit}` : ''})`;
}
