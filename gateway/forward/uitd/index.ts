/** Vigil as a GB/T 26875.3 user information transmission device (UITD): see README.md. */
export { FIRE_ALARM_BUDGET_MS, UitdConfigSchema, uitdConfigProblems, type UitdConfig, type UitdConfigProblem } from './config-schema.js';
export { DEFAULT_DUTY_CHECK_WINDOW_MS, DutyCheckTracker, type DutyCheckEnd, type DutyCheckRequest } from './duty-check.js';
export { MemoryUitdQueueStore, type UitdQueueStore } from './queue-store.js';
export { answerRead, READ_TYPES, type ReadAnswer, type UitdStateProvider } from './read-answers.js';
export {
  DEFAULT_UITD_DEADLINES_MS,
  UitdSendQueue,
  type PerPriority,
  type UitdDelivery,
  type UitdFailureReason,
  type UitdQueueStats,
  type UitdSendQueueEvents,
  type UitdSendQueueOptions,
  type UitdTransmitter,
} from './send-queue.js';
export { UITD_PRIORITIES, type UitdPriority, type UitdQueueItem, type UitdTimers } from './types.js';
export { UitdLink, type ClockSyncRequest, type DutyCheckAnswer, type UitdLinkCounters, type UitdLinkEvents, type UitdLinkHooks, type UitdLinkOptions } from './uitd-link.js';
