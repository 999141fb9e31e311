import type { FastifyInstance } from 'fastify';
import { apiError } from './errors.js';
import type { GatewaySource } from './types.js';

interface PointsQuery {
  device?: string;
}

/**
 * GET /api/points[?device=NAME]: the latest value of every configured point. The source lists
 * every configured point (value null before its first reading), so a device filter that
 * matches nothing is a name that is not configured: 404 says so instead of an empty list that
 * looks like "no data yet" (DESIGN principle 7).
 */
export function registerPointsRoute(app: FastifyInstance, source: GatewaySource): void {
  app.get<{ Querystring: PointsQuery }>(
    '/api/points',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { device: { type: 'string', minLength: 1 } },
        },
      },
    },
    async (req, reply) => {
      const all = source.points();
      const { device } = req.query;
      const points = device === undefined ? all : all.filter((p) => p.device === device);
      if (device !== undefined && points.length === 0) {
        return reply.code(404).send(apiError('not_found', `no device named "${device}" is configured`));
      }
      return reply.header('cache-control', 'no-store').send({ points });
    },
  );
}
