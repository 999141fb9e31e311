import { connect as mqttConnect, type MqttClient } from 'mqtt';
import { clockTime } from './safety-view.js';

/**
 * The electricity part of the demo (docs/electricity.md): meter-1 is the plant's main meter, and
 * the site file orders a shutdown (a dated window, as a 限电 order would be) that opens shortly
 * after the demo starts. The simulated plant keeps drawing ~12 kW, above the 5 kW floor, so the
 * gateway raises `electricity.production-during-shutdown` once the power has stayed above the
 * floor for `powerHoldSeconds`. The console shows what the cloud receives — the event and every
 * quarter-hour energy reading — by subscribing to the embedded broker like a platform would.
 */

export const ELECTRICITY_DEMO = {
  meter: 'meter-1',
  window: 'demo-ordered-shutdown',
  /** After the gas interlock (~21 s) and before the fire (35 s), so each story reads on its own. */
  shutdownAtMs: 24_000,
  /** A motor start is not production; 10 s keeps the demo short (the product default is 60 s). */
  powerHoldSeconds: 10,
  /** The plant's ventilation and lighting; the simulated load is ~12 kW. */
  floorKW: 5,
} as const;

/** ISO 8601 with seconds and a UTC offset, as the schema asks (no milliseconds: easier to read). */
function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The `electricity:` section of the demo site file; the window opens `shutdownAtMs` after `startedAt`. */
export function electricitySiteYaml(startedAt: number): string {
  const d = ELECTRICITY_DEMO;
  return `# Electricity monitoring (docs/electricity.md): quarter-hour energy of meter-1 and of the site, and an
# ordered shutdown that the demo plant does not respect. On a real site the dates come from the
# authority's order, or the platform pushes them (cloud command set-shutdown-windows).
electricity:
  meters:
    - { device: ${d.meter}, powerPoint: total_active_power, maxKW: 100 }
  shutdown:
    floor: { kW: ${d.floorKW}, kWhPerInterval: 1.5 }   # ventilation, drainage, lighting
    powerHoldSeconds: ${d.powerHoldSeconds}
    dates:
      - { name: ${d.window}, description: "限电 order (demo)", start: "${isoSeconds(startedAt + d.shutdownAtMs)}", end: "${isoSeconds(startedAt + d.shutdownAtMs + 2 * 3_600_000)}" }
`;
}

interface WireEvent {
  type: string;
  message: string;
  ts: number;
}

interface WireReading {
  device: string;
  point: string;
  value: unknown;
  quality: string;
  ts: number;
}

/**
 * What the cloud received about electricity, as console lines. A subscriber on the embedded
 * broker, so the lines prove the whole path: meter → gateway → store → MQTT.
 */
export class ElectricityWatcher {
  private readonly pending: string[] = [];
  private client: MqttClient | null = null;

  constructor(private readonly brokerUrl: string, private readonly base: string) {}

  start(): void {
    const client = mqttConnect(this.brokerUrl, { clientId: `vigil-demo-cloud-${process.pid}`, reconnectPeriod: 1_000 });
    this.client = client;
    client.on('connect', () => client.subscribe([`${this.base}/events`, `${this.base}/telemetry`], { qos: 1 }));
    client.on('message', (topic, payload) => {
      try {
        this.take(topic, JSON.parse(payload.toString('utf8')) as { events?: WireEvent[]; readings?: WireReading[] });
      } catch {
        // A payload the console cannot read is the cloud's problem to see, not the demo's to crash on.
      }
    });
    client.on('error', () => undefined); // reconnects by itself; the status line shows the broker link
  }

  /** Lines for what arrived since the last call. */
  lines(): string[] {
    return this.pending.splice(0);
  }

  take(topic: string, payload: { events?: WireEvent[]; readings?: WireReading[] }): void {
    if (topic.endsWith('/events')) {
      for (const e of payload.events ?? []) {
        if (e.type.startsWith('electricity.')) this.pending.push(`${clockTime(e.ts)}  ⚡ the cloud received ${e.type}: ${e.message}`);
      }
    } else {
      for (const r of payload.readings ?? []) {
        if (r.point !== 'energy_15min') continue;
        const value = typeof r.value === 'number' ? `${r.value.toFixed(2)} kWh` : 'no value';
        const flag = r.quality === 'good' ? '' : ` (quality ${r.quality}: incomplete or estimated, the electricity.interval-flagged event says why)`;
        this.pending.push(`${clockTime(r.ts)}  ⚡ quarter hour ending ${clockTime(r.ts)}: ${r.device} ${value}${flag}`);
      }
    }
  }

  async stop(): Promise<void> {
    await this.client?.endAsync(true).catch(() => undefined);
  }
}
