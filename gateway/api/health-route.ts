import type { FastifyInstance } from 'fastify';
import { evaluateHealth } from '../health/derive-status.js';
import type { GatewaySource, HealthResponse } from './types.js';

/**
 * GET /api/health. 200 for ok and degraded, 503 for fault: a load balancer, a systemd/docker
 * health check or a monitoring probe only sees the status code, and a faulted gateway (a
 * device not answering, the store failing) has lost part of its safety monitoring — that must
 * show as "unhealthy" without parsing the body. Degraded (broker away, clock unsynchronised …)
 * still monitors and alarms locally, so it answers 200 and says why in `reasons`.
 */
export function registerHealthRoute(app: FastifyInstance, source: GatewaySource): void {
  app.get('/api/health', async (_req, reply) => {
    const report = await source.health();
    const { reasons } = evaluateHealth(report);
    // status and reasons first: what a person reading the JSON wants to see before the detail.
    const { status, ...rest } = report;
    const body: HealthResponse = { status, reasons, ...rest };
    return reply
      .code(report.status === 'fault' ? 503 : 200)
      .header('cache-control', 'no-store')
      .send(body);
  });
}
