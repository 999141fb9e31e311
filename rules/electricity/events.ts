/**
 * The gateway events electricity monitoring raises (GatewayEvent: stored, never evicted,
 * forwarded to the cloud like any other event).
 */
import type { EventSeverity, GatewayEvent } from '../../gateway/store/store.js';
import { SITE } from './energy-record.js';

export const ELECTRICITY_EVENTS = {
  /** Consumption above the floor inside an ordered shutdown (standards.md §5 "production during suspension"). */
  productionDuringShutdown: 'electricity.production-during-shutdown',
  /** A shutdown window ended and every quarter hour inside it was measured at or below the floor. */
  shutdownRespected: 'electricity.shutdown-respected',
  /** A shutdown window ended with quarter hours above the floor (each was reported as it happened). */
  shutdownViolated: 'electricity.shutdown-violated',
  /** A shutdown window ended without enough measured quarter hours to say it was respected. */
  shutdownUnverified: 'electricity.shutdown-unverified',
  /** Consumption left its baseline band (standards.md §5: thresholds modelled from history). */
  baselineDeviation: 'electricity.baseline-deviation',
  /** Consumption is back inside the baseline band. */
  baselineReturned: 'electricity.baseline-returned',
} as const;

export interface EventInput {
  type: string;
  severity: EventSeverity;
  ts: number;
  clockTrusted: boolean;
  /** "site" or a meter's device name. */
  subject: string;
  message: string;
  data: Record<string, unknown>;
}

export function electricityEvent(e: EventInput): GatewayEvent {
  const untrusted = e.clockTrusted ? '' : ' (gateway clock not trusted: the times may be wrong)';
  return {
    type: e.type,
    severity: e.severity,
    ts: e.ts,
    clockTrusted: e.clockTrusted,
    message: e.message + untrusted,
    ...(e.subject !== SITE ? { device: e.subject } : {}),
    data: { subject: e.subject, ...e.data },
  };
}

/** "the site" / "meter pm-1" for messages. */
export const subjectLabel = (subject: string): string => (subject === SITE ? 'the site' : `meter ${subject}`);

export const fmt = (n: number): string => String(Math.round(n * 1000) / 1000);
