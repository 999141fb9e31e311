import type { GatewayEvent } from '../store/store.js';

export type DeviceState = 'starting' | 'ok' | 'comm-fault' | 'backed-off' | 'config-fault' | 'device-fault';

/**
 * Turns a device's state change into the event the cloud sees. A device that stops
 * answering is a fault (故障报警) to report, never a silent gap in the data.
 */
export function deviceStateEvent(
  device: string,
  from: DeviceState,
  to: DeviceState,
  detail: { ts: number; clockTrusted: boolean; lastError?: string },
): GatewayEvent | null {
  if (from === to) return null;
  const base = { ts: detail.ts, clockTrusted: detail.clockTrusted, device, data: { from, to, ...(detail.lastError ? { error: detail.lastError } : {}) } };
  switch (to) {
    case 'ok':
      return from === 'starting' ? null : { ...base, type: 'device.recovered', severity: 'info', message: `${device} answers again` };
    case 'comm-fault':
      // comm-fault → backed-off and back are one outage as far as the cloud is concerned
      return from === 'backed-off' ? null : { ...base, type: 'device.comm-fault', severity: 'fault', message: `${device} does not answer${detail.lastError ? `: ${detail.lastError}` : ''}` };
    case 'backed-off':
      return from === 'comm-fault' ? null : { ...base, type: 'device.comm-fault', severity: 'fault', message: `${device} does not answer and is backed off` };
    case 'config-fault':
      return { ...base, type: 'device.config-fault', severity: 'fault', message: `${device} rejects its register map${detail.lastError ? `: ${detail.lastError}` : ''} — check the profile and unit id` };
    case 'device-fault':
      return { ...base, type: 'device.device-fault', severity: 'fault', message: `${device} reports an internal failure${detail.lastError ? `: ${detail.lastError}` : ''}` };
    case 'starting':
      return null;
  }
}
