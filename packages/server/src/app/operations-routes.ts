import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/connection.js';
import type { FieldCipher } from '../db/field-encryption.js';
import { migrationsComplete } from '../db/migrations.js';
import { unreadableKeyIds } from '../db/startup-checks.js';
import { createBearerTokenCheck } from '../http/api-token-auth.js';
import { DASHBOARD_PLACEHOLDER_HTML } from './dashboard-placeholder.js';
import type { ServerMetrics } from './metrics.js';

const KEY_CHECK_REUSE_MS = 5000;

/**
 * `/healthz`, `/readyz`, `/metrics` and `/`; `isShuttingDown` turns readiness off during shutdown. With a
 * `metricsToken`, `/metrics` needs it as a bearer token (Prometheus' `authorization` scrape setting);
 * health and readiness stay open for orchestrators' probes.
 */
export function registerOperationsRoutes(
  app: FastifyInstance,
  deps: {
    database: Database;
    /** Readiness fails while stored values are under a key this cipher does not hold. */
    cipher: FieldCipher;
    metrics: ServerMetrics;
    isShuttingDown: () => boolean;
    metricsToken?: string | undefined;
  },
): void {
  const { database, metrics } = deps;
  // Another instance with another key may write rows after this one started; the check reads every
  // row's key id, so a good answer is reused for a few seconds rather than rescanned on every probe.
  const storedKeys = {
    checkedAt: 0,
    result: [] as string[],
    async unreadable(): Promise<string[]> {
      if (this.result.length === 0 && Date.now() - this.checkedAt < KEY_CHECK_REUSE_MS) return this.result;
      this.result = await unreadableKeyIds(database, deps.cipher);
      this.checkedAt = Date.now();
      return this.result;
    },
  };
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await database.ping();
      if (!(await migrationsComplete(database.db, database.dialect))) {
        return reply.status(503).send({ status: 'not_ready', reason: 'migrations pending' });
      }
      const unreadable = await storedKeys.unreadable();
      if (unreadable.length > 0) {
        const reason = `stored data under encryption key ${unreadable.join(', ')}, which NOTIFYKIT_ENCRYPTION_KEY does not hold`;
        return reply.status(503).send({ status: 'not_ready', reason });
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
