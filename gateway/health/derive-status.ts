import type { DeviceState, HealthParts, HealthStatus } from '../api/types.js';

/**
 * The one place that decides whether the gateway is ok, degraded or faulted. Pure, so every
 * rule has a table test and the API, the MQTT state message and the CLI can never disagree.
 *
 * fault — safety monitoring is lost somewhere (DESIGN principle 2: lost communication is a
 *   fault, never silence), or readings can no longer be kept (principle 3):
 *   - a device is comm-fault, backed-off, config-fault or device-fault;
 *   - the store could not report its state;
 *   - the safety layer cannot vouch for itself: the alarm engine failed, the outputs are held in
 *     their safe state, an output line is faulty, an interlock failed.
 * degraded — monitoring works locally but something the operator should fix is wrong:
 *   - the broker is configured but not connected (readings pile up in the outbox);
 *   - the wall clock is not trusted (time stamps may be wrong);
 *   - the outbox holds more than 80 % of its byte budget (eviction of telemetry is near);
 *   - a device has not answered yet since start;
 *   - an interlock is bypassed, or alarms are shelved, suppressed or out of service (ISA-18.2:
 *     report them — a hidden alarm is a hole in the protection someone chose to accept).
 */

/** Share of the outbox budget above which the gateway reports degraded. */
export const OUTBOX_DEGRADED_RATIO = 0.8;

const FAULT_STATES: ReadonlySet<DeviceState> = new Set<DeviceState>([
  'comm-fault',
  'backed-off',
  'config-fault',
  'device-fault',
]);

export interface StatusWithReasons {
  status: HealthStatus;
  /** One sentence per problem, faults first; empty when ok. */
  reasons: string[];
}

/** The status of the gateway from its parts. */
export function deriveStatus(parts: HealthParts): HealthStatus {
  return evaluateHealth(parts).status;
}

/** The status and why; GET /api/health shows the reasons next to the status. */
export function evaluateHealth(parts: HealthParts): StatusWithReasons {
  const faults: string[] = [];
  const degraded: string[] = [];

  for (const d of parts.devices) {
    const detail = d.lastError ? ` (${d.lastError})` : '';
    if (FAULT_STATES.has(d.state)) faults.push(`device ${d.name}: ${d.state}${detail}`);
    else if (d.state === 'starting') degraded.push(`device ${d.name}: has not answered yet`);
  }

  if ('error' in parts.outbox) {
    // Store errors usually name the store already ("store: … disk is full"); say it once.
    const error = parts.outbox.error;
    faults.push(error.startsWith('store:') ? error : `store: ${error}`);
  } else {
    const { bytes, budgetBytes } = parts.outbox;
    // budgetBytes <= 0 would make every outbox "full"; such a budget is rejected by config
    // validation, so here it only means "no budget known" and is not judged.
    if (budgetBytes > 0 && bytes > budgetBytes * OUTBOX_DEGRADED_RATIO) {
      const pct = Math.round((bytes / budgetBytes) * 100);
      degraded.push(`outbox: ${pct}% of its ${budgetBytes}-byte budget used; oldest telemetry will be evicted at 100%`);
    }
  }

  if (parts.broker.configured && !parts.broker.connected) {
    const detail = parts.broker.lastError ? ` (${parts.broker.lastError})` : '';
    degraded.push(`broker: not connected${detail}`);
  }

  if (parts.safety) {
    faults.push(...parts.safety.faults);
    degraded.push(...parts.safety.warnings);
  }

  if (!parts.clock.trusted) degraded.push('clock: wall time not synchronised; time stamps are marked untrusted');

  if (faults.length > 0) return { status: 'fault', reasons: [...faults, ...degraded] };
  if (degraded.length > 0) return { status: 'degraded', reasons: degraded };
  return { status: 'ok', reasons: [] };
}
