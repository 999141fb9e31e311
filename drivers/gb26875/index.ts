/**
 * GB/T 26875.3-2011 codec: one whole frame ⇄ typed control unit and application data.
 * See README.md for what is covered and how sure each layout is.
 */
export { ApplicationData, codecOf, isDataTypeFlag, type ObjectTypes, type TypedData, type UserDefinedData } from './adu.js';
export { ANALOG_TYPES, analogRaw, analogValue, type AnalogReading, type AnalogType } from './analog-types.js';
export { Command, COMPONENT_TYPES, DataType, isKnownCommand, isUserDefinedCommand, isUserDefinedType, SYSTEM_TYPES, type CommandCode, type DataTypeFlag } from './codes.js';
export { Gb26875EncodeError, toVigilError, type DecodeResult, type Gb26875DecodeError, type Gb26875DecodeErrorCode } from './errors.js';
export type { ComponentAddress, ComponentRef, SystemRef } from './fields.js';
export { FRAME_OVERHEAD, Gb26875Frame, MAX_ADU_LENGTH, type ControlUnit, type ProtocolVersion } from './frame.js';
export { decodeGbText, encodeGbTextField, encodeGbTextUpTo, gb18030ByteLength } from './gb18030.js';
export { confirmFrame, denyFrame, Gb26875Message, isHeartbeat, replyHeader } from './message.js';
export type { ReservedBody } from './objects/codec.js';
export type { ClockSync, DutyCheck } from './objects/control.js';
export type { ComponentConfig, FacilityOperation, FacilitySoftwareVersion, FacilitySystemConfig, FacilitySystemTime } from './objects/facility-info.js';
export { DESCRIPTION_SIZE, type AnalogValue, type ComponentStatus, type SystemStatus } from './objects/facility-state.js';
export { MAX_RECORDS_PER_READ, type ComponentQuery, type FacilityOperationsQuery, type UitdOperationsQuery } from './objects/reads.js';
export type { UitdConfig, UitdOperation, UitdSoftwareVersion, UitdStatus, UitdSystemTime } from './objects/uitd.js';
export {
  bitsOf,
  COMPONENT_STATUS_BITS,
  FACILITY_OPERATION_BITS,
  flagsOf,
  SYSTEM_STATUS_BITS,
  UITD_OPERATION_BITS,
  UITD_STATUS_BITS,
  type Flags,
} from './status-bits.js';
export { BEIJING_UTC_OFFSET_MINUTES, isValidTimeLabel, timeLabelFromDate, timeLabelToDate, type TimeLabel } from './time-label.js';
