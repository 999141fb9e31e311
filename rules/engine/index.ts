export { AlarmEngine, MAX_SHELVE_MS, type AlarmEngineOptions, type EngineFault } from './alarm-engine.js';
export type { ConditionFactory } from './alarm-index.js';
export { ALARM_EVENT_TYPES } from './journal.js';
export type { AlarmEngineView } from './types.js';
