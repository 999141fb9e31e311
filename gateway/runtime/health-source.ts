import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../clock/clock.js';
import type { Store } from '../store/store.js';
import type { HealthReport } from '../api/types.js';
import { deriveStatus } from '../health/derive-status.js';
import type { DeviceState } from './device-events.js';
import { VERSION } from './version.js';

import type { BusHealth } from '../api/types.js';

interface DeviceView {
  name: string;
  bus: string;
  unitId: number;
  profile: string;
  state: DeviceState;
  status: { lastSuccessTs: number | null; lastError?: string; overruns: number };
}

interface BrokerView {
  configured: boolean;
  connected?: boolean;
  url?: string | undefined;
  lastConnectedTs?: number | null;
  lastError?: string | undefined;
}

export interface HealthSources {
  config: SiteConfig;
  clock: Clock;
  store: Store;
  buses(): BusHealth[];
  devices(): DeviceView[];
  broker(): BrokerView;
  storeError(): string | undefined;
  /** The safety layer's faults and warnings (gateway/runtime/safety.ts). */
  safety(): { faults: string[]; warnings: string[] };
}

/** Assembles /api/health from the live parts of the gateway. */
export class GatewayHealth {
  private readonly startedAt: number;

  constructor(private readonly src: HealthSources) {
    this.startedAt = src.clock.monotonic();
  }

  async report(): Promise<Omit<HealthReport, 'status'> & { status: HealthReport['status'] }> {
    const { src } = this;
    let outbox: HealthReport['outbox'];
    try {
      const s = await src.store.stats();
      const storeError = src.storeError();
      outbox = storeError ? { error: storeError } : { depth: s.depth, bytes: s.bytes, budgetBytes: s.budgetBytes, evicted: s.evicted, oldestTs: s.oldestTs, lastSeq: s.lastSeq };
    } catch (e) {
      outbox = { error: e instanceof Error ? e.message : String(e) };
    }
    const b = src.broker();
    const parts: Omit<HealthReport, 'status'> = {
      ts: src.clock.now(),
      uptimeSec: Math.round((src.clock.monotonic() - this.startedAt) / 1000),
      version: VERSION,
      site: src.config.site.id,
      gateway: src.config.gateway.id,
      clock: { trusted: src.clock.isTrusted(), now: src.clock.now() },
      buses: src.buses().map((x) => ({ ...x })),
      devices: src.devices().map((d) => ({
        name: d.name,
        bus: d.bus,
        unitId: d.unitId,
        profile: d.profile,
        state: d.state,
        lastSuccessTs: d.status.lastSuccessTs,
        ...(d.status.lastError ? { lastError: d.status.lastError } : {}),
        overruns: d.status.overruns,
      })),
      broker: {
        configured: b.configured,
        connected: b.connected ?? false,
        ...(b.url ? { url: b.url } : {}),
        lastConnectedTs: b.lastConnectedTs ?? null,
        ...(b.lastError ? { lastError: b.lastError } : {}),
      },
      outbox,
      safety: src.safety(),
    };
    return { ...parts, status: deriveStatus(parts) };
  }
}
