import type { AlarmsResponse, HealthResponse, InterlockStatus, PointSnapshot } from '../../gateway/api/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';

/**
 * The gateway's local HTTP API (docs/api.md) as the scenarios use it: the one interface that is
 * the same on the virtual rig and on a bench rig. Actions carry the HIL user's bearer token and
 * a note, so the alarm journal shows the suite did them.
 */
export interface ActionAnswer {
  status: number;
  ok: boolean;
  message: string;
  state?: string;
}

export class GatewayApi {
  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async health(): Promise<HealthResponse> {
    // 503 carries the same body (a faulted gateway still says why).
    return this.get<HealthResponse>('/api/health', [200, 503]);
  }

  async alarms(): Promise<AlarmSnapshot[]> {
    return (await this.get<AlarmsResponse>('/api/alarms')).alarms;
  }

  async alarm(id: string): Promise<AlarmSnapshot | undefined> {
    return (await this.alarms()).find((a) => a.id === id);
  }

  async points(device?: string): Promise<PointSnapshot[]> {
    const body = await this.get<{ points: PointSnapshot[] }>(`/api/points${device ? `?device=${encodeURIComponent(device)}` : ''}`);
    return body.points;
  }

  async interlocks(): Promise<InterlockStatus[]> {
    return (await this.get<{ interlocks: InterlockStatus[] }>('/api/interlocks')).interlocks;
  }

  acknowledge(alarmId: string): Promise<ActionAnswer> {
    return this.post(`/api/alarms/${alarmId}/acknowledge`);
  }

  reset(alarmId: string): Promise<ActionAnswer> {
    return this.post(`/api/alarms/${alarmId}/reset`);
  }

  acknowledgeAll(): Promise<ActionAnswer> {
    return this.post('/api/alarms/acknowledge-all');
  }

  resetInterlock(name: string): Promise<ActionAnswer> {
    return this.post(`/api/interlocks/${name}/reset`);
  }

  private async get<T>(path: string, okStatuses: readonly number[] = [200]): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
    if (!okStatuses.includes(res.status)) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  private async post(path: string): Promise<ActionAnswer> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'HIL suite' }),
      signal: AbortSignal.timeout(5_000),
    });
    const body = (await res.json()) as { ok?: boolean; message?: string; state?: string; error?: { message?: string } | string };
    const message = body.message ?? (typeof body.error === 'string' ? body.error : body.error?.message) ?? JSON.stringify(body);
    return { status: res.status, ok: res.ok && body.ok !== false, message, ...(body.state ? { state: body.state } : {}) };
  }
}
