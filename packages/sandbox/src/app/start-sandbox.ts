// startSandbox: assembles one sandbox (store, virtual clock, delivery worker, scenario engine, HTTP
// server), starts it and hands back a handle whose close() stops it gracefully. Used in-process (tests,
// the local stack) and by the command line (command-line.ts).

import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { resolveConfig, type SandboxConfig, type SandboxOptions } from '../config/config.js';
import { normalizeWebhookUrl, redactedUrl } from '../config/webhook-url.js';
import { registerControlRoutes } from '../control/routes.js';
import { DeliveryWorker } from '../delivery/worker.js';
import { GATEWAY_ROUTES, registerGatewayRoutes } from '../gateway/routes.js';
import type { SandboxContext } from '../http/context.js';
import { createHttpServer } from '../http/server.js';
import { VirtualClock } from '../simulation/clock.js';
import { ScenarioEngine } from '../simulation/engine.js';
import { SandboxStore } from '../store/sandbox-store.js';
import { createLogger } from './logger.js';

export interface SandboxHandle {
  /** Base URL to give an IngoClient (`baseUrl`) or a control client, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** The port really bound (useful with `port: 0`). */
  port: number;
  /** The resolved configuration, credentials and webhook secret included. */
  config: Readonly<SandboxConfig>;
  /**
   * Delivers events emitted from now on to `url` (null: record them only); throws ConfigurationError
   * for anything but an absolute http(s) URL. For receivers whose port is known only after the sandbox
   * started. Not persisted: a restart uses the options again.
   */
  setWebhookUrl(url: string | null): void;
  /** Graceful stop: finishes in-flight requests, stops the scheduler and deliveries, closes the database. Idempotent. */
  close(): Promise<void>;
}

function connectableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts a sandbox and resolves once it listens. Throws ConfigurationError for bad options. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const config = resolveConfig(options);
  const logger = options.logger ?? createLogger(config.logLevel, options.logDestination);
  const store = new SandboxStore(config.db);
  let ctx: SandboxContext;
  let app: FastifyInstance;
  try {
    const clock = new VirtualClock(store, config.speed);
    const delivery = new DeliveryWorker(store, config, logger);
    const engine = new ScenarioEngine(store, clock, config, delivery, logger);
    ctx = {
      config,
      store,
      clock,
      engine,
      delivery,
      logger,
      credentials: new Map(config.credentials.map((c) => [c.username, c])),
    };
    app = createHttpServer(logger, [GATEWAY_ROUTES], { requestTimeoutMs: config.requestTimeoutMs });
    registerGatewayRoutes(app, ctx);
    registerControlRoutes(app, ctx);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    store.close();
    throw error;
  }
  ctx.engine.start();
  ctx.delivery.start();
  const port = (app.server.address() as AddressInfo).port;
  const url = `http://${connectableHost(config.host)}:${port}`;
  const counts = store.counts();
  logger.info(
    {
      url,
      db: config.db,
      speed: config.speed,
      topics: config.topics,
      webhookUrl: config.webhookUrl === null ? null : redactedUrl(config.webhookUrl),
      notifications: counts.notifications,
      pendingDeliveries: counts.pending,
    },
    'sandbox started',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      ctx.engine.stop();
      await app.close();
      await ctx.delivery.stop();
      store.close();
      logger.info('sandbox stopped');
    })();
    return closing;
  };
  const setWebhookUrl = (target: string | null) => {
    const normalized = target === null ? null : normalizeWebhookUrl(target);
    ctx.delivery.setWebhookUrl(normalized);
    logger.info({ webhookUrl: normalized === null ? null : redactedUrl(normalized) }, 'webhook URL changed');
  };
  return { url, port, config, setWebhookUrl, close };
}
