// @notifykit/sandbox: a faithful, stateful local Ingo Notify. `startSandbox` runs it in-process (tests,
// the local stack); the `notifykit-sandbox` binary (bin.ts) is a thin command line around it.

import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import { resolveConfig, type SandboxConfig, type SandboxOptions } from './config/config.js';
import { normalizeWebhookUrl, redactedUrl } from './config/webhook-url.js';
import type { SandboxContext } from './context.js';
import { DeliveryWorker } from './delivery/worker.js';
import { createLogger } from './logger.js';
import { VirtualClock } from './simulation/clock.js';
import { ScenarioEngine } from './simulation/engine.js';
import { SandboxStore } from './store/sandbox-store.js';

export type { TopicDialect, WebhookAlgorithm, WebhookEncoding } from '@notifykit/sdk';
export {
  DEFAULT_DB,
  DEFAULT_DELIVERY_CONCURRENCY,
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_RETRY_SCHEDULE_MS,
  DEFAULT_TTL_MS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type SandboxConfig,
  type SandboxOptions,
} from './config/config.js';
export {
  DEVELOPMENT_CREDENTIALS,
  DEVELOPMENT_WEBHOOK_SECRET,
  parseCredentials,
  type ResolvedCredential,
  type SandboxCredential,
} from './config/credentials.js';
export { parseDuration, parseDurationList } from './config/durations.js';
export { CONTROL_REQUIRED_SIGNED_HEADERS } from './control.js';
export { SandboxControlClient, type SandboxControlClientOptions } from './control-client.js';
export {
  ACCOUNT_TYPES,
  CONTROL_ACTIONS,
  type ControlAction,
  MAX_AUTHENTICATION_ATTEMPTS,
} from './simulation/machine.js';
export { SCENARIOS, type ScenarioName, STEP_DELAY_MS, selectScenario } from './simulation/scenarios.js';

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
  let app: ReturnType<typeof buildApp>;
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
    app = buildApp(ctx);
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
