import type { Logger } from 'pino';
import { createGpio } from '../../drivers/gpio/create-gpio.js';
import type { Gpio } from '../../drivers/gpio/gpio.js';
import type { ResolvedPoint } from '../../drivers/modbus/codecs.js';
import type { BusQueue } from '../../drivers/modbus/bus-queue.js';
import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import { Annunciator } from '../../rules/annunciator/annunciator.js';
import { createOutputDriver } from '../../rules/annunciator/create-output-driver.js';
import { applyInputAction } from '../../rules/annunciator/input-actions.js';
import { resolveAlarms } from '../../rules/definitions/resolve.js';
import { AlarmEngine } from '../../rules/engine/alarm-engine.js';
import { InterlockController } from '../../rules/interlocks/interlock-controller.js';
import { interlockSubject } from '../../rules/interlocks/journal.js';
import { ModbusPointIo, type ModbusDeviceIo } from '../../rules/interlocks/modbus-point-io.js';
import type { InterlockStatus, TripTiming } from '../../rules/interlocks/types.js';
import type { Actor, ResolvedAlarm } from '../../rules/model.js';
import { NodeCronScheduler } from '../../rules/schedules/cron-scheduler.js';
import { Schedules } from '../../rules/schedules/schedules.js';
import { createAlarmActionsSource, type AlarmActionsParts } from '../api/alarm-source.js';
import type { AlarmActionsSource } from '../api/types.js';
import type { Clock } from '../clock/clock.js';
import type { SiteConfig } from '../config/schema.js';
import type { Reading } from '../readings.js';
import type { GatewayEvent, JournalEntry, Store } from '../store/store.js';
import type { AlarmPersister } from './alarm-persister.js';
import type { Metrics } from '../health/metrics.js';
import { INTERLOCK_STATES } from '../../rules/interlocks/types.js';
import { interlockFaultAlarms, interlockFaultReading } from './interlock-fault-alarms.js';

export interface SafetyOptions {
  config: SiteConfig;
  profiles: ProfileCatalog;
  clock: Clock;
  store: Pick<Store, 'loadAlarmStates' | 'readJournal'>;
  persister: AlarmPersister;
  logger: Logger;
  /** The bus queues and each device's resolved points, for interlock writes. */
  devices: ReadonlyMap<string, ModbusDeviceIo>;
  /** Shortest poll period: how long the engine may go without a reading before the watchdog worries. */
  fastestPollMs: number;
  /** Tests and the demo supply their own lines; default: the site file's outputs.driver. */
  gpio?: Gpio;
  /** Interlock trip timings (bench/alarm-latency). */
  onTripTiming?: (timing: TripTiming) => void;
  /** Alarms of other sources than Modbus profiles (fire panels' aggregate alarms). */
  extraAlarms?: readonly ResolvedAlarm[];
}

/** The running safety layer: the alarm engine and what hangs on it. */
export interface SafetySystem {
  readonly engine: AlarmEngine;
  readonly annunciator: Annunciator | null;
  readonly gpio: Gpio | null;
  readonly interlocks: InterlockController;
  readonly schedules: Schedules | null;
  /** What the local API and cloud commands act through. */
  readonly actions: AlarmActionsSource;
  /** The alarm path: synchronous, called with every poll response before the store sees it. */
  onReadings(readings: readonly Reading[]): void;
  /** Problems that make the gateway's health `fault` (engine failed, outputs in failsafe, interlock failed …). */
  faults(): string[];
  /** Things an operator should know that are not faults (bypassed interlocks, alarms out of service …). */
  warnings(): string[];
  stop(): Promise<void>;
}

/** The engine may go this many fastest poll periods without a reading before the watchdog trips (min 10 s). */
const WATCHDOG_POLL_PERIODS = 5;

/** How long the engine may go without evaluating a reading before it counts as stalled (the annunciator and systemd watchdogs agree on it). */
export function engineStaleMs(fastestPollMs: number): number {
  return Math.max(10_000, WATCHDOG_POLL_PERIODS * fastestPollMs);
}

/**
 * Builds the safety layer in the order its parts depend on each other, restoring what survived
 * the last run (alarm states, interlock states) before the first reading arrives: a latched
 * alarm is still latched and a tripped interlock still tripped after a reboot. Everything the
 * layer records goes through the AlarmPersister — off the alarm path, never waited for.
 */
export async function startSafety(opts: SafetyOptions): Promise<SafetySystem> {
  const { config, clock, logger, persister } = opts;
  const journal = (entry: JournalEntry): void => persister.persist([entry], []);
  const journalEvent = (subject: string) => (event: GatewayEvent) => journal({ subject, event });

  // ── the engine, restored ───────────────────────────────────────────────────────────
  const interlockAlarms = interlockFaultAlarms(config.interlocks ?? []);
  const alarms = [...resolveAlarms(config, opts.profiles), ...(opts.extraAlarms ?? []), ...interlockAlarms];
  const restored = await opts.store.loadAlarmStates();
  const engine = new AlarmEngine({ alarms, clock, restored, persist: persister.persist, logger: logger.child({ component: 'alarms' }) });
  let lastEvaluation: number | null = null;
  let engineFault: string | null = null;
  let gpio: Gpio | null = null;
  let annunciator: Annunciator | null = null;
  engine.onEngineFault((f) => {
    engineFault = f.message;
    annunciator?.engineFailed(f.message);
  });

  // ── outputs and inputs ─────────────────────────────────────────────────────────────
  if (config.outputs) {
    gpio = opts.gpio ?? createGpio(config.outputs.driver);
    await gpio.open();
    const driver = await createOutputDriver(config.outputs.lines, gpio);
    const ann: Annunciator = new Annunciator({
      outputs: config.outputs.lines,
      ...(config.outputs.inputs ? { inputs: config.outputs.inputs } : {}),
      driver,
      gpio,
      engine,
      clock,
      onEvent: journalEvent('annunciator'),
      onInput: (action, name) => {
        const outcome = applyInputAction(action, name, { engine, silence: (a) => ann.silence(a) });
        // The reset key also resets tripped interlocks whose triggers are gone (GB/T 50493 §5: manual reset).
        if (action === 'reset') for (const il of interlocks.status()) if (il.state === 'tripped' || il.state === 'failed') interlocks.reset(il.name, { kind: 'button', name });
        if (outcome.refused.length > 0) {
          // A refused reset (the gas is still there) is part of the record, like an API refusal's 409.
          journal({
            subject: `input:${name}`,
            event: { type: 'input.refused', severity: 'warning', ts: clock.now(), clockTrusted: clock.isTrusted(), message: `${name} (${action}): ${outcome.refused.length} alarm(s) refused — ${outcome.refused.map((r) => r.message).join('; ')}`, data: { input: name, action, refused: outcome.refused } },
          });
        }
      },
      heartbeat: () => ({ failed: engineFault, lastEvaluationMs: lastEvaluation, expectEvaluations: config.devices.length > 0 }),
      engineStaleMs: engineStaleMs(opts.fastestPollMs),
    });
    annunciator = ann;
  }

  // ── interlocks ─────────────────────────────────────────────────────────────────────
  const interlockConfigs = config.interlocks ?? [];
  const interlocks = new InterlockController(interlockConfigs, {
    engine,
    io: new ModbusPointIo(opts.devices, interlockConfigs),
    setRelay: (name, on) => {
      const r = annunciator?.setRelay(name, on);
      return r !== undefined && r.ok && r.confirmed;
    },
    outputNames: config.outputs?.lines.map((l) => l.name) ?? [],
    clock,
    journal,
    // A failed interlock is a fault alarm of its own (interlock/<name>): it sounds, it must be
    // acknowledged, and it stays on the alarm list until the interlock works again.
    onStateChange: (s: InterlockStatus) => engine.onReadings([interlockFaultReading(s, clock)]),
    ...(opts.onTripTiming ? { onTiming: opts.onTripTiming } : {}),
    logger: logger.child({ component: 'interlocks' }),
  });
  for (const il of interlockConfigs) {
    const [last] = await opts.store.readJournal({ subject: interlockSubject(il.name), limit: 1 });
    if (last) interlocks.restoreFromJournal({ subject: last.subject, event: last.event });
  }

  // ── schedules ──────────────────────────────────────────────────────────────────────
  const schedules = config.schedules
    ? new Schedules(config.schedules, {
        engine,
        scheduler: new NodeCronScheduler({ logger: logger.child({ component: 'schedules' }) }),
        clock,
        journal,
        ...(annunciator
          ? {
              selfTest: (durationMs: number, actor: Actor) => {
                const r = annunciator!.selfTest(durationMs, actor);
                if (!r.ok) throw new Error(r.message);
              },
            }
          : {}),
        logger: logger.child({ component: 'schedules' }),
      })
    : null;

  // ── go: the engine first (it may journal shelves that expired while we were down) ──
  engine.start();
  annunciator?.start();
  interlocks.start();
  for (const s of interlocks.status()) engine.onReadings([interlockFaultReading(s, clock)]);
  schedules?.start();

  const actions = createAlarmActionsSource({
    engine,
    readJournal: (q) => opts.store.readJournal(q),
    ...(annunciator
      ? {
          silence: (actor: Actor) => {
            const r = annunciator!.silence(actor);
            return annunciator!.status().mode === 'failsafe'
              ? { ok: false as const, refusal: 'not-applicable' as const, message: 'outputs are held in their safe state (failsafe); silence is refused until the fault is cleared' }
              : { ok: true as const, message: r.silenced.length > 0 ? `silenced: ${r.silenced.join(', ')}` : 'no sounder was sounding' };
          },
        }
      : {}),
    ...(annunciator
      ? {
          recoverOutputs: (actor: Actor) => {
            const r = annunciator!.recover(actor);
            return r.ok ? { ok: true as const, message: r.message } : { ok: false as const, refusal: 'not-applicable' as const, message: r.message };
          },
        }
      : {}),
    ...(annunciator ? { outputs: annunciatorOutputs(annunciator) } : {}),
    ...(interlockConfigs.length > 0
      ? {
          interlocks: {
            status: () => interlocks.status(),
            reset: (name: string, actor: Actor, note?: string) => interlocks.reset(name, actor, note),
            bypass: (name: string, actor: Actor, note?: string) => interlocks.bypass(name, actor, note),
            removeBypass: (name: string, actor: Actor, note?: string) => interlocks.removeBypass(name, actor, note),
          },
        }
      : {}),
  });

  return {
    engine,
    annunciator,
    gpio,
    interlocks,
    schedules,
    actions,
    onReadings(readings) {
      lastEvaluation = clock.monotonic();
      engine.onReadings(readings);
    },
    faults() {
      const out: string[] = [];
      if (engineFault !== null) out.push(`alarm engine: ${engineFault}`);
      const ann = annunciator?.status();
      if (ann?.mode === 'failsafe') out.push(`outputs: held in their safe state (${ann.failsafeReason ?? 'failsafe'})`);
      for (const o of ann?.outputs ?? []) if (o.fault) out.push(`output ${o.name}: ${o.fault}`);
      for (const il of interlocks.status()) if (il.state === 'failed') out.push(`interlock ${il.name}: failed${il.lastError ? ` (${il.lastError})` : ''}`);
      return out;
    },
    warnings() {
      const out: string[] = [];
      for (const il of interlocks.status()) if (il.state === 'bypassed') out.push(`interlock ${il.name}: bypassed`);
      const masked = engine.snapshot().filter((a) => a.state === 'out-of-service' || a.state === 'shelved' || a.state === 'suppressed');
      for (const a of masked) out.push(`alarm ${a.id}: ${a.state}`);
      return out;
    },
    async stop() {
      schedules?.stop();
      interlocks.stop();
      annunciator?.stop();
      engine.stop();
      await gpio?.close();
    },
  };
}

/** The annunciator as the API's outputs part: refusals sorted into unknown output (404) and conflicts (409). */
function annunciatorOutputs(ann: Annunciator): NonNullable<AlarmActionsParts['outputs']> {
  const names = new Set(ann.status().outputs.map((o) => o.name));
  return {
    status: () => {
      const s = ann.status();
      return { mode: s.mode, failsafeReason: s.failsafeReason, outputs: s.outputs };
    },
    test: (req, actor) => {
      const r = ann.testOutput(req, actor);
      if (r.ok) return r;
      return { ok: false, refusal: names.has(req.name) ? 'not-applicable' : 'unknown-output', message: r.message };
    },
    endTest: (name, actor) => {
      const r = ann.endOutputTest(name, actor);
      if (r.ok) return r;
      return { ok: false, refusal: names.has(name) ? 'not-applicable' : 'unknown-output', message: r.message };
    },
  };
}

/** Alarm counts, interlock states and the failsafe flag for /metrics (the stats tick calls this). */
export function publishSafetyMetrics(metrics: Metrics, safety: SafetySystem): void {
  const counts = new Map<string, { state: string; priority: string; count: number }>();
  for (const a of safety.engine.snapshot()) {
    const key = `${a.state}|${a.priority}`;
    const c = counts.get(key);
    if (c) c.count++;
    else counts.set(key, { state: a.state, priority: a.priority, count: 1 });
  }
  metrics.setAlarmCounts([...counts.values()]);
  for (const il of safety.interlocks.status()) metrics.setInterlockState(il.name, il.state, INTERLOCK_STATES);
  metrics.setOutputsFailsafe(safety.annunciator?.status().mode === 'failsafe');
}
