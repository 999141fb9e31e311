/**
 * The bit fields of GB/T 26875.3-2011 (transcription in ActorLancer/GB-T-26875.3.2011-rs,
 * GB26875文档.md; standards.md §3.2 [C*]). Decoded objects keep the raw number, so a frame
 * re-encodes byte for byte even with reserved bits set; these tables turn it into named flags.
 */

/** Building fire facility system status (§8.2.1.1), u16. */
export const SYSTEM_STATUS_BITS = {
  /** 1 = normal running (正常运行), 0 = test (测试). */
  normal: 0,
  fire: 1,
  fault: 2,
  /** 屏蔽: disabled/isolated. */
  shield: 3,
  /** 监管 */
  supervisory: 4,
  /** 1 = started/open (启动), 0 = stopped/closed. */
  started: 5,
  /** 反馈 */
  feedback: 6,
  /** 延时状态 */
  delay: 7,
  mainPowerFault: 8,
  backupPowerFault: 9,
  busFault: 10,
  /** 1 = manual mode, 0 = automatic. */
  manual: 11,
  configChanged: 12,
  reset: 13,
} as const;

/** Component running status (§8.2.1.2), u16; bits 9–15 reserved. */
export const COMPONENT_STATUS_BITS = {
  /** 1 = normal running, 0 = test. Panels are known to send 0 here with a fire (the transcription's own example does). */
  normal: 0,
  fire: 1,
  fault: 2,
  shield: 3,
  supervisory: 4,
  started: 5,
  feedback: 6,
  delay: 7,
  powerFault: 8,
} as const;

/** Facility operation flags (§8.2.1.4), u8; bit 7 reserved. */
export const FACILITY_OPERATION_BITS = {
  reset: 0,
  /** 消音 */
  silence: 1,
  manualAlarm: 2,
  /** 报警消除 */
  alarmCleared: 3,
  selfTest: 4,
  /** 确认 */
  confirm: 5,
  test: 6,
} as const;

/** UITD running status (§8.2.1.8), u8; bit 7 reserved. */
export const UITD_STATUS_BITS = {
  /** 1 = normal watch (正常监视), 0 = test. */
  normal: 0,
  fire: 1,
  fault: 2,
  mainPowerFault: 3,
  backupPowerFault: 4,
  /** 与监控中心通信信道故障 */
  centreLinkFault: 5,
  /** 监测连接线路故障: the line to the panel. */
  monitoredLineFault: 6,
} as const;

/** UITD operation flags (§8.2.1.9), u8; bit 7 reserved. */
export const UITD_OPERATION_BITS = {
  reset: 0,
  silence: 1,
  manualAlarm: 2,
  alarmCleared: 3,
  selfTest: 4,
  /** 查岗应答: a person answered the centre's duty-check. */
  dutyCheckAnswer: 5,
  test: 6,
} as const;

export type BitTable = Readonly<Record<string, number>>;
export type Flags<T extends BitTable> = { [K in keyof T]: boolean };

/** Named flags of a raw status value, e.g. flagsOf(COMPONENT_STATUS_BITS, 0x0003).fire === true. */
export function flagsOf<T extends BitTable>(table: T, value: number): Flags<T> {
  const out = {} as Record<string, boolean>;
  for (const [name, bit] of Object.entries(table)) out[name] = ((value >>> bit) & 1) === 1;
  return out as Flags<T>;
}

/** The raw value for a set of flags; flags not named are 0. */
export function bitsOf<T extends BitTable>(table: T, flags: Partial<Flags<T>>): number {
  let value = 0;
  for (const [name, on] of Object.entries(flags)) {
    const bit = table[name];
    if (on && bit !== undefined) value |= 1 << bit;
  }
  return value;
}
