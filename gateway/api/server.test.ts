import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../health/metrics.js';
import { device, point, report } from './testing/fixtures.js';
import { createApiServer, type ApiServer } from './server.js';
import type { GatewaySource, HealthReport, PointSnapshot } from './types.js';

const POINTS: PointSnapshot[] = [
  point({ device: 'gas-1', point: 'concentration', value: 12.5, unit: '%LEL' }),
  point({ device: 'gas-1', point: 'sensor_fault', value: false }),
  point({ device: 'gas-2', point: 'concentration', value: null, unit: '%LEL', quality: 'comm-fault' }),
];

function source(over: Partial<GatewaySource> = {}): GatewaySource {
  return { health: async () => report(), points: () => POINTS, ...over };
}

const servers: ApiServer[] = [];
function server(src: GatewaySource = source(), extra: { logger?: pino.Logger } = {}): ApiServer {
  const s = createApiServer({ source: src, metrics: createMetrics(), bind: '127.0.0.1', port: 0, ...extra });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('GET /api/health', () => {
  it('answers 200 with the report and no reasons when ok', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body).toMatchObject({ status: 'ok', reasons: [], site: 'plant-a', gateway: 'gw-1', version: '0.1.0' });
    expect(body.devices.map((d: { name: string }) => d.name)).toEqual(['gas-1', 'gas-2']);
  });

  it('answers 200 when degraded, saying why', async () => {
    const src = source({ health: async () => report({ broker: { configured: true, connected: false, lastConnectedTs: null, lastError: 'ECONNREFUSED' } }) });
    const res = await server(src).app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'degraded', reasons: ['broker: not connected (ECONNREFUSED)'] });
  });

  it('answers 503 when faulted, so a health check sees it without reading the body', async () => {
    const src = source({ health: async () => report({ devices: [device({ name: 'gas-1', state: 'comm-fault', lastError: 'no answer' })] }) });
    const res = await server(src).app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'fault', reasons: ['device gas-1: comm-fault (no answer)'] });
  });

  it('answers 503 for a store that cannot report, with the store error in the body', async () => {
    const src = source({ health: async () => report({ outbox: { error: 'database is locked' } }) });
    const res = await server(src).app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json().outbox).toEqual({ error: 'database is locked' });
  });

  it('answers 500 with a JSON error when the source throws, logs it, and keeps serving', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    let fail = true;
    const src = source({
      health: async (): Promise<HealthReport> => {
        if (fail) throw new Error('store worker exited');
        return report();
      },
    });
    const s = server(src, { logger });

    const res = await s.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'GET /api/health failed: store worker exited' });
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ level: 50, msg: 'local API request failed', url: '/api/health', err: { message: 'store worker exited' } }]);

    fail = false;
    expect((await s.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });
});

describe('GET /api/points', () => {
  it('lists the latest value of every point', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/api/points' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ points: POINTS });
  });

  it('filters by device', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/api/points?device=gas-2' });
    expect(res.statusCode).toBe(200);
    expect(res.json().points).toEqual([POINTS[2]]);
  });

  it('answers 404 for a device that is not configured, instead of an empty list', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/api/points?device=gas-9' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no device named "gas-9" is configured' });
  });

  it('answers 400 for an empty device filter', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/api/points?device=' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('bad_request');
  });

  it('answers 500 with a JSON error when the source throws', async () => {
    const src = source({
      points: () => {
        throw new Error('point table not ready');
      },
    });
    const res = await server(src).app.inject({ method: 'GET', url: '/api/points' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'GET /api/points failed: point table not ready' });
  });
});

describe('GET /metrics', () => {
  it('serves the Prometheus text format with its content type', async () => {
    const metrics = createMetrics();
    metrics.setMqttConnected(true);
    const s = createApiServer({ source: source(), metrics, bind: '127.0.0.1', port: 0 });
    servers.push(s);
    const res = await s.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('\nvigil_mqtt_connected 1\n');
  });
});

describe('HEAD', () => {
  it.each([
    ['/api/health', 200],
    ['/api/points', 200],
    ['/metrics', 200],
    ['/api/nope', 404],
  ] as const)('HEAD %s → %i', async (url, code) => {
    const res = await server().app.inject({ method: 'HEAD', url });
    expect(res.statusCode).toBe(code);
    expect(res.body).toBe('');
  });
});

describe('unknown routes and methods', () => {
  it.each([
    ['GET', '/api/nope'],
    // `/` redirects to the local console (console-route.test.ts); a file the console does not have is a 404.
    ['GET', '/console/nope.js'],
    ['POST', '/api/health'],
  ] as const)('%s %s → JSON 404', async (method, url) => {
    const res = await server().app.inject({ method, url });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: `no route ${method} ${url}` });
  });
});

describe('createApiServer options', () => {
  it('refuses an empty bind address and an impossible port rather than guessing', () => {
    expect(() => createApiServer({ source: source(), metrics: createMetrics(), bind: ' ', port: 0 })).toThrow(/api\.bind is empty/);
    expect(() => createApiServer({ source: source(), metrics: createMetrics(), bind: '127.0.0.1', port: 70000 })).toThrow(/api\.port 70000/);
  });
});

describe('listen', () => {
  it('serves over real HTTP on 127.0.0.1 and reports its URL', async () => {
    const s = server();
    const { url, port } = await s.listen();
    expect(port).toBeGreaterThan(0);
    expect(url).toBe(`http://127.0.0.1:${port}`);

    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toContain('# TYPE vigil_device_up gauge');

    await s.close();
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });

  it('binds to 127.0.0.1 when no bind address is given', async () => {
    const s = createApiServer({ source: source(), metrics: createMetrics(), port: 0 });
    servers.push(s);
    const { url } = await s.listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
