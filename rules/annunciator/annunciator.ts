import type { InputConfig, OutputConfig } from '../../gateway/config/safety-schema.js';
import type { EventSeverity } from '../../gateway/store/store.js';
import type { Actor, AlarmTransition } from '../model.js';
import { covers, lampDemand, LAMP_STATES, sounderDemand, type AnnunciatedAlarm } from './demand.js';
import { engineProblem } from './engine-watchdog.js';
import { levelFor } from './output-driver.js';
import { PatternPlayer } from './pattern-player.js';
import { CLASS_PATTERNS, STEADY_OFF, STEADY_ON, WATCHDOG_PULSE, type Pattern } from './patterns.js';
import { PhysicalInputs } from './physical-inputs.js';
import { outputTestRefusal, type OutputTestRequest } from './output-test.js';
import { validateAnnunciatorOptions, type ActionResult, type AnnunciatorMode, type AnnunciatorOptions, type OutputStatus, type RelayResult } from './annunciator-options.js';

export type { ActionResult, AnnunciatorMode, AnnunciatorOptions, OutputStatus, RelayResult } from './annunciator-options.js';

/**
 * The local audible and visual alarm: turns the alarm engine's states into sounder, strobe and
 * lamp patterns (patterns.ts), on the alarm path — an activation is seen and heard in the same
 * turn of the event loop as the transition (DESIGN.md principle 1).
 *
 * - Sounders sound while a covered alarm is unacknowledged or returned-unacknowledged, until
 *   silenced; strobes and lamps flash while a covered alarm is annunciating (unacknowledged,
 *   acknowledged, returned-unacknowledged, latched). Shelved, suppressed and out-of-service alarms
 *   drive nothing (ISA-18.2).
 * - silence() stops the sounders, not the strobes. Any new activation of an alarm a silenced
 *   sounder covers re-arms it (GB 16808 / GB/T 50493: silence, then re-sound on a new alarm; GB
 *   14287 the same for electrical fire); it then plays the highest class still unacknowledged.
 *   Acknowledging alarms also quiets the sounders for them (they no longer need a person). Silence
 *   is not persisted: after a restart, unacknowledged alarms sound again.
 * - Relays are not the annunciator's: the interlocks switch them through setRelay().
 * - selfTest() holds every sounder, strobe and lamp on, then restores; a new activation ends the
 *   test at once so a real alarm is never masked by a test pattern.
 * - failsafe() puts every output (relays included) in its declared `failsafe` state and holds it
 *   until recover(); the engine heartbeat is checked every second and a dead or stalled engine
 *   triggers it. The `watchdog` output pulses only while all is well (engine-watchdog.ts).
 * - Everything that matters is reported through onEvent for the journal and the cloud.
 */
export class Annunciator {
  private readonly opts: AnnunciatorOptions;
  private readonly byName = new Map<string, OutputConfig>();
  private readonly alarms = new Map<string, AnnunciatedAlarm>();
  private readonly silenced = new Set<string>();
  private readonly players = new Map<string, PatternPlayer>();
  private readonly relayCommands = new Map<string, boolean>();
  private readonly reportedFaults = new Map<string, string>();
  private mode: AnnunciatorMode = 'stopped';
  private failsafeReason: string | null = null;
  private selfTestTimer: ReturnType<typeof setTimeout> | undefined;
  private checkTimer: ReturnType<typeof setInterval> | undefined;
  private watchingSince = 0;
  private inputs: PhysicalInputs | null = null;
  /** The output under a single-output test (testOutput), held in self-test mode. */
  private testedOutput: OutputConfig | null = null;

  constructor(opts: AnnunciatorOptions) {
    this.opts = opts;
    const problems = validateAnnunciatorOptions(opts);
    if (problems.length) throw new Error(`outputs: ${problems.join('; ')}`);
    for (const o of opts.outputs) this.byName.set(o.name, o);
  }

  /** Subscribes to the engine, shows the alarms already standing, starts the watchdog and inputs. */
  start(): void {
    if (this.mode !== 'stopped') throw new Error('annunciator already started');
    const { outputs, driver, engine } = this.opts;
    for (const o of outputs) {
      if (o.kind !== 'relay') this.players.set(o.name, new PatternPlayer((on) => this.drive(o.name, on)));
    }
    driver.onFault((name, error) => this.reportFault(name === null ? 'output driver' : `output "${name}"`, name, error));
    engine.onTransition((t) => this.onTransition(t));
    this.mode = 'normal';
    this.watchingSince = this.opts.clock.monotonic();
    this.resync();
    this.refresh();
    this.startWatchdogPulse();
    this.checkTimer = setInterval(() => this.check(), this.opts.watchdogCheckMs ?? 1_000);
    if (this.opts.inputs?.length && this.opts.gpio) {
      this.inputs = new PhysicalInputs(
        this.opts.inputs,
        this.opts.gpio,
        (input) => this.onPress(input),
        (input, error) => this.reportFault(`input "${input.name}"`, `input:${input.name}`, error),
      );
    }
  }

  /** Stops timers and listening. Outputs keep their levels until the Gpio is closed. */
  stop(): void {
    this.mode = 'stopped';
    clearTimeout(this.selfTestTimer);
    clearInterval(this.checkTimer);
    for (const p of this.players.values()) p.stop();
  }

  get state(): AnnunciatorMode {
    return this.mode;
  }

  /** Stops the sounders (not the strobes) until a new activation re-arms them. */
  silence(actor: Actor): { silenced: string[] } {
    if (this.mode === 'failsafe') {
      this.emit('annunciator.silence-refused', 'warning', `silence by ${who(actor)} refused: outputs are held in their safe state (${this.failsafeReason})`, { actor });
      return { silenced: [] };
    }
    const sounding = this.sounders().filter((o) => !this.silenced.has(o.name) && sounderDemand(o, this.alarms.values(), false) !== null);
    for (const o of this.sounders()) this.silenced.add(o.name);
    this.refresh();
    const names = sounding.map((o) => o.name);
    this.emit('annunciator.silenced', 'info', `sounders silenced by ${who(actor)}: ${names.join(', ') || 'none was sounding'}`, { actor, outputs: names });
    return { silenced: names };
  }

  /** Every sounder, strobe and lamp on for durationMs, then back to what the alarms demand. */
  selfTest(durationMs: number, actor: Actor): ActionResult {
    if (this.mode === 'failsafe') return { ok: false, message: `self-test refused: outputs are held in their safe state (${this.failsafeReason})` };
    if (this.mode === 'self-test') return { ok: false, message: 'self-test refused: one is already running' };
    if (this.mode === 'stopped') return { ok: false, message: 'self-test refused: the annunciator is not running' };
    this.mode = 'self-test';
    for (const [name, player] of this.players) if (this.byName.get(name)?.kind !== 'watchdog') player.play(STEADY_ON);
    const names = [...this.players.keys()].filter((n) => this.byName.get(n)?.kind !== 'watchdog');
    this.emit('annunciator.self-test-started', 'info', `self-test by ${who(actor)}: ${names.join(', ')} on for ${durationMs} ms`, { actor, outputs: names, durationMs });
    this.selfTestTimer = setTimeout(() => this.endSelfTest('annunciator.self-test-ended', `self-test finished; outputs back to the alarm states`), durationMs);
    return { ok: true, message: `self-test running for ${durationMs} ms` };
  }

  /**
   * One output held on (or off) for req.seconds — the installer's walk-test — then back to what
   * the alarms demand. It runs in self-test mode, so a new activation ends it at once (a real
   * alarm always wins) and a second test is refused while it runs. Refusals: output-test.ts.
   */
  testOutput(req: OutputTestRequest, actor: Actor): ActionResult {
    if (this.mode !== 'normal') return { ok: false, message: `output test refused: ${this.mode === 'failsafe' ? `outputs are held in their safe state (${this.failsafeReason})` : this.mode === 'self-test' ? 'a test is already running' : 'the annunciator is not running'}` };
    const refusal = outputTestRefusal(req, this.opts.outputs, this.alarms.values());
    if (refusal) return { ok: false, message: `output test refused: ${refusal}` };
    const o = this.byName.get(req.name)!;
    this.mode = 'self-test';
    this.testedOutput = o;
    const player = this.players.get(o.name);
    if (player) player.play(req.on ? STEADY_ON : STEADY_OFF);
    else this.drive(o.name, req.on); // a relay: held directly, given back to the interlocks afterwards
    const ms = Math.round(req.seconds * 1000);
    this.emit('annunciator.output-test-started', 'info', `output test by ${who(actor)}: ${o.name} (${o.kind}, line ${o.line}) ${req.on ? 'on' : 'off'} for ${ms} ms`, { actor, output: o.name, on: req.on, durationMs: ms });
    this.selfTestTimer = setTimeout(() => this.endSelfTest('annunciator.output-test-ended', `output test of ${o.name} finished; outputs back to the alarm states`), ms);
    return { ok: true, message: `${o.name} held ${req.on ? 'on' : 'off'} for ${ms} ms` };
  }

  /** Ends a running output test early (the installer has seen it); refused when none runs. */
  endOutputTest(name: string, actor: Actor): ActionResult {
    if (this.mode !== 'self-test' || this.testedOutput?.name !== name) return { ok: false, message: `no test of output "${name}" is running` };
    this.endSelfTest('annunciator.output-test-ended', `output test of ${name} ended by ${who(actor)}; outputs back to the alarm states`);
    return { ok: true, message: `test of ${name} ended` };
  }

  /** Every output to its declared safe state, held until recover(). Idempotent. */
  failsafe(reason: string): void {
    if (this.mode === 'failsafe' || this.mode === 'stopped') return;
    clearTimeout(this.selfTestTimer);
    this.testedOutput = null;
    this.mode = 'failsafe';
    this.failsafeReason = reason;
    for (const o of this.opts.outputs) {
      const player = this.players.get(o.name);
      player?.stop();
      player?.invalidate();
      this.drive(o.name, o.failsafe === 'on');
    }
    const held = this.opts.outputs.map((o) => `${o.name} ${o.failsafe}`).join(', ');
    this.emit('annunciator.failsafe-entered', 'fault', `outputs to their safe state (${held}): ${reason}`, { reason });
  }

  /** The runtime's report that the alarm engine failed (it threw, it stopped). */
  engineFailed(reason: string): void {
    this.failsafe(`alarm engine failed: ${reason}`);
  }

  /** Leaves failsafe if the engine is healthy again; refused (and says why) otherwise. */
  recover(actor: Actor): ActionResult {
    if (this.mode !== 'failsafe') return { ok: false, message: 'recover refused: the outputs are not in failsafe' };
    const problem = this.engineProblem();
    if (problem) return { ok: false, message: `recover refused: ${problem}` };
    const reason = this.failsafeReason;
    this.mode = 'normal';
    this.failsafeReason = null;
    this.watchingSince = this.opts.clock.monotonic();
    this.reportedFaults.clear();
    // What happened while outputs were held is not vouched for: unacknowledged alarms sound again.
    this.silenced.clear();
    this.resync();
    for (const o of this.opts.outputs) if (o.kind === 'relay') this.drive(o.name, this.relayCommands.get(o.name) ?? false);
    this.refresh();
    this.startWatchdogPulse();
    this.emit('annunciator.failsafe-left', 'info', `outputs back to normal operation by ${who(actor)} (failsafe was: ${reason})`, { actor, reason });
    return { ok: true, message: 'outputs back to normal operation' };
  }

  /** For the interlocks: switch a relay output and read it back. */
  setRelay(name: string, on: boolean): RelayResult {
    const o = this.byName.get(name);
    if (!o) return { ok: false, output: name, message: `no output named "${name}" (relays: ${this.relays().join(', ') || 'none'})` };
    if (o.kind !== 'relay') return { ok: false, output: name, message: `output "${name}" is a ${o.kind}, driven by the annunciator; interlocks switch relays (${this.relays().join(', ') || 'none configured'})` };
    this.relayCommands.set(name, on);
    if (this.mode === 'failsafe') {
      return { ok: false, output: name, message: `relay "${name}" is held ${o.failsafe} (its safe state) while outputs are in failsafe: ${this.failsafeReason}` };
    }
    this.drive(name, on);
    const s = this.opts.driver.state(name);
    const fault = s.fault?.message ?? null;
    return { ok: true, output: name, requested: on, on: s.on, level: s.level, fault, confirmed: s.on === on && s.level === levelFor(o, on) && fault === null };
  }

  status(): { mode: AnnunciatorMode; failsafeReason: string | null; outputs: OutputStatus[]; inputs: ReturnType<PhysicalInputs['states']> } {
    const outputs = this.opts.outputs.map((o): OutputStatus => {
      const s = this.opts.driver.state(o.name);
      return {
        name: o.name,
        kind: o.kind,
        line: o.line,
        on: s.on,
        level: s.level,
        pattern: this.players.get(o.name)?.pattern?.id ?? null,
        silenced: this.silenced.has(o.name),
        fault: s.fault?.message ?? null,
      };
    });
    return { mode: this.mode, failsafeReason: this.failsafeReason, outputs, inputs: this.inputs?.states() ?? [] };
  }

  // ---- the alarm path -----------------------------------------------------------------------

  private onTransition(t: AlarmTransition): void {
    if (this.mode === 'stopped') return;
    try {
      if (LAMP_STATES.has(t.to)) this.alarms.set(t.alarmId, { id: t.alarmId, class: t.class, priority: t.priority, state: t.to });
      else this.alarms.delete(t.alarmId);
      if (t.to === 'unacknowledged' && t.from !== 'unacknowledged') this.newActivation(t);
      this.refresh();
    } catch (e) {
      this.failsafe(`the annunciator failed on ${t.alarmId} ${t.event}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** A new activation re-arms the silenced sounders that cover it, and ends a self-test. */
  private newActivation(t: AlarmTransition): void {
    if (CLASS_PATTERNS[t.class].sounder !== null) {
      const rearmed = this.sounders().filter((o) => covers(o, t) && this.silenced.delete(o.name));
      if (rearmed.length) {
        const names = rearmed.map((o) => o.name);
        this.emit('annunciator.resounded', 'info', `${t.alarmId} activated: silenced sounders sound again (${names.join(', ')})`, { alarmId: t.alarmId, outputs: names });
      }
    }
    if (this.mode === 'self-test') {
      const what = this.testedOutput ? `output test of ${this.testedOutput.name}` : 'self-test';
      this.endSelfTest(this.testedOutput ? 'annunciator.output-test-aborted' : 'annunciator.self-test-aborted', `${what} ended early: ${t.alarmId} activated`);
    }
  }

  private refresh(): void {
    if (this.mode !== 'normal') return;
    for (const o of this.opts.outputs) {
      const player = this.players.get(o.name);
      if (!player || o.kind === 'watchdog') continue;
      player.play(this.patternFor(o));
    }
  }

  private patternFor(o: OutputConfig): Pattern {
    if (o.kind === 'sounder') {
      const c = sounderDemand(o, this.alarms.values(), this.silenced.has(o.name));
      return c ? (CLASS_PATTERNS[c].sounder ?? STEADY_OFF) : STEADY_OFF;
    }
    const c = lampDemand(o, this.alarms.values());
    return c ? CLASS_PATTERNS[c].lamp : STEADY_OFF;
  }

  /** Never throws into the alarm path: a driver failure is an output fault, reported. */
  private drive(name: string, on: boolean): void {
    try {
      this.opts.driver.set(name, on);
    } catch (e) {
      this.reportFault(`output "${name}"`, name, e instanceof Error ? e : new Error(String(e)));
    }
  }

  private resync(): void {
    this.alarms.clear();
    for (const a of this.opts.engine.snapshot()) {
      if (LAMP_STATES.has(a.state)) this.alarms.set(a.id, { id: a.id, class: a.class, priority: a.priority, state: a.state });
    }
  }

  private endSelfTest(type: string, message: string): void {
    clearTimeout(this.selfTestTimer);
    this.selfTestTimer = undefined;
    const tested = this.testedOutput;
    this.testedOutput = null;
    if (this.mode !== 'self-test') return;
    this.mode = 'normal';
    // A tested relay goes back to what the interlocks last asked of it (setRelay keeps that).
    if (tested?.kind === 'relay') this.drive(tested.name, this.relayCommands.get(tested.name) ?? false);
    this.refresh();
    this.emit(type, 'info', message);
  }

  private startWatchdogPulse(): void {
    for (const o of this.opts.outputs) if (o.kind === 'watchdog') this.players.get(o.name)?.play(WATCHDOG_PULSE);
  }

  // ---- the watchdog, faults, inputs ---------------------------------------------------------

  private check(): void {
    for (const [key] of this.reportedFaults) {
      const o = this.byName.get(key);
      if (o && this.opts.driver.state(key).fault === null) {
        this.reportedFaults.delete(key);
        this.emit('annunciator.output-recovered', 'info', `output "${key}" (line ${o.line}) is driven again`, { output: key, line: o.line });
      }
    }
    if (this.mode === 'failsafe' || this.mode === 'stopped') return;
    const problem = this.engineProblem();
    if (problem) this.failsafe(problem);
  }

  private engineProblem(): string | null {
    if (!this.opts.heartbeat) return null;
    try {
      return engineProblem(this.opts.heartbeat(), this.opts.clock.monotonic(), this.watchingSince, this.opts.engineStaleMs ?? 10_000);
    } catch (e) {
      return `alarm engine heartbeat failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  private reportFault(what: string, key: string | null, error: Error): void {
    const k = key ?? '(driver)';
    if (this.reportedFaults.get(k) === error.message) return;
    this.reportedFaults.set(k, error.message);
    const o = key ? this.byName.get(key) : undefined;
    this.emit(key?.startsWith('input:') ? 'annunciator.input-fault' : 'annunciator.output-fault', 'fault', `${what}${o ? ` (line ${o.line})` : ''}: ${error.message}`, {
      ...(o ? { output: o.name, line: o.line, kind: o.kind } : {}),
      error: error.message,
    });
  }

  private onPress(input: InputConfig): void {
    if (this.mode === 'stopped') return;
    try {
      this.opts.onInput?.(input.action, input.name);
    } catch (e) {
      this.emit('annunciator.input-failed', 'warning', `input "${input.name}" (${input.action}) could not be handled: ${e instanceof Error ? e.message : String(e)}`, { input: input.name, action: input.action });
    }
  }

  private sounders(): OutputConfig[] {
    return this.opts.outputs.filter((o) => o.kind === 'sounder');
  }

  private relays(): string[] {
    return this.opts.outputs.filter((o) => o.kind === 'relay').map((o) => o.name);
  }

  private emit(type: string, severity: EventSeverity, message: string, data?: Record<string, unknown>): void {
    try {
      this.opts.onEvent({ type, severity, ts: this.opts.clock.now(), clockTrusted: this.opts.clock.isTrusted(), message, ...(data ? { data } : {}) });
    } catch {
      // The journal's trouble must not reach the alarm path; the store reports its own faults.
    }
  }
}

function who(actor: Actor): string {
  return actor.name ? `${actor.kind}:${actor.name}` : actor.kind;
}
