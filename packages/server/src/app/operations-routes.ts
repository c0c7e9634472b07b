import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/connection.js';
import { migrationsComplete } from '../db/migrations.js';
import type { ServerMetrics } from './metrics.js';

/** `/healthz`, `/readyz`, `/metrics`; `isShuttingDown` turns readiness off during shutdown. */
export function registerOperationsRoutes(
  app: FastifyInstance,
  deps: { database: Database; metrics: ServerMetrics; isShuttingDown: () => boolean },
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
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
}
