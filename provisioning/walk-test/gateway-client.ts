import type { AlarmsResponse, HealthResponse, InterlockStatus, OutputsReport, PointSnapshot } from '../../gateway/api/types.js';
import type { AlarmSnapshot } from '../../rules/model.js';

/**
 * The installer commands' view of a RUNNING gateway: its local HTTP API (docs/api.md), nothing
 * else — walk-test and live work the same against a Pi across the room and a demo on a laptop.
 * Reading needs no token; actions carry the installer's bearer token and a note, so the alarm
 * journal says who did them and why.
 */
export interface ActionReply {
  status: number;
  ok: boolean;
  message: string;
  state?: string;
}

export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly token: string | null = null,
    private readonly timeoutMs = 5_000,
  ) {}

  /** 503 carries the same body: a faulted gateway still says why. */
  health(): Promise<HealthResponse> {
    return this.get<HealthResponse>('/api/health', [200, 503]);
  }

  async points(device?: string): Promise<PointSnapshot[]> {
    return (await this.get<{ points: PointSnapshot[] }>(`/api/points${device ? `?device=${encodeURIComponent(device)}` : ''}`)).points;
  }

  alarms(): Promise<AlarmsResponse> {
    return this.get<AlarmsResponse>('/api/alarms');
  }

  async alarm(id: string): Promise<AlarmSnapshot | undefined> {
    return (await this.alarms()).alarms.find((a) => a.id === id);
  }

  /** null when the gateway has no outputs section (404). */
  async outputs(): Promise<OutputsReport | null> {
    const res = await this.fetch('GET', '/api/outputs');
    if (res.status === 404) return null;
    return (await this.decode<OutputsReport>(res, 'GET /api/outputs', [200])) ?? null;
  }

  async interlocks(): Promise<InterlockStatus[]> {
    return (await this.get<{ interlocks: InterlockStatus[] }>('/api/interlocks')).interlocks;
  }

  testOutput(name: string, on: boolean, seconds: number): Promise<ActionReply> {
    return this.post(`/api/outputs/${encodeURIComponent(name)}/test`, { on, seconds });
  }

  endOutputTest(name: string): Promise<ActionReply> {
    return this.post(`/api/outputs/${encodeURIComponent(name)}/test/end`, {});
  }

  acknowledge(alarmId: string, note: string): Promise<ActionReply> {
    return this.post(`/api/alarms/${alarmId}/acknowledge`, { note });
  }

  reset(alarmId: string, note: string): Promise<ActionReply> {
    return this.post(`/api/alarms/${alarmId}/reset`, { note });
  }

  private async get<T>(path: string, okStatuses: readonly number[] = [200]): Promise<T> {
    return this.decode<T>(await this.fetch('GET', path), `GET ${path}`, okStatuses);
  }

  private async post(path: string, body: object): Promise<ActionReply> {
    if (this.token === null) throw new Error(`POST ${path} needs a bearer token (--token-file)`);
    const res = await this.fetch('POST', path, body);
    const parsed = (await res.json()) as { ok?: boolean; message?: string; state?: string; error?: string };
    return { status: res.status, ok: res.ok && parsed.ok !== false, message: parsed.message ?? parsed.error ?? `HTTP ${res.status}`, ...(parsed.state ? { state: parsed.state } : {}) };
  }

  private async fetch(method: string, path: string, body?: object): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method === 'POST' && this.token !== null) headers.authorization = `Bearer ${this.token}`;
    try {
      return await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (e) {
      throw new Error(`${method} ${this.baseUrl}${path}: the gateway did not answer (${e instanceof Error ? e.message : String(e)}) — is \`vigil run\` running there?`);
    }
  }

  private async decode<T>(res: Response, what: string, okStatuses: readonly number[]): Promise<T> {
    if (!okStatuses.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
