import { IngoClient } from '@notifykit/sdk';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { type Database, openDatabase } from '../db/connection.js';
import { FieldCipher } from '../db/field-encryption.js';
import { migrateToLatest, migrationsComplete } from '../db/migrations.js';
import { registerApiRoutes } from '../disbursements/routes.js';
import { newInstanceId, StagingService } from '../disbursements/staging-service.js';
import { errorBody } from '../errors.js';
import { createErrorHandler } from '../http/error-handler.js';
import { buildOpenApiDocument } from '../http/openapi-document.js';
import { registerWebhookEndpoint } from '../webhooks/endpoint.js';
import { GroupCommitQueue } from '../webhooks/group-commit.js';
import { createWebhookBatchProcessor, type IngestResult, type VerifiedWebhook } from '../webhooks/ingestion.js';
import type { ServerConfig } from './config.js';
import { DASHBOARD_PLACEHOLDER_HTML } from './dashboard-placeholder.js';
import { createLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';

export interface ServerOptions {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream | undefined;
  /** Replaces fetch for the Ingo client (failure injection in tests). */
  fetch?: typeof fetch | undefined;
  /** Run the outbox worker (default true). */
  outboxWorker?: boolean | undefined;
}

export interface NotifykitServer {
  app: FastifyInstance;
  config: ServerConfig;
  database: Database;
  staging: StagingService;
  metrics: ServerMetrics;
  logger: Logger;
  /** Starts listening on config.host/config.port; resolves with the bound URL. */
  listen(): Promise<{ url: string; port: number }>;
  /** Stops accepting requests, finishes in-flight work, stops the worker and closes the database. */
  close(): Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  server: NotifykitServer;
  close(): Promise<void>;
}

function configSecrets(config: ServerConfig): string[] {
  return [
    config.ingo.secret,
    ...config.webhook.secrets,
    config.apiToken,
    ...config.encryptionKeys.map((k) => k.toString('base64')),
    ...(() => {
      try {
        return [new URL(config.databaseUrl).password].filter((p) => p.length > 0).map(decodeURIComponent);
      } catch {
        return [];
      }
    })(),
  ];
}

/** Builds the server (database opened and migrated, routes registered) without listening. */
export async function createServer(config: ServerConfig, options: ServerOptions = {}): Promise<NotifykitServer> {
  const logger = createLogger({
    level: config.logLevel,
    secrets: configSecrets(config),
    destination: options.logDestination,
  });
  const database = openDatabase(config.databaseUrl);
  try {
    const applied = await migrateToLatest(database.db, database.dialect);
    if (applied.length > 0) logger.info({ migrations: applied, database: database.description }, 'migrations applied');
  } catch (error) {
    await database.close();
    throw error;
  }
  const cipher = new FieldCipher(config.encryptionKeys);
  const client = new IngoClient({
    username: config.ingo.username,
    secret: config.ingo.secret,
    participantId: config.ingo.participantId,
    baseUrl: config.ingo.baseUrl,
    timeoutMs: config.ingo.timeoutMs,
    // One quick retry inside the request; the outbox owns longer-term retries.
    maxRetries: 1,
    retry: { initialDelayMs: 100, maxDelayMs: 500 },
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logger: {
      warn: (message, fields) => logger.warn(fields, message),
      error: (message, fields) => logger.error(fields, message),
    },
  });
  const metrics = new ServerMetrics(async () => {
    const row = await database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
  const staging = new StagingService({
    database,
    cipher,
    client,
    participantId: config.ingo.participantId,
    programRules: {},
    outbox: config.outbox,
    metrics,
    logger,
    instanceId: newInstanceId(),
    crashPoint: config.crashPoint,
  });
  const queue = new GroupCommitQueue<VerifiedWebhook, IngestResult>(createWebhookBatchProcessor(database), {
    maxBatchSize: config.webhookBatchSize,
    onBatch: (size) => metrics.webhookBatchSize.observe(size),
  });

  const app = Fastify({
    loggerInstance: logger as unknown as FastifyBaseLogger,
    // One debug line per request from our onResponse hook instead of Fastify's two info lines.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 256 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setErrorHandler(createErrorHandler(logger));
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (logger.isLevelEnabled('debug')) {
      logger.debug(
        { method: request.method, route, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) },
        'request',
      );
    }
  });

  let ready = true;
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await database.ping();
      if (!(await migrationsComplete(database.db, database.dialect))) {
        return reply.status(503).send({ status: 'not_ready', reason: 'migrations pending' });
      }
      if (!ready) return reply.status(503).send({ status: 'not_ready', reason: 'shutting down' });
      return { status: 'ready', database: database.dialect };
    } catch {
      return reply.status(503).send({ status: 'not_ready', reason: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_request, reply) => {
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(DASHBOARD_PLACEHOLDER_HTML));

  await registerWebhookEndpoint(app, { config, queue, metrics, staging, logger });
  await registerApiRoutes(app, {
    apiToken: config.apiToken,
    database,
    cipher,
    staging,
    openApiDocument: buildOpenApiDocument({}),
  });

  // The outbox worker: one pass at a time, every pollIntervalMs.
  let workerTimer: NodeJS.Timeout | undefined;
  let workerRun: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    workerRun = staging
      .runWorkerPass()
      .catch((error) => logger.error({ err: error }, 'outbox pass failed'))
      .finally(() => {
        if (!stopped) workerTimer = setTimeout(tick, config.outbox.pollIntervalMs);
      });
  };

  let closing: Promise<void> | undefined;
  const server: NotifykitServer = {
    app,
    config,
    database,
    staging,
    metrics,
    logger,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      if (options.outboxWorker !== false) tick();
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return { url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, port };
    },
    close() {
      closing ??= (async () => {
        ready = false;
        stopped = true;
        if (workerTimer) clearTimeout(workerTimer);
        // In-flight requests finish; keep-alive connections that become idle afterwards are closed too,
        // so shutdown does not wait for the clients' keep-alive timeout.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        await queue.drain();
        await workerRun;
        await database.close();
      })();
      return closing;
    },
  };
  return server;
}

/** Creates the server and starts listening: `{url, port, close()}`. */
export async function startServer(config: ServerConfig, options: ServerOptions = {}): Promise<RunningServer> {
  const server = await createServer(config, options);
  try {
    const { url, port } = await server.listen();
    return { url, port, server, close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}
