/**
 * The code tables of GB/T 26875.3-2011, from the transcription in
 * ActorLancer/GB-T-26875.3.2011-rs (GB26875文档.md), which standards.md §3.2 tags [C*]
 * (confirmed only in a secondary source). English names are ours.
 */

/** Control-unit command byte (byte 27), §6 表2. */
export const Command = {
  /** 控制命令: the centre controls the UITD (initialise, clock sync, duty-check). */
  Control: 1,
  /** 发送数据: fire alarms and running status, sent unasked. */
  Send: 2,
  /** 确认: the answer to a control command or to sent data. */
  Confirm: 3,
  /** 请求: a query. */
  Request: 4,
  /** 应答: the answer to a query. */
  Answer: 5,
  /** 否认: the refusal of a control command or of sent data (a check error). */
  Deny: 6,
} as const;
export type CommandCode = (typeof Command)[keyof typeof Command];

/** 0 and 7–127 are reserved: receiving one is a check error (§6.5). 128–255 are user-defined. */
export function isKnownCommand(command: number): boolean {
  return (command >= 1 && command <= 6) || (command >= 128 && command <= 255);
}

export function isUserDefinedCommand(command: number): boolean {
  return command >= 128 && command <= 255;
}

/** Type flag (类型标志), the first ADU byte, §8.1 表3. */
export const DataType = {
  // upstream: building fire facilities (建筑消防设施)
  SystemStatus: 1,
  ComponentStatus: 2,
  AnalogValue: 3,
  FacilityOperation: 4,
  FacilitySoftwareVersion: 5,
  FacilitySystemConfig: 6,
  ComponentConfig: 7,
  FacilitySystemTime: 8,
  // upstream: the user information transmission device (UITD, 用户信息传输装置)
  UitdStatus: 21,
  UitdOperation: 24,
  UitdSoftwareVersion: 25,
  UitdConfig: 26,
  UitdSystemTime: 28,
  // downstream: reads of facility data
  ReadSystemStatus: 61,
  ReadComponentStatus: 62,
  ReadAnalogValue: 63,
  ReadFacilityOperations: 64,
  ReadFacilitySoftwareVersion: 65,
  ReadFacilitySystemConfig: 66,
  ReadComponentConfig: 67,
  ReadFacilitySystemTime: 68,
  // downstream: reads of UITD data, and control of the UITD
  ReadUitdStatus: 81,
  ReadUitdOperations: 84,
  ReadUitdSoftwareVersion: 85,
  ReadUitdConfig: 86,
  ReadUitdSystemTime: 88,
  InitialiseUitd: 89,
  SyncUitdClock: 90,
  DutyCheck: 91,
} as const;
export type DataTypeFlag = (typeof DataType)[keyof typeof DataType];

/** 128–254 are user-defined (表3 stops at 254; 255 is not listed, so it is treated as reserved). */
export function isUserDefinedType(flag: number): boolean {
  return flag >= 128 && flag <= 254;
}

/** System type (系统类型标志), §8.2.1.1 表4. */
export const SYSTEM_TYPES: ReadonlyMap<number, string> = new Map([
  [0, '通用 general'],
  [1, '火灾报警系统 fire alarm system'],
  [10, '消防联动控制器 fire linkage controller'],
  [11, '消火栓系统 hydrant system'],
  [12, '自动喷水灭火系统 automatic sprinkler system'],
  [13, '气体灭火系统 gas extinguishing system'],
  [14, '水喷雾灭火系统（泵启动方式） water spray system (pump start)'],
  [15, '水喷雾灭火系统（压力容器启动方式） water spray system (pressure vessel start)'],
  [16, '泡沫灭火系统 foam system'],
  [17, '干粉灭火系统 dry powder system'],
  [18, '防烟排烟系统 smoke control system'],
  [19, '防火门及卷帘系统 fire doors and shutters'],
  [20, '消防电梯 fire lift'],
  [21, '消防应急广播 emergency broadcast'],
  [22, '消防应急照明和疏散指示系统 emergency lighting and evacuation signs'],
  // The transcription repeats 消防电梯 for 23; standards.md §3.2 reads it as the fire power supply.
  [23, '消防电源 fire power supply'],
  [24, '消防电话 fire telephone'],
]);

/** Component type (部件类型), §8.2.1.2 表5 — every named entry of the transcription. */
export const COMPONENT_TYPES: ReadonlyMap<number, string> = new Map([
  [0, '通用 general'],
  [1, '火灾报警控制器 fire alarm control panel'],
  [10, '可燃气体探测器 combustible gas detector'],
  [11, '点型可燃气体探测器 point combustible gas detector'],
  [12, '独立式可燃气体探测器 stand-alone combustible gas detector'],
  [13, '线型可燃气体探测器 line-type combustible gas detector'],
  [16, '电气火灾监控报警器 electrical fire monitoring alarm unit'],
  [17, '剩余电流式电气火灾监控探测器 residual-current electrical fire detector'],
  [18, '测温式电气火灾监控探测器 temperature-type electrical fire detector'],
  [21, '探测回路 detection loop'],
  [22, '火灾显示盘 fire display panel'],
  [23, '手动火灾报警按钮 manual call point'],
  [24, '消防栓按钮 hydrant button'],
  [25, '火灾探测器 fire detector'],
  [30, '感温火灾探测器 heat detector'],
  [31, '点型感温火灾探测器 point heat detector'],
  [32, '点型感温火灾探测器（S型） point heat detector (S)'],
  [33, '点型感温火灾探测器（R型） point heat detector (R)'],
  [34, '线型感温火灾探测器 line heat detector'],
  [35, '线型感温火灾探测器（S型） line heat detector (S)'],
  [36, '线型感温火灾探测器（R型） line heat detector (R)'],
  [37, '光纤感温火灾探测器 fibre-optic heat detector'],
  [40, '感烟火灾探测器 smoke detector'],
  [41, '点型离子感烟火灾探测器 point ionisation smoke detector'],
  [42, '点型光电感烟火灾探测器 point photoelectric smoke detector'],
  [43, '线型光束感烟火灾探测器 beam smoke detector'],
  [44, '吸气式感烟火灾探测器 aspirating smoke detector'],
  [50, '复合式火灾探测器 multi-sensor detector'],
  [51, '复合式感烟感温火灾探测器 smoke-heat detector'],
  [52, '复合式感光感温火灾探测器 flame-heat detector'],
  [53, '复合式感光感烟火灾探测器 flame-smoke detector'],
  [61, '紫外火灾探测器 ultraviolet flame detector'],
  [62, '红外火焰探测器 infrared flame detector'],
  [69, '感光火灾探测器 flame detector'],
  [74, '气体探测器 gas detector'],
  [78, '图像摄像方式火灾探测器 video fire detector'],
  [79, '感声火灾探测器 acoustic fire detector'],
  [81, '气体灭火控制器 gas extinguishing controller'],
  [82, '消防电气控制装置 fire electrical control device'],
  [83, '消防控制室图形显示装置 fire control room graphic display'],
  [84, '模块 module'],
  [85, '输入模块 input module'],
  [86, '输出模块 output module'],
  [87, '输入/输出模块 input/output module'],
  [88, '中继模块 repeater module'],
  [91, '消防水泵 fire pump'],
  [92, '消防水箱 fire water tank'],
  [95, '喷淋泵 sprinkler pump'],
  [96, '水流指示器 water flow indicator'],
  [97, '信号阀 signal valve'],
  [98, '报警阀 alarm valve'],
  [99, '压力开关 pressure switch'],
  [101, '阀驱动装置 valve actuator'],
  [102, '防火门 fire door'],
  [103, '防火阀 fire damper'],
  [104, '通风空调 ventilation and air conditioning'],
  [105, '泡沫液泵 foam pump'],
  [106, '管网电磁阀 pipe network solenoid valve'],
  [111, '防烟排烟风机 smoke control fan'],
  [113, '排烟防火阀 smoke exhaust fire damper'],
  [114, '常闭送风口 normally closed air inlet'],
  [115, '排烟口 smoke vent'],
  [116, '电控挡烟垂壁 electric smoke curtain'],
  [117, '防火卷帘控制器 fire shutter controller'],
  [118, '防火门监控器 fire door monitor'],
  [121, '报警装置 alarm device'],
]);
