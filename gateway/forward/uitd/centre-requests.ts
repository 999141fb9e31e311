/**
 * What the UITD does when the monitoring centre asks something of it (GB/T 26875.3-2011 §8.3):
 * reads (command 4 → answer 5 from the gateway's state, or deny 6) and control commands (89
 * initialise, 90 clock sync, 91 查岗 duty-check: confirmed, then handed to the owner). Split from
 * uitd-link.ts, which owns the connection, the serial numbers and the upstream queue.
 */
import type { SafeEmitter } from '../../safe-emitter.js';
import type { Clock } from '../../clock/clock.js';
import { Command, DataType, timeLabelToDate, type ApplicationData, type ControlUnit, type TimeLabel } from '../../../drivers/gb26875/index.js';
import type { UitdConfig } from './config-schema.js';
import type { DutyCheckTracker } from './duty-check.js';
import type { ClockSyncRequest, UitdLinkEvents, UitdLinkHooks } from './link-types.js';
import { answerRead, READ_TYPES, type UitdStateProvider } from './read-answers.js';

/** The link's parts a centre request may use. */
export interface CentreRequestContext {
  readonly cfg: UitdConfig;
  readonly clock: Clock;
  readonly state: UitdStateProvider;
  readonly hooks: UitdLinkHooks;
  readonly duty: DutyCheckTracker;
  readonly events: SafeEmitter<UitdLinkEvents>;
  reply(to: ControlUnit, command: typeof Command.Confirm | typeof Command.Answer | typeof Command.Deny, data?: ApplicationData): void;
  countInvalid(code: string): void;
  /** Now as a time label (the UITD's clock, for type 88 → 28). */
  label(): TimeLabel;
  unexpected(header: ControlUnit, type: number | string | undefined, reply: 'deny' | 'none'): void;
}

/** Command 4: answer from the gateway's state, or deny with the reason reported — never a made-up answer. */
export function answerCentreRead(ctx: CentreRequestContext, header: ControlUnit, data: ApplicationData | undefined): void {
  if (!data || data.type === 'user-defined' || !READ_TYPES.has(data.type)) {
    const type = data === undefined ? undefined : data.type === 'user-defined' ? data.flag : data.type;
    ctx.reply(header, Command.Deny);
    ctx.events.emit('read-denied', { type, reason: type === undefined ? 'a request with no data' : `type ${type} is not a read` });
    return;
  }
  const answer = answerRead(data, ctx.state, () => ctx.label());
  if (!answer.ok) {
    ctx.reply(header, Command.Deny);
    ctx.events.emit('read-denied', { type: data.type, reason: answer.reason });
    return;
  }
  ctx.reply(header, Command.Answer, answer.data);
  const objects = answer.data.type === 'user-defined' ? 0 : answer.data.objects.length;
  ctx.events.emit('read-answered', { type: data.type, objects, ...(answer.truncatedFrom ? { truncatedFrom: answer.truncatedFrom } : {}) });
}

/** Command 3: initialise, clock sync and 查岗 are confirmed and handed to the owner; anything else is denied. */
export function obeyCentreControl(ctx: CentreRequestContext, header: ControlUnit, data: ApplicationData | undefined): void {
  if (data?.type === DataType.SyncUitdClock) {
    const label = data.objects[0]!.time;
    const time = timeLabelToDate(label, ctx.cfg.utcOffsetMinutes);
    if (!time) {
      ctx.countInvalid('bad-clock-sync');
      ctx.reply(header, Command.Deny);
      ctx.events.emit('invalid-frame', { code: 'bad-clock-sync', message: `clock sync to ${JSON.stringify(label)}, which is not a date and time`, denied: true });
      return;
    }
    ctx.reply(header, Command.Confirm);
    // The OS clock is not set from here: the offset is recorded and the owner decides.
    const sync: ClockSyncRequest = { time, label, offsetMs: time.getTime() - ctx.clock.now() };
    ctx.events.emit('clock-sync', sync);
    ctx.hooks.onClockSync?.(sync);
    return;
  }
  if (data?.type === DataType.InitialiseUitd) {
    ctx.reply(header, Command.Confirm);
    ctx.hooks.onInitialise?.();
    return;
  }
  if (data?.type === DataType.DutyCheck) {
    // Confirm receipt now; the answer waits for a person (UitdLink.answerDutyCheck).
    ctx.reply(header, Command.Confirm);
    const request = ctx.duty.start(header.serial, data.objects[0]!.answerMinutes);
    ctx.hooks.onDutyCheck?.(request);
    return;
  }
  ctx.unexpected(header, data === undefined ? undefined : data.type === 'user-defined' ? data.flag : data.type, 'deny');
}
