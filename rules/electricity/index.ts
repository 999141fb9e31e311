/** Electricity monitoring for production safety (standards.md §5). */
export { ElectricityMonitor, type ElectricityMonitorDeps, type ElectricityStatus } from './electricity-monitor.js';
export { ElectricitySchema, CloudShutdownWindowsSchema, type ElectricityConfig, type CloudShutdownWindows } from './config-schema.js';
export { electricityProblems, type MeterDeviceInfo } from './config-problems.js';
export { SITE, type EnergyRecord, type EnergyFlag } from './energy-record.js';
export { EnergyIntervals, type EnergyIntervalsOptions, type EnergyMeter } from './energy-intervals.js';
export { ShutdownCalendar, type ShutdownWindow } from './shutdown-calendar.js';
export { ShutdownMonitor, type ShutdownFloor } from './shutdown-monitor.js';
export { BaselineHistory, BaselineExportSchema, type BaselineExport } from './baseline-history.js';
export { BaselineComparator, type BaselineSettings, type BaselineResult } from './baseline-comparator.js';
export { ELECTRICITY_EVENTS } from './events.js';
