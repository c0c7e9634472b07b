import { createHash } from 'node:crypto';
import { ConfigurationError } from '@notifykit/sdk';
import { parseEncryptionKeys } from '../db/field-encryption.js';
import type { OutboxSettings } from '../outbox/outbox.js';
import type { WebhookSettings, WebhookSignatureAlgorithm, WebhookSignatureEncoding } from '../webhooks/endpoint.js';

export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string;
  ingo: {
    baseUrl: string;
    username: string;
    secret: string;
    participantId: number;
    timeoutMs: number;
  };
  webhook: WebhookSettings;
  apiToken: string;
  /** When set, `/metrics` requires `Authorization: Bearer <metricsToken>` (off by default). */
  metricsToken: string | undefined;
  encryptionKeys: Buffer[];
  development: boolean;
  logLevel: string;
  outbox: OutboxSettings;
  /** A request's headers and body must have arrived within this long, else 408 and the connection closes. */
  requestTimeoutMs: number;
  /** Group commit: the most webhooks committed in one transaction. */
  webhookBatchSize: number;
  /** Test-only crash points (`after-outbox-commit`, `after-stage-call`): the process kills itself there. */
  crashPoint?: string | undefined;
}

/** Development credentials; printed by `npm start` and refused against any non-sandbox Ingo URL. */
export const DEVELOPMENT_DEFAULTS = Object.freeze({
  ingoBaseUrl: 'http://127.0.0.1:4010',
  ingoUsername: 'dev',
  ingoSecret: 'dev-secret-not-for-production',
  ingoParticipantId: 12345,
  webhookSecret: 'dev-webhook-secret-not-for-production',
  apiToken: 'notifykit-dev-api-token',
  encryptionKey: createHash('sha256').update('notifykit development encryption key').digest('base64'),
});

export const DEFAULT_DATABASE_URL = 'sqlite:.notifykit/notifykit.db';
const INGO_SANDBOX_HOST = 'payapi-sandbox.ingo.money';

/** Values a caller (CLI flags, tests) can set directly; they win over the environment. */
export interface ConfigOverrides {
  host?: string | undefined;
  port?: number | string | undefined;
  databaseUrl?: string | undefined;
  ingoBaseUrl?: string | undefined;
  ingoUsername?: string | undefined;
  ingoSecret?: string | undefined;
  ingoParticipantId?: number | string | undefined;
  webhookSecret?: string | undefined;
  webhookSignature?: string | undefined;
  apiToken?: string | undefined;
  metricsToken?: string | undefined;
  encryptionKey?: string | undefined;
  development?: boolean | undefined;
  logLevel?: string | undefined;
  outbox?: Partial<OutboxSettings> | undefined;
  ingoTimeoutMs?: number | string | undefined;
  webhookBatchSize?: number | undefined;
  requestTimeoutMs?: number | string | undefined;
}

/** True for loopback hosts and Ingo's own sandbox: the only places development secrets may go. */
export function isSandboxUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === INGO_SANDBOX_HOST;
}

function integer(name: string, raw: string | number | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseSignatureScheme(value: string | undefined): {
  algorithm: WebhookSignatureAlgorithm;
  encoding: WebhookSignatureEncoding;
} {
  if (value === undefined) return { algorithm: 'sha512', encoding: 'base64' };
  const match = /^(sha512|sha256)(?:-(base64|hex))?$/.exec(value.trim().toLowerCase());
  if (!match) {
    throw new ConfigurationError(
      'INGO_WEBHOOK_SIGNATURE must be one of sha512-base64, sha512-hex, sha256-base64, sha256-hex',
    );
  }
  return {
    algorithm: match[1] as WebhookSignatureAlgorithm,
    encoding: (match[2] ?? 'base64') as WebhookSignatureEncoding,
  };
}

/**
 * Builds the server configuration from the environment and explicit overrides (flags win).
 * Outside development mode every credential is required; in development mode missing values take
 * the development defaults. Development secrets are refused against any non-sandbox Ingo URL.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): ServerConfig {
  const development = overrides.development ?? ['development', 'dev'].includes((env.NOTIFYKIT_ENV ?? '').toLowerCase());
  const pick = (override: string | undefined, envName: string, devDefault: string): string | undefined =>
    nonEmpty(override) ?? nonEmpty(env[envName]) ?? (development ? devDefault : undefined);

  const ingoBaseUrl =
    nonEmpty(overrides.ingoBaseUrl) ??
    nonEmpty(env.INGO_BASE_URL) ??
    (development ? DEVELOPMENT_DEFAULTS.ingoBaseUrl : `https://${INGO_SANDBOX_HOST}`);
  const values = {
    INGO_USERNAME: pick(overrides.ingoUsername, 'INGO_USERNAME', DEVELOPMENT_DEFAULTS.ingoUsername),
    INGO_SECRET: pick(overrides.ingoSecret, 'INGO_SECRET', DEVELOPMENT_DEFAULTS.ingoSecret),
    INGO_PARTICIPANT_ID: pick(
      overrides.ingoParticipantId === undefined ? undefined : String(overrides.ingoParticipantId),
      'INGO_PARTICIPANT_ID',
      String(DEVELOPMENT_DEFAULTS.ingoParticipantId),
    ),
    INGO_WEBHOOK_SECRET: pick(overrides.webhookSecret, 'INGO_WEBHOOK_SECRET', DEVELOPMENT_DEFAULTS.webhookSecret),
    NOTIFYKIT_API_TOKEN: pick(overrides.apiToken, 'NOTIFYKIT_API_TOKEN', DEVELOPMENT_DEFAULTS.apiToken),
    NOTIFYKIT_ENCRYPTION_KEY: pick(
      overrides.encryptionKey,
      'NOTIFYKIT_ENCRYPTION_KEY',
      DEVELOPMENT_DEFAULTS.encryptionKey,
    ),
  };
  const missing = Object.entries(values)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  if (missing.length > 0) {
    throw new ConfigurationError(
      `missing configuration: ${missing.join(', ')} (set them, or NOTIFYKIT_ENV=development for local defaults)`,
    );
  }

  try {
    const u = new URL(ingoBaseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigurationError('INGO_BASE_URL must be an http(s) URL');
  }

  const webhookSecrets = values
    .INGO_WEBHOOK_SECRET!.split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (webhookSecrets.length === 0) throw new ConfigurationError('INGO_WEBHOOK_SECRET is empty');
  const apiToken = values.NOTIFYKIT_API_TOKEN!;
  if (apiToken.length < 16) throw new ConfigurationError('NOTIFYKIT_API_TOKEN must be at least 16 characters');
  const encryptionKeys = parseEncryptionKeys(values.NOTIFYKIT_ENCRYPTION_KEY!);
  const metricsToken = nonEmpty(overrides.metricsToken) ?? nonEmpty(env.NOTIFYKIT_METRICS_TOKEN);
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigurationError('NOTIFYKIT_METRICS_TOKEN must be at least 16 characters');
  }

  if (!isSandboxUrl(ingoBaseUrl)) {
    const devKey = Buffer.from(DEVELOPMENT_DEFAULTS.encryptionKey, 'base64');
    const offending = [
      values.INGO_SECRET === DEVELOPMENT_DEFAULTS.ingoSecret ? 'INGO_SECRET' : undefined,
      webhookSecrets.includes(DEVELOPMENT_DEFAULTS.webhookSecret) ? 'INGO_WEBHOOK_SECRET' : undefined,
      apiToken === DEVELOPMENT_DEFAULTS.apiToken ? 'NOTIFYKIT_API_TOKEN' : undefined,
      encryptionKeys.some((k) => k.equals(devKey)) ? 'NOTIFYKIT_ENCRYPTION_KEY' : undefined,
    ].filter((x): x is string => x !== undefined);
    if (offending.length > 0) {
      throw new ConfigurationError(
        `refusing development secrets (${offending.join(', ')}) against a non-sandbox INGO_BASE_URL; ` +
          'use real credentials, or point INGO_BASE_URL at the local sandbox or payapi-sandbox.ingo.money',
      );
    }
  }

  const o = overrides.outbox ?? {};
  return {
    host: nonEmpty(overrides.host) ?? nonEmpty(env.HOST) ?? '127.0.0.1',
    port: integer('PORT', overrides.port ?? env.PORT, 3000, 0, 65535),
    databaseUrl: nonEmpty(overrides.databaseUrl) ?? nonEmpty(env.DATABASE_URL) ?? DEFAULT_DATABASE_URL,
    ingo: {
      baseUrl: ingoBaseUrl.replace(/\/+$/, ''),
      username: values.INGO_USERNAME!,
      secret: values.INGO_SECRET!,
      participantId: integer('INGO_PARTICIPANT_ID', values.INGO_PARTICIPANT_ID, 0, 1, 2 ** 31 - 1),
      timeoutMs: integer('INGO_TIMEOUT_MS', overrides.ingoTimeoutMs ?? env.INGO_TIMEOUT_MS, 15_000, 100, 120_000),
    },
    webhook: {
      secrets: webhookSecrets,
      ...parseSignatureScheme(nonEmpty(overrides.webhookSignature) ?? nonEmpty(env.INGO_WEBHOOK_SIGNATURE)),
      bodyLimitBytes: 256 * 1024,
    },
    apiToken,
    metricsToken,
    encryptionKeys,
    development,
    logLevel: nonEmpty(overrides.logLevel) ?? nonEmpty(env.LOG_LEVEL) ?? 'info',
    outbox: {
      pollIntervalMs:
        o.pollIntervalMs ?? integer('NOTIFYKIT_OUTBOX_POLL_MS', env.NOTIFYKIT_OUTBOX_POLL_MS, 1000, 10, 600_000),
      leaseMs: o.leaseMs ?? integer('NOTIFYKIT_OUTBOX_LEASE_MS', env.NOTIFYKIT_OUTBOX_LEASE_MS, 60_000, 50, 3_600_000),
      baseBackoffMs:
        o.baseBackoffMs ?? integer('NOTIFYKIT_OUTBOX_BACKOFF_MS', env.NOTIFYKIT_OUTBOX_BACKOFF_MS, 1000, 1, 3_600_000),
      maxBackoffMs: o.maxBackoffMs ?? 5 * 60_000,
      batchSize: o.batchSize ?? 20,
    },
    webhookBatchSize: overrides.webhookBatchSize ?? 256,
    requestTimeoutMs: integer(
      'NOTIFYKIT_REQUEST_TIMEOUT_MS',
      overrides.requestTimeoutMs ?? env.NOTIFYKIT_REQUEST_TIMEOUT_MS,
      30_000,
      100,
      600_000,
    ),
    crashPoint: nonEmpty(env.NOTIFYKIT_TEST_CRASH_POINT),
  };
}
