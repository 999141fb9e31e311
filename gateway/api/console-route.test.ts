import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../health/metrics.js';
import { createBearerAuth } from './auth.js';
import { registerConsoleRoutes } from './console-route.js';
import { createApiServer, type ApiServer } from './server.js';
import { report } from './testing/fixtures.js';

const USERS = [{ name: 'li.na', token: 'kq3V9yXb7mJ2rT0pW6sLd1Hc' }];

const servers: ApiServer[] = [];
function server(users = USERS): ApiServer {
  const s = createApiServer({ source: { health: async () => report(), points: () => [] }, metrics: createMetrics(), port: 0, users });
  servers.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the local console pages', () => {
  it('/ sends the browser to /console/', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/console/');
  });

  it.each([
    ['/console/', 'text/html', '<script type="module" src="console.js">'],
    ['/console/console.js', 'text/javascript', "fetch('/api/whoami'"],
    ['/console/console.css', 'text/css', '@media (max-width: 600px)'],
  ])('serves %s as %s, unframeable and with no foreign or inline script allowed', async (url, type, content) => {
    const res = await server().app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(new RegExp(`^${type}`));
    expect(res.body).toContain(content);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves nothing else from the assets folder', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/console/../../package.json' });
    expect(res.statusCode).toBe(404);
  });

  it('without its asset files answers 503 naming the missing file, and the API keeps working', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'vigil-console-'));
    const app = Fastify({ logger: false });
    try {
      registerConsoleRoutes(app, { source: { health: async () => report(), points: () => [] }, auth: createBearerAuth(USERS) }, empty);
      app.get('/api/points', async () => ({ points: [] }));
      const res = await app.inject({ method: 'GET', url: '/console/' });
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toContain(join(empty, 'index.html'));
      expect((await app.inject({ method: 'GET', url: '/api/points' })).statusCode).toBe(200);
    } finally {
      await app.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('GET /api/whoami (the console login check)', () => {
  it('names the person a token belongs to', async () => {
    const res = await server().app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: `Bearer ${USERS[0]!.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'li.na' });
  });

  it('answers 401 for a wrong token and for none', async () => {
    const wrong = await server().app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: 'Bearer not-a-token' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('invalid_token');
    const none = await server().app.inject({ method: 'GET', url: '/api/whoami' });
    expect(none.statusCode).toBe(401);
  });

  it('answers 403 when the site has no api.users: nobody can log in', async () => {
    const res = await server([]).app.inject({ method: 'GET', url: '/api/whoami', headers: { authorization: 'Bearer anything' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toMatch(/api\.users/);
  });
});
