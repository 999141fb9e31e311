import type { GatewayEvent } from '../../gateway/store/store.js';
import type { ChatterFinding } from './chatter-detector.js';
import type { FloodChange } from './flood-detector.js';

/**
 * The alarm-system KPI findings as events for the journal and the cloud (subject 'kpi'). The
 * event types are a cloud interface (docs/alarms.md): 'alarm.chattering', 'alarm.flood',
 * 'alarm.flood-ended'.
 */
export interface EventStamp {
  ts: number;
  clockTrusted: boolean;
}

export function chatteringEvent(f: ChatterFinding, alarm: { description: string; device?: string; point?: string }, stamp: EventStamp): GatewayEvent {
  const e: GatewayEvent = {
    type: 'alarm.chattering',
    severity: 'warning',
    ...stamp,
    message: `${alarm.description} (${f.alarmId}) is chattering: ${f.activations} activations within ${seconds(f.lastMono - f.firstMono)} (ISA-18.2: review its deadband and delays)`,
    data: { alarmId: f.alarmId, activations: f.activations, windowMs: f.windowMs, spanMs: f.lastMono - f.firstMono },
  };
  if (alarm.device !== undefined) e.device = alarm.device;
  if (alarm.point !== undefined) e.point = alarm.point;
  return e;
}

export function floodEvent(c: FloodChange, stamp: EventStamp): GatewayEvent {
  if (c.kind === 'started') {
    return {
      type: 'alarm.flood',
      severity: 'warning',
      ...stamp,
      message: `alarm flood: ${c.activations} alarms in the last ${minutes(c.windowMs)} (more than ${c.threshold} is more than a person can handle, ISA-18.2)`,
      data: { activations: c.activations, windowMs: c.windowMs, threshold: c.threshold },
    };
  }
  return {
    type: 'alarm.flood-ended',
    severity: 'info',
    ...stamp,
    message: `alarm flood over after ${seconds(c.durationMs)}: ${c.total} alarms during the flood, at most ${c.peak} within ${minutes(c.windowMs)}`,
    data: { activations: c.activations, windowMs: c.windowMs, durationMs: c.durationMs, total: c.total, peak: c.peak },
  };
}

function seconds(ms: number): string {
  return ms >= 120_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

function minutes(ms: number): string {
  return `${Math.round(ms / 60_000)} min`;
}
