import { ElectricityMonitor } from '../../rules/electricity/electricity-monitor.js';
import { isEstimated, type EnergyRecord } from '../../rules/electricity/energy-record.js';
import type { Clock } from '../clock/clock.js';
import type { SiteConfig } from '../config/schema.js';
import type { Reading } from '../readings.js';
import type { GatewayEvent } from '../store/store.js';

/** The point each meter (and "site") gets for its quarter-hour energy. */
export const ENERGY_INTERVAL_POINT = 'energy_15min';

export interface ElectricityRuntime {
  /** Called with every poll response (after the alarm path); synchronous and cheap. */
  onReadings(readings: readonly Reading[]): void;
  stop(): void;
}

/**
 * Electricity monitoring in the running gateway (standards.md §5): the quarter-hour energy of
 * each meter and of the site becomes a reading (`<meter>/energy_15min`, `site/energy_15min`, kWh,
 * time-stamped at the interval's end) that is stored and forwarded like any other; shutdown and
 * baseline findings are events. A record that is incomplete or estimated has quality `bad` and an
 * `electricity.interval-flagged` event says why — never a silent zero.
 */
export function startElectricity(opts: {
  config: SiteConfig;
  clock: Clock;
  emitEvent(event: GatewayEvent): void;
  /** Where the interval readings go: the point table and the store. */
  deliver(readings: Reading[]): void;
}): ElectricityRuntime | null {
  const cfg = opts.config.electricity;
  if (!cfg) return null;
  const { clock } = opts;
  const monitor = new ElectricityMonitor(cfg, {
    clock,
    emit: opts.emitEvent,
    onRecord: (r) => {
      opts.deliver([intervalReading(r)]);
      if (!r.complete || r.flags.length > 0) opts.emitEvent(flaggedEvent(r, clock));
    },
  });
  monitor.start();
  return {
    onReadings: (readings) => monitor.onReadings(readings),
    stop: () => monitor.stop(),
  };
}

export function intervalReading(r: EnergyRecord): Reading {
  const good = r.complete && r.kWh !== null && !isEstimated(r);
  return { device: r.meter, point: ENERGY_INTERVAL_POINT, value: r.kWh, unit: 'kWh', quality: good ? 'good' : 'bad', ts: r.end, clockTrusted: r.clockTrusted };
}

function flaggedEvent(r: EnergyRecord, clock: Clock): GatewayEvent {
  const what = [...r.flags, ...(r.missing?.length ? [`missing: ${r.missing.join(', ')}`] : [])].join('; ') || 'incomplete';
  return {
    type: 'electricity.interval-flagged',
    severity: 'info',
    ts: clock.now(),
    clockTrusted: clock.isTrusted(),
    message: `${r.meter}: energy ${new Date(r.start).toISOString()}–${new Date(r.end).toISOString()} is ${r.complete ? 'estimated' : 'incomplete'} (${what})`,
    device: r.meter,
    point: ENERGY_INTERVAL_POINT,
    data: { start: r.start, end: r.end, kWh: r.kWh, complete: r.complete, flags: r.flags, ...(r.missing ? { missing: r.missing } : {}) },
  };
}
