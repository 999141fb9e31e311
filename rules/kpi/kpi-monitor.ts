import type { GatewayEvent } from '../../gateway/store/store.js';
import { ChatterDetector, type ChatterOptions } from './chatter-detector.js';
import { FloodDetector, type FloodOptions } from './flood-detector.js';
import { chatteringEvent, floodEvent, type EventStamp } from './kpi-events.js';

export interface KpiAlarm {
  id: string;
  description: string;
  device?: string;
  point?: string;
}

/**
 * The ISA-18.2 nuisance KPIs the engine watches live (standards.md §6): chattering per alarm and
 * floods across all alarms, both fed with annunciated activations. Returns the events to journal
 * (subject 'kpi'); while a flood lasts, nextCheckAt() says when to call check() for its end.
 */
export class KpiMonitor {
  private readonly chatter: ChatterDetector;
  private readonly flood: FloodDetector;

  constructor(opts: { chatter?: Partial<ChatterOptions>; flood?: Partial<FloodOptions> } = {}) {
    this.chatter = new ChatterDetector(opts.chatter);
    this.flood = new FloodDetector(opts.flood);
  }

  activation(alarm: KpiAlarm, mono: number, stamp: EventStamp): GatewayEvent[] {
    const events: GatewayEvent[] = [];
    const chatter = this.chatter.activation(alarm.id, mono);
    if (chatter) events.push(chatteringEvent(chatter, alarm, stamp));
    const flood = this.flood.activation(mono);
    if (flood) events.push(floodEvent(flood, stamp));
    return events;
  }

  check(mono: number, stamp: EventStamp): GatewayEvent[] {
    const change = this.flood.check(mono);
    return change ? [floodEvent(change, stamp)] : [];
  }

  nextCheckAt(): number | null {
    return this.flood.nextCheckAt();
  }
}
