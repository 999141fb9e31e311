import type { InputConfig } from '../../gateway/config/safety-schema.js';
import type { Actor } from '../model.js';
import type { AlarmEngineView } from '../engine/types.js';

/**
 * What a panel button does, for the runtime's onInput callback (the annunciator only reports the
 * press; the runtime decides and journals). A local panel button acts on every alarm, as on a gas
 * or fire controller (GB 16808: silence, acknowledge, manual reset):
 * - silence: the sounders stop (strobes keep flashing); a new alarm re-sounds;
 * - acknowledge: every unacknowledged / returned-unacknowledged alarm is acknowledged, which also
 *   stops the sounders for them;
 * - silence-acknowledge: both;
 * - reset: every latched alarm is reset; the engine refuses those whose condition is still
 *   present, and the refusals are returned so they can be shown and journaled.
 */
export interface InputActionOutcome {
  action: InputConfig['action'];
  input: string;
  silenced: string[];
  acknowledged: string[];
  reset: string[];
  refused: { alarmId: string; message: string }[];
}

export function applyInputAction(
  action: InputConfig['action'],
  inputName: string,
  deps: { engine: AlarmEngineView; silence: (actor: Actor) => { silenced: string[] } },
): InputActionOutcome {
  const actor: Actor = { kind: 'button', name: inputName };
  const outcome: InputActionOutcome = { action, input: inputName, silenced: [], acknowledged: [], reset: [], refused: [] };
  if (action === 'silence' || action === 'silence-acknowledge') outcome.silenced = deps.silence(actor).silenced;
  if (action === 'acknowledge' || action === 'silence-acknowledge') {
    for (const a of deps.engine.snapshot()) {
      if (a.state !== 'unacknowledged' && a.state !== 'rtn-unacknowledged') continue;
      const r = deps.engine.command({ action: 'acknowledge', alarmId: a.id, actor });
      if (r.ok) outcome.acknowledged.push(a.id);
      else outcome.refused.push({ alarmId: a.id, message: r.message });
    }
  }
  if (action === 'reset') {
    for (const a of deps.engine.snapshot()) {
      if (a.state !== 'latched') continue;
      const r = deps.engine.command({ action: 'reset', alarmId: a.id, actor });
      if (r.ok) outcome.reset.push(a.id);
      else outcome.refused.push({ alarmId: a.id, message: r.message });
    }
  }
  return outcome;
}
