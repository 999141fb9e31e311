/**
 * Downstream control (command 1): 89 initialise, 90 clock sync, 91 duty-check (查岗).
 *
 * The transcription of §8.3.2.14–16 (ActorLancer/GB-T-26875.3.2011-rs, GB26875文档.md) gives all
 * three one reserved byte (=0). Its own example frames, whose checksums verify, differ for two:
 *  - 90 carries a 6-byte time label, the time to set ("5A 01 02 3A 09 1A 09 0C"). A clock sync
 *    without a time is meaningless, so we follow the example; a 1-byte type 90 is refused as
 *    body-too-short.
 *  - 91 carries 0x0A, described as "查岗命令 10分钟, 应答时间10分钟": the reserved byte used for the
 *    answer window in minutes. That is a centre's convention, not the standard's; we keep the
 *    byte as `answerMinutes` (0 = not given: the UITD holds the prompt the standard's 10 min).
 */
import { checkUint } from '../fields.js';
import { readTimeLabel, TIME_LABEL_SIZE, writeTimeLabel, type TimeLabel } from '../time-label.js';
import { fixed, reservedCodec, type ObjectCodec } from './codec.js';

export const initialiseUitd = reservedCodec('initialise UITD (初始化用户信息传输装置)');

/** 90: the time the UITD is to set its clock to. */
export interface ClockSync {
  readonly time: TimeLabel;
}

export const syncUitdClock: ObjectCodec<ClockSync> = {
  name: 'sync UITD clock (同步用户信息传输装置时钟)',
  maxCount: 1,
  size: TIME_LABEL_SIZE,
  from: (adu, o) => ({ time: readTimeLabel(adu, o) }),
  serialize: (c, path) => fixed(TIME_LABEL_SIZE, (b) => writeTimeLabel(c.time, b, 0, `${path}.time`)),
};

/** 91: 查岗, a person at the UITD must answer. */
export interface DutyCheck {
  /** The reserved byte; some centres send the answer window in minutes (see above). */
  readonly answerMinutes: number;
}

export const dutyCheck: ObjectCodec<DutyCheck> = {
  name: 'duty-check (查岗命令)',
  maxCount: 1,
  size: 1,
  from: (adu, o) => ({ answerMinutes: adu[o]! }),
  serialize: (d, path) => Buffer.from([checkUint(d.answerMinutes, 8, `${path}.answerMinutes`)]),
};
