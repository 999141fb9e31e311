import type { Logger } from 'pino';
import { firePanelLinkFromConfig } from '../../drivers/fire-panel/from-config.js';
import type { FirePanelLink } from '../../drivers/fire-panel/panel-link.js';
import type { Clock } from '../clock/clock.js';
import type { SiteConfig } from '../config/schema.js';
import type { Reading } from '../readings.js';
import { storeBackedUitdQueue } from '../store/index.js';
import type { GatewayEvent, JournalEntry, Store } from '../store/store.js';
import { startFireCentre, type FireCentreRuntime } from './fire-centre.js';
import type { SafetySystem } from './safety.js';

export interface FireMonitoring {
  readonly panels: readonly { name: string; link: FirePanelLink }[];
  readonly centre: FireCentreRuntime | null;
  start(): void;
  /** Health: a lost panel or centre is a fault; one not heard from yet since start is degraded. */
  health(): { faults: string[]; warnings: string[] };
  stop(): Promise<void>;
}

/**
 * Fire-facility monitoring (智慧消防): the GB/T 26875.3 fire panels, whose readings take the same
 * alarm path as a poll response, and the link to the fire remote-monitoring centre that their
 * states go on to (docs/fire-panels.md).
 */
export function createFireMonitoring(opts: {
  config: SiteConfig;
  clock: Clock;
  store: Store;
  safety: SafetySystem;
  /** The runtime's alarm path (point table, engine, listeners, store). */
  onReadings(readings: Reading[]): void;
  emitEvent(event: GatewayEvent): void;
  journal(entry: JournalEntry): void;
  logger: Logger;
}): FireMonitoring {
  const { config, clock, logger } = opts;
  const centre = config.fireCentre
    ? startFireCentre({
        config: config.fireCentre,
        clock,
        queueStore: storeBackedUitdQueue(opts.store),
        engine: opts.safety.engine,
        journal: opts.journal,
        panels: () => panels.map((p) => p.link),
        logger: logger.child({ component: 'fire-centre' }),
      })
    : null;
  const panels = (config.firePanels ?? []).map((p) => {
    const link: FirePanelLink = firePanelLinkFromConfig(p, {
      clock,
      onReadings: (readings) => opts.onReadings(readings),
      onEvent: (event) => {
        opts.emitEvent(event);
        centre?.onPanelEvent(event, link);
      },
      logger: logger.child({ component: 'fire-panel', panel: p.name }),
    });
    return { name: p.name, link };
  });
  return {
    panels,
    centre,
    start: () => {
      for (const p of panels) p.link.start();
    },
    health() {
      const faults: string[] = [];
      const warnings: string[] = [];
      const c = centre?.health();
      if (c?.fault) faults.push(c.fault);
      if (c?.warning) warnings.push(c.warning);
      for (const { name, link } of panels) {
        if (link.isOnline()) continue;
        // A panel that stopped talking is a hole in fire monitoring; one not heard from yet is
        // only degraded (a transmission card dials in on its own schedule).
        if (link.counters().commFaults > 0) faults.push(`fire panel ${name}: link lost`);
        else warnings.push(`fire panel ${name}: not heard from yet`);
      }
      return { faults, warnings };
    },
    async stop() {
      await Promise.allSettled(panels.map((p) => p.link.stop()));
      await centre?.stop().catch(() => undefined);
    },
  };
}
