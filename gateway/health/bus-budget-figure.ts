import type { ProfileCatalog } from '../../drivers/profiles/loader.js';
import { computeBusBudgets } from '../config/bus-budget.js';
import type { SiteConfig } from '../config/schema.js';

/**
 * The bus budget `vigil validate` prints (gateway/config/bus-budget.ts), reduced to the one
 * figure /api/health and the console show per bus: the share of the RTU line's time the site
 * file books, in per cent (100 = the line cannot keep up). Computed once at start: it depends
 * only on the configuration, never on traffic.
 *
 * TCP buses have no entry: their cost is a network round trip the site file does not tell, so
 * the budget does not compute a utilisation for them (docs/configuration.md "Bus budget").
 */
export function busBudgetPercents(config: Pick<SiteConfig, 'buses' | 'devices'>, profiles: ProfileCatalog): Map<string, number> {
  const out = new Map<string, number>();
  for (const b of computeBusBudgets(config, profiles)) {
    // One decimal: a percentage for people, not a measurement.
    if (b.type === 'rtu') out.set(b.bus.name, Math.round(b.utilisation * 1000) / 10);
  }
  return out;
}
