/**
 * The annunciator's contract: its options, modes and the results of its actions, and the check
 * of its options (annunciator.ts holds the behaviour).
 */
import type { InputConfig, OutputConfig } from '../../gateway/config/safety-schema.js';
import type { Clock } from '../../gateway/clock/clock.js';
import type { GatewayEvent } from '../../gateway/store/store.js';
import type { Gpio, Level } from '../../drivers/gpio/gpio.js';
import type { AlarmEngineView } from '../engine/types.js';
import type { EngineHeartbeat } from './engine-watchdog.js';
import type { OutputDriver } from './output-driver.js';

export interface AnnunciatorOptions {
  outputs: readonly OutputConfig[];
  inputs?: readonly InputConfig[];
  driver: OutputDriver;
  /** Where the input lines are read; required when inputs are configured. */
  gpio?: Gpio;
  engine: AlarmEngineView;
  clock: Clock;
  onEvent: (event: GatewayEvent) => void;
  /** A debounced button press or key turn; required when inputs are configured (see input-actions.ts). */
  onInput?: (action: InputConfig['action'], inputName: string) => void;
  /** The engine's heartbeat, checked every watchdogCheckMs. */
  heartbeat?: () => EngineHeartbeat;
  watchdogCheckMs?: number;
  /** No evaluation for this long while devices poll → failsafe (default 10 s). */
  engineStaleMs?: number;
}

export type AnnunciatorMode = 'stopped' | 'normal' | 'self-test' | 'failsafe';

export type ActionResult = { ok: true; message: string } | { ok: false; message: string };

export type RelayResult =
  | {
      ok: true;
      output: string;
      requested: boolean;
      /** The read-back: logical state, physical level, and the line's standing fault. */
      on: boolean;
      level: Level;
      fault: string | null;
      /** The line is held at the level the request needs and has no fault. */
      confirmed: boolean;
    }
  | { ok: false; output: string; message: string };

export interface OutputStatus {
  name: string;
  kind: OutputConfig['kind'];
  line: number;
  on: boolean;
  level: Level;
  /** The pattern playing (sounders, strobes, lamps, watchdog); null when held (relays, failsafe). */
  pattern: string | null;
  silenced: boolean;
  fault: string | null;
}

/** Names and lines must be unique; inputs need a Gpio and a handler. Reports every problem. */
export function validateAnnunciatorOptions(opts: AnnunciatorOptions): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  const lines = new Map<number, string>();
  const see = (path: string, name: string, line: number) => {
    const prevName = names.get(name);
    if (prevName) problems.push(`${path}.name "${name}" is also used by ${prevName}`);
    else names.set(name, path);
    const prevLine = lines.get(line);
    if (prevLine) problems.push(`${path}.line ${line} is also used by ${prevLine}`);
    else lines.set(line, path);
  };
  opts.outputs.forEach((o, i) => see(`lines[${i}]`, o.name, o.line));
  (opts.inputs ?? []).forEach((i, n) => see(`inputs[${n}]`, i.name, i.line));
  if (opts.inputs?.length && !opts.gpio) problems.push('inputs are configured but no Gpio was given to read them');
  if (opts.inputs?.length && !opts.onInput) problems.push('inputs are configured but nothing handles a press (onInput)');
  return problems;
}
