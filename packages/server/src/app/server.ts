import { IngoClient } from '@notifykit/sdk';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { DestinationStream, Logger } from 'pino';
import { type Database, openDatabase } from '../db/connection.js';
import { FieldCipher } from '../db/field-encryption.js';
import { migrateToLatest } from '../db/migrations.js';
import { ensureDatabaseReachable, ensureStoredDataReadable } from '../db/startup-checks.js';
import { disbursementRoutes } from '../disbursements/routes.js';
import { API_PREFIX, registerApi } from '../http/api-scope.js';
import { createErrorHandler, notFoundHandler } from '../http/error-handler.js';
import { buildOpenApiDocument } from '../http/openapi-document.js';
import { registerSecurityHeaders } from '../http/security-headers.js';
import { crashHook } from '../outbox/crash-points.js';
import { newInstanceId, Outbox } from '../outbox/outbox.js';
import { registerWebhookEndpoint } from '../webhooks/endpoint.js';
import { GroupCommitQueue } from '../webhooks/group-commit.js';
import { registerInboxRoutes } from '../webhooks/inbox.js';
import { createWebhookBatchProcessor, type IngestResult, type VerifiedWebhook } from '../webhooks/ingestion.js';
import type { ServerConfig } from './config.js';
import { createLogger } from './logger.js';
import { ServerMetrics } from './metrics.js';
import { registerOperationsRoutes } from './operations-routes.js';

// The wiring: one database, one Ingo client, one outbox, one group-commit queue, the routes of every
// feature behind one error handler, and the order in which all of it starts and stops.

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
  outbox: Outbox;
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
    ...(config.metricsToken === undefined ? [] : [config.metricsToken]),
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

function ingoClient(config: ServerConfig, logger: Logger, fetchImpl: typeof fetch | undefined): IngoClient {
  return new IngoClient({
    username: config.ingo.username,
    secret: config.ingo.secret,
    participantId: config.ingo.participantId,
    baseUrl: config.ingo.baseUrl,
    timeoutMs: config.ingo.timeoutMs,
    // One quick retry inside the request; the outbox owns longer-term retries.
    maxRetries: 1,
    retry: { initialDelayMs: 100, maxDelayMs: 500 },
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    logger: {
      warn: (message, fields) => logger.warn(fields, message),
      error: (message, fields) => logger.error(fields, message),
    },
  });
}

/** Builds the server (database opened and migrated, routes registered) without listening. */
export async function createServer(config: ServerConfig, options: ServerOptions = {}): Promise<NotifykitServer> {
  const logger = createLogger({
    level: config.logLevel,
    secrets: configSecrets(config),
    destination: options.logDestination,
  });
  const database = openDatabase(config.databaseUrl);
  const cipher = new FieldCipher(config.encryptionKeys);
  try {
    await ensureDatabaseReachable(database, config.databaseUrl);
    const applied = await migrateToLatest(database.db, database.dialect);
    if (applied.length > 0) logger.info({ migrations: applied, database: database.description }, 'migrations applied');
    // Starting with a key that cannot read the stored data would answer 500 on every detail call.
    await ensureStoredDataReadable(database, cipher);
  } catch (error) {
    await database.close();
    throw error;
  }
  const client = ingoClient(config, logger, options.fetch);
  const metrics = new ServerMetrics(async () => {
    const row = await database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  });
  const crash = crashHook(config.crashPoint, logger);
  const outbox = new Outbox({
    database,
    cipher,
    client,
    settings: config.outbox,
    metrics,
    logger,
    instanceId: newInstanceId(),
    crash,
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
    // Slow clients (headers or body dripped byte by byte) get a 408 and lose the connection once the
    // whole request has not arrived in time; Node checks every connection at this interval.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(config.requestTimeoutMs / 4)),
    },
  });
  app.setErrorHandler(createErrorHandler(logger));
  app.setNotFoundHandler(notFoundHandler);
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

  let shuttingDown = false;
  registerSecurityHeaders(app, { apiPrefix: API_PREFIX });
  registerOperationsRoutes(app, {
    database,
    cipher,
    metrics,
    isShuttingDown: () => shuttingDown,
    metricsToken: config.metricsToken,
  });
  await registerWebhookEndpoint(app, { settings: config.webhook, queue, metrics, logger });
  await registerApi(app, {
    apiToken: config.apiToken,
    openApiDocument: buildOpenApiDocument({}),
    routes: [
      disbursementRoutes({
        database,
        cipher,
        client,
        outbox,
        participantId: config.ingo.participantId,
        programRules: {},
        metrics,
        logger,
        crash,
      }),
      (api) => registerInboxRoutes(api, database.db),
    ],
  });

  let closing: Promise<void> | undefined;
  const server: NotifykitServer = {
    app,
    config,
    database,
    outbox,
    metrics,
    logger,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : config.port;
      if (options.outboxWorker !== false) outbox.start();
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return { url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`, port };
    },
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        const workerStopped = outbox.stop();
        // In-flight requests finish; keep-alive connections that become idle afterwards are closed too,
        // so shutdown does not wait for the clients' keep-alive timeout.
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
        }
        await queue.drain();
        await workerStopped;
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
