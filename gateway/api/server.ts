import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { VigilError } from '../errors.js';
import type { Metrics } from '../health/metrics.js';
import { registerAlarmsRoutes } from './alarms-route.js';
import { createBearerAuth, type ApiUser } from './auth.js';
import { registerConsoleRoutes } from './console-route.js';
import { apiError } from './errors.js';
import { registerHealthRoute } from './health-route.js';
import { registerInterlocksRoutes } from './interlocks-route.js';
import { registerMetricsRoute } from './metrics-route.js';
import { registerOutputsRoutes } from './outputs-route.js';
import { registerPointsRoute } from './points-route.js';
import type { GatewaySource } from './types.js';

/**
 * The local HTTP API (docs/api.md). The source and the metrics are handed in, so a request can
 * never touch a bus or the store directly, and the server is tested alone. Alarm actions go
 * through the source's `alarms` and need a bearer token (api.users).
 */

/**
 * Loopback only unless the site file says otherwise: reading needs no authentication, and a
 * gateway often sits on a plant network that anyone can reach.
 */
export const DEFAULT_API_BIND = '127.0.0.1';

export interface ApiServerOptions {
  source: GatewaySource;
  metrics: Metrics;
  /** Errors are logged here (component api). Without it the server logs nothing. */
  logger?: Logger;
  /** Address to listen on; DEFAULT_API_BIND when omitted. Never widened to 0.0.0.0 by itself. */
  bind?: string;
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  /**
   * api.users with their resolved tokens (ResolvedSecrets.apiUsers). Alarm actions (POST) need
   * one of these tokens; without users every action answers 403. Reading stays open.
   */
  users?: readonly ApiUser[];
}

export interface ApiServer {
  readonly app: FastifyInstance;
  listen(): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export function createApiServer(opts: ApiServerOptions): ApiServer {
  const bind = opts.bind ?? DEFAULT_API_BIND;
  if (bind.trim() === '') {
    throw new VigilError('CONFIG_INVALID', 'api.bind is empty; use 127.0.0.1 unless the API must be reachable from the network', { bind });
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    throw new VigilError('CONFIG_INVALID', `api.port ${String(opts.port)} is not a TCP port (0–65535)`, { port: opts.port });
  }
  const log = opts.logger;

  // Our pino logger, or none; never fastify's own. Per-request logging is off: Prometheus
  // scrapes every few seconds and would bury the log that matters. Failures are logged below.
  const app = (
    log
      ? Fastify({ loggerInstance: log, logController: new LogController({ disableRequestLogging: true }) })
      : Fastify({ logger: false })
  ) as FastifyInstance;

  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send(apiError('not_found', `no route ${req.method} ${req.url}`));
  });

  // A failing source (store worker gone, a bug) answers 500 with a JSON body; the gateway
  // keeps running — the API is a window onto it, never a way to take it down.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500)) {
      void reply.code(err.statusCode ?? 400).send(apiError('bad_request', err.message));
      return;
    }
    log?.error({ err, method: req.method, url: req.url }, 'local API request failed');
    void reply.code(500).send(apiError('internal', `${req.method} ${req.url} failed: ${err.message}`));
  });

  registerHealthRoute(app, opts.source);
  registerPointsRoute(app, opts.source);
  registerMetricsRoute(app, opts.metrics);
  const actions = { source: opts.source, auth: createBearerAuth(opts.users), log };
  registerAlarmsRoutes(app, actions);
  registerInterlocksRoutes(app, actions);
  registerOutputsRoutes(app, actions);
  registerConsoleRoutes(app, actions);

  return {
    app,
    async listen() {
      await app.listen({ host: bind, port: opts.port });
      const addr = app.server.address() as AddressInfo;
      const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
      return { url: `http://${host}:${addr.port}`, port: addr.port };
    },
    async close() {
      await app.close();
    },
  };
}
