import { describe, expect, it } from 'vitest';
import { ElectricityWatcher } from './electricity-scenario.js';
import { clockTime } from './safety-view.js';

describe('the demo console’s view of electricity at the cloud', () => {
  const ts = Date.UTC(2026, 10, 23, 2, 15);

  it('shows electricity events and quarter-hour energy, and nothing else that arrives', () => {
    const w = new ElectricityWatcher('mqtt://127.0.0.1:1', 'vigil/demo-plant/gw-demo');
    w.take('vigil/demo-plant/gw-demo/events', {
      events: [
        { type: 'alarm.activated', message: 'gas-1 high', ts },
        { type: 'electricity.production-during-shutdown', message: 'production during shutdown: meter-1 drew 12.3 kW for 10 s', ts },
      ],
    });
    w.take('vigil/demo-plant/gw-demo/telemetry', {
      readings: [
        { device: 'gas-1', point: 'gas_lel', value: 3, quality: 'good', ts },
        { device: 'meter-1', point: 'energy_15min', value: 3.07, quality: 'good', ts },
        { device: 'site', point: 'energy_15min', value: 1.2, quality: 'bad', ts },
      ],
    });
    const t = clockTime(ts);
    expect(w.lines()).toEqual([
      `${t}  ⚡ the cloud received electricity.production-during-shutdown: production during shutdown: meter-1 drew 12.3 kW for 10 s`,
      `${t}  ⚡ quarter hour ending ${t}: meter-1 3.07 kWh`,
      `${t}  ⚡ quarter hour ending ${t}: site 1.20 kWh (quality bad: incomplete or estimated, the electricity.interval-flagged event says why)`,
    ]);
    expect(w.lines()).toEqual([]); // each line is shown once
  });
});
