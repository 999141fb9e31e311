/**
 * Topic layout: everything a gateway publishes sits under one base,
 * `<topicPrefix>/<siteId>/<gatewayId>`, so a cloud consumer subscribes to
 * `<topicPrefix>/+/+/#` (all gateways) or `<topicPrefix>/<site>/#` (one site).
 * docs/messages.md is the user-facing description; keep the two in step.
 */
export interface Topics {
  base: string;
  /** Batched readings, QoS 1, not retained. */
  telemetry: string;
  /** Gateway events (faults, alarms, evictions, start/stop), QoS 1, not retained. */
  events: string;
  /** Birth (online) and death (offline, also the last will), QoS 1, retained. */
  state: string;
}

/** MQTT topic names must not contain wildcards, and an empty level would make the layout ambiguous. */
function checkLevel(what: string, value: string, allowSlash: boolean): void {
  if (value.length === 0) throw new TypeError(`${what} must not be empty`);
  if (/[#+\u0000]/.test(value)) throw new TypeError(`${what} "${value}" must not contain MQTT wildcards (+ #) or NUL`);
  if (!allowSlash && value.includes('/')) throw new TypeError(`${what} "${value}" must not contain "/"`);
  if (allowSlash && value.split('/').some((l) => l.length === 0)) {
    throw new TypeError(`${what} "${value}" must not have empty levels (leading, trailing or double "/")`);
  }
}

export function topicsFor(topicPrefix: string, siteId: string, gatewayId: string): Topics {
  checkLevel('topicPrefix', topicPrefix, true);
  checkLevel('site id', siteId, false);
  checkLevel('gateway id', gatewayId, false);
  const base = `${topicPrefix}/${siteId}/${gatewayId}`;
  return { base, telemetry: `${base}/telemetry`, events: `${base}/events`, state: `${base}/state` };
}
