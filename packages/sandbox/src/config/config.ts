// The sandbox's settings: what `startSandbox` accepts, the defaults of the sandbox README, and the checks that
// turn a bad setting into a ConfigurationError before anything listens or writes.

import { ConfigurationError, type TopicDialect, type WebhookAlgorithm, type WebhookEncoding } from '@notifykit/sdk';
import type { DestinationStream, Logger } from 'pino';
import {
  DEVELOPMENT_WEBHOOK_SECRET,
  parseCredentials,
  type ResolvedCredential,
  resolveCredentials,
  type SandboxCredential,
} from './credentials.js';
import { parseDurationList } from './durations.js';
import { normalizeWebhookUrl } from './webhook-url.js';

/**
 * The dialects a sender emits in. The SDK's TopicDialect also has `unknown`, which is what a receiver
 * reports for a name it cannot place; the sandbox only ever emits one of the two named ones.
 */
export type EmittedTopicDialect = Exclude<TopicDialect, 'unknown'>;

/** Options of {@link startSandbox}; every one is optional. Durations are milliseconds. */
export interface SandboxOptions {
  /** TCP port; 4010 by default, 0 picks a free one (read it from the returned handle). */
  port?: number;
  /** Interface to bind; 127.0.0.1 by default. */
  host?: string;
  /** SQLite file (parent directories are created) or `:memory:`; `.notifykit/sandbox.db` by default. */
  db?: string;
  /** Accepted credentials, or the `--credentials` string syntax. Development defaults when absent. */
  credentials?: readonly SandboxCredential[] | string;
  /** Where webhooks are POSTed; without it events are recorded but not delivered. */
  webhookUrl?: string;
  /** HMAC key of `X-Ingo-Signature`; a printed development secret when absent. */
  webhookSecret?: string;
  webhookAlgorithm?: WebhookAlgorithm;
  webhookEncoding?: WebhookEncoding;
  /** A delivery attempt fails when no response arrives in time; 10 000 ms like Ingo. */
  webhookTimeoutMs?: number;
  /** Virtual clock factor: 1 completes a happy path in about 5 s, 0 moves only when told. */
  speed?: number;
  /** Virtual time until an unclaimed disbursement expires; 30 days by default. */
  ttlMs?: number;
  /** Topic naming of emitted webhooks; `catalog` by default. */
  topics?: EmittedTopicDialect;
  /** Delays between attempts (ms), or the `--retry-schedule` string (`100ms,1s,5m`). */
  retrySchedule?: readonly number[] | string;
  /** Probability (0–1) that a delivered event is delivered once more. */
  duplicateRate?: number;
  /** First attempts are delayed by a random 0..window ms so events close in time arrive in any order; 0 = off. */
  reorderWindowMs?: number;
  /** Enables `POST /_sandbox/reset`. */
  allowReset?: boolean;
  /** Concurrent deliveries per webhook URL; 4 by default. */
  deliveryConcurrency?: number;
  /** A request's headers and body must arrive within this long, else 408 and the connection closes; 30 s by default. */
  requestTimeoutMs?: number;
  /** pino level when no `logger` is given; `info` by default. */
  logLevel?: string;
  /** Where the sandbox's own JSON logs go (default stderr); ignored when `logger` is given. */
  logDestination?: DestinationStream;
  /** A pino logger to use as is instead of the sandbox's own (which redacts every log object). */
  logger?: Logger;
}

export interface SandboxConfig {
  port: number;
  host: string;
  db: string;
  credentials: ResolvedCredential[];
  webhookUrl: string | null;
  webhookSecret: string;
  webhookSecretIsDevelopmentDefault: boolean;
  webhookAlgorithm: WebhookAlgorithm;
  webhookEncoding: WebhookEncoding;
  webhookTimeoutMs: number;
  speed: number;
  ttlMs: number;
  topics: EmittedTopicDialect;
  retryScheduleMs: number[];
  duplicateRate: number;
  reorderWindowMs: number;
  allowReset: boolean;
  deliveryConcurrency: number;
  requestTimeoutMs: number;
  logLevel: string;
}

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_DB = '.notifykit/sandbox.db';
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;
export const DEFAULT_TTL_MS = 30 * 86_400_000;
/** 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h (sandbox README), each with ±20 % jitter. */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
];
export const DEFAULT_DELIVERY_CONCURRENCY = 4;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ConfigurationError(message);
}

function nonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export function resolveConfig(options: SandboxOptions = {}): SandboxConfig {
  const port = options.port ?? DEFAULT_PORT;
  check(nonNegativeInteger(port) && port <= 65_535, 'port must be an integer from 0 to 65535');
  const host = options.host ?? DEFAULT_HOST;
  check(typeof host === 'string' && host !== '', 'host must be a non-empty string');
  const db = options.db ?? DEFAULT_DB;
  check(typeof db === 'string' && db !== '', 'db must be a file path or :memory:');

  const credentials = resolveCredentials(
    typeof options.credentials === 'string' ? parseCredentials(options.credentials) : options.credentials,
  );

  const webhookUrl = options.webhookUrl === undefined ? null : normalizeWebhookUrl(options.webhookUrl);
  const webhookSecret = options.webhookSecret ?? DEVELOPMENT_WEBHOOK_SECRET;
  check(typeof webhookSecret === 'string' && webhookSecret !== '', 'webhookSecret must be a non-empty string');
  check(webhookSecret.trim() === webhookSecret, 'webhookSecret must not start or end with whitespace');
  const webhookAlgorithm = options.webhookAlgorithm ?? 'sha512';
  check(webhookAlgorithm === 'sha512' || webhookAlgorithm === 'sha256', 'webhookAlgorithm must be sha512 or sha256');
  const webhookEncoding = options.webhookEncoding ?? 'base64';
  check(webhookEncoding === 'base64' || webhookEncoding === 'hex', 'webhookEncoding must be base64 or hex');
  const webhookTimeoutMs = options.webhookTimeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  check(nonNegativeInteger(webhookTimeoutMs) && webhookTimeoutMs > 0, 'webhookTimeoutMs must be a positive integer');

  const speed = options.speed ?? 1;
  check(typeof speed === 'number' && Number.isFinite(speed) && speed >= 0, 'speed must be a number ≥ 0');
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  check(nonNegativeInteger(ttlMs) && ttlMs > 0, 'ttl must be a positive duration');
  const topics = options.topics ?? 'catalog';
  check(topics === 'catalog' || topics === 'quickstart', 'topics must be catalog or quickstart');

  let retryScheduleMs: number[];
  if (typeof options.retrySchedule === 'string') {
    try {
      retryScheduleMs = parseDurationList(options.retrySchedule);
    } catch (error) {
      throw new ConfigurationError(`retry schedule: ${(error as Error).message}`);
    }
  } else {
    retryScheduleMs = [...(options.retrySchedule ?? DEFAULT_RETRY_SCHEDULE_MS)];
  }
  check(retryScheduleMs.length > 0, 'retry schedule must list at least one delay');
  check(retryScheduleMs.length <= 100, 'retry schedule is limited to 100 delays');
  check(retryScheduleMs.every(nonNegativeInteger), 'retry schedule delays must be non-negative integers (ms)');

  const duplicateRate = options.duplicateRate ?? 0;
  check(
    typeof duplicateRate === 'number' && duplicateRate >= 0 && duplicateRate <= 1,
    'duplicateRate must be between 0 and 1',
  );
  const reorderWindowMs = options.reorderWindowMs ?? 0;
  check(nonNegativeInteger(reorderWindowMs), 'reorder window must be a non-negative integer (ms)');
  const deliveryConcurrency = options.deliveryConcurrency ?? DEFAULT_DELIVERY_CONCURRENCY;
  check(
    nonNegativeInteger(deliveryConcurrency) && deliveryConcurrency >= 1 && deliveryConcurrency <= 256,
    'deliveryConcurrency must be an integer from 1 to 256',
  );
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  check(
    nonNegativeInteger(requestTimeoutMs) && requestTimeoutMs >= 100 && requestTimeoutMs <= 600_000,
    'requestTimeoutMs must be from 100 ms to 10 minutes',
  );
  const logLevel = options.logLevel ?? 'info';
  check(LOG_LEVELS.includes(logLevel), `logLevel must be one of ${LOG_LEVELS.join(', ')}`);

  return {
    port,
    host,
    db,
    credentials,
    webhookUrl,
    webhookSecret,
    webhookSecretIsDevelopmentDefault: options.webhookSecret === undefined,
    webhookAlgorithm,
    webhookEncoding,
    webhookTimeoutMs,
    speed,
    ttlMs,
    topics,
    retryScheduleMs,
    duplicateRate,
    reorderWindowMs,
    allowReset: options.allowReset ?? false,
    deliveryConcurrency,
    requestTimeoutMs,
    logLevel,
  };
}
