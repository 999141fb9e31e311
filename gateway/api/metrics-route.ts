import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../health/metrics.js';

/** GET /metrics: Prometheus text exposition format (content type from prom-client). */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.exposition();
    return reply.type(metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
