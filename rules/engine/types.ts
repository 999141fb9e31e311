import type { AlarmCommand, AlarmSnapshot, AlarmTransition, CommandResult } from '../model.js';

/**
 * What the rest of the gateway sees of the alarm engine: the annunciator (outputs), the
 * interlocks, the schedules, the local API and cloud commands all work through this.
 */
export interface AlarmEngineView {
  /** Every alarm, in definition order. */
  snapshot(): AlarmSnapshot[];
  get(alarmId: string): AlarmSnapshot | undefined;
  /** A person's or a schedule's command; refused commands change nothing and say why. */
  command(cmd: AlarmCommand): CommandResult;
  /**
   * Called synchronously, on the alarm path, after each transition has been applied (so
   * snapshot() already shows it). Listeners must not block; a throwing listener is logged and
   * the others still run.
   */
  onTransition(listener: (transition: AlarmTransition) => void): void;
  /**
   * Called synchronously whenever an alarm's condition (after delays) changes, including while
   * it is shelved or suppressed — interlocks and votes act on conditions, not on annunciation.
   */
  onCondition(listener: (alarmId: string, active: boolean) => void): void;
}
