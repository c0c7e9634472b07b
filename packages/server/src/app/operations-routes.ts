import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/connection.js';
import { migrationsComplete } from '../db/migrations.js';
import { createBearerTokenCheck } from '../http/api-token-auth.js';
import { DASHBOARD_PLACEHOLDER_HTML } from './dashboard-placeholder.js';
import type { ServerMetrics } from './metrics.js';

/**
 * `/healthz`, `/readyz`, `/metrics` and `/`; `isShuttingDown` turns readiness off during shutdown. With a
 * `metricsToken`, `/metrics` needs it as a bearer token (Prometheus' `authorization` scrape setting);
 * health and readiness stay open for orchestrators' probes.
 */
export function registerOperationsRoutes(
  app: FastifyInstance,
  deps: {
    database: Database;
    metrics: ServerMetrics;
    isShuttingDown: () => boolean;
    metricsToken?: string | undefined;
  },
): void {
  const { database, metrics } = deps;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await database.ping();
      if (!(await migrationsComplete(database.db, database.dialect))) {
        return reply.status(503).send({ status: 'not_ready', reason: 'migrations pending' });
      }
      if (deps.isShuttingDown()) return reply.status(503).send({ status: 'not_ready', reason: 'shutting down' });
      return { status: 'ready', database: database.dialect };
    } catch {
      return reply.status(503).send({ status: 'not_ready', reason: 'database unreachable' });
    }
  });
  const checkMetricsToken =
    deps.metricsToken === undefined ? undefined : createBearerTokenCheck(deps.metricsToken, 'NOTIFYKIT_METRICS_TOKEN');
  app.get('/metrics', async (request, reply) => {
    checkMetricsToken?.(request.headers.authorization);
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(DASHBOARD_PLACEHOLDER_HTML));
}
