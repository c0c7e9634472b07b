// The typed Notify client: validates a request with the same schemas the sandbox enforces, sends it
// through RequestSender and returns a typed result. Nothing is sent when validation fails.

import { ConfigurationError, ValidationError } from '../errors.js';
import { type CancelRequest, validateCancelRequest } from '../requests/cancel.js';
import { type ManagedStageRequest, validateManagedStageRequest } from '../requests/managed-stage.js';
import { DEFAULT_PROGRAM_RULES, type ProgramRules } from '../requests/program-rules.js';
import { type StageRequest, validateStageRequest } from '../requests/stage.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../signing/signing-string.js';
import { isJsonObject } from '../type-drift.js';
import {
  DEFAULT_TIMEOUT_MS,
  type IngoLogger,
  RETRY_DEFAULTS,
  RequestSender,
  type RetryOptions,
  type SendOptions,
} from './request-sender.js';
import {
  type CancelResult,
  type ManagedStageResult,
  parseCancelResponse,
  parseManagedStageResponse,
  parseStageResponse,
  type StageResult,
} from './responses.js';

export type IngoEnvironment = 'sandbox' | 'production';

/** Ingo's gateway hosts (docs/ingo-contract.md, Environments). */
export const INGO_BASE_URLS: Readonly<Record<IngoEnvironment, string>> = Object.freeze({
  sandbox: 'https://payapi-sandbox.ingo.money',
  production: 'https://payapi.ingo.money',
});

const GATEWAY_PATHS = Object.freeze({
  stage: '/gateway/v3/notify',
  cancel: '/gateway/v3/notifycancel',
  managedStage: '/gateway/v4/notify',
});

export interface IngoClientOptions {
  /** Sent in the Authorization header. */
  username: string;
  /** HMAC key; never sent, never logged. */
  secret: string;
  /** Your participant id; filled into requests that do not carry one. A numeric string is accepted. */
  participantId: number | string;
  /** Default `sandbox`. Ignored when `baseUrl` is given. */
  environment?: IngoEnvironment;
  /** e.g. the local sandbox `http://127.0.0.1:4010`; a path prefix is kept. */
  baseUrl?: string;
  /** Per-attempt timeout, default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, default 2. */
  maxRetries?: number;
  /** Backoff tuning (tests make it tiny). */
  retry?: Partial<Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs'>>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  logger?: IngoLogger;
  /** Your program's settings, so client-side validation matches what Ingo enforces. */
  programRules?: Partial<ProgramRules>;
  /** `hmac-sha512` (default); `hmac-sha256` only for legacy integrations. */
  algorithm?: SigningAlgorithm;
}

/** A stage body whose `participant_id` may be left to the client's configuration. */
export type StageInput = Omit<StageRequest, 'participant_id'> & { participant_id?: number };
/** A cancel body whose `participant_id` may be left to the client's configuration. */
export type CancelInput = Omit<CancelRequest, 'participant_id'> & { participant_id?: number };
/** A v4 body whose `request` envelope (participant id, timestamp) may be left to the client. */
export type ManagedStageInput = Omit<ManagedStageRequest, 'request'> & {
  request?: { participant_id?: number; timestamp?: number };
};

export type CallOptions = SendOptions;

function fail(message: string): never {
  throw new ConfigurationError(message);
}

function positiveNumber(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(`${name} must be a positive number`);
  return value;
}

function resolveBaseUrl(options: IngoClientOptions): string {
  if (options.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      fail('baseUrl must be an absolute http(s) URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('baseUrl must be an absolute http(s) URL');
    if (url.username || url.password) fail('baseUrl must not contain credentials');
    if (url.search || url.hash) fail('baseUrl must not contain a query or fragment');
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  const environment = options.environment ?? 'sandbox';
  const url = INGO_BASE_URLS[environment as IngoEnvironment];
  if (!Object.hasOwn(INGO_BASE_URLS, environment) || url === undefined) {
    fail('environment must be "sandbox" or "production"');
  }
  return url;
}

function resolveParticipantId(value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) fail('participantId must be a positive integer');
  return n;
}

/** Root-level type check so a non-object body gets the same ValidationError as any other bad field. */
function requireObject(value: unknown, what: string): Record<string, unknown> {
  if (!isJsonObject(value)) throw new ValidationError([{ path: '', rule: 'type', message: 'must be an object' }], what);
  return value;
}

/**
 * Ingo Payments Notify client.
 *
 * ```ts
 * const ingo = new IngoClient({ username, secret, participantId: 12345 });
 * const staged = await ingo.notify.stage({ amount: '250.00', participant_unique_id1: 'pay-1', … });
 * ```
 */
export class IngoClient {
  readonly environment: IngoEnvironment | 'custom';
  readonly baseUrl: string;
  readonly participantId: number;
  readonly programRules: Readonly<ProgramRules>;
  readonly #sender: RequestSender;

  readonly notify: {
    /** `POST /gateway/v3/notify`: stage one disbursement. 101 resolves with `idempotentReplay: true`. */
    stage(request: StageInput, options?: CallOptions): Promise<StageResult>;
    /** `POST /gateway/v3/notifycancel`: cancel an unclaimed disbursement. */
    cancel(request: CancelInput, options?: CallOptions): Promise<CancelResult>;
  };

  readonly managed: {
    /** `POST /gateway/v4/notify`: stage a Managed Parties disbursement. */
    stage(request: ManagedStageInput, options?: CallOptions): Promise<ManagedStageResult>;
  };

  constructor(options: IngoClientOptions) {
    if (!isJsonObject(options)) fail('IngoClient options must be an object');
    if (typeof options.username !== 'string' || options.username === '' || /["\s]/.test(options.username)) {
      fail('username must be a non-empty string without quotes or whitespace');
    }
    // The secret is checked, never described: no message here may contain it.
    if (typeof options.secret !== 'string' || options.secret === '') fail('secret must be a non-empty string');
    if (options.secret.trim() !== options.secret) fail('secret has leading or trailing whitespace');
    this.participantId = resolveParticipantId(options.participantId);
    this.baseUrl = resolveBaseUrl(options);
    this.environment = options.baseUrl !== undefined ? 'custom' : (options.environment ?? 'sandbox');
    const timeoutMs = positiveNumber(options.timeoutMs, 'timeoutMs') ?? DEFAULT_TIMEOUT_MS;
    const maxRetries = options.maxRetries ?? RETRY_DEFAULTS.maxRetries;
    if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) fail('maxRetries must be a non-negative integer');
    const initialDelayMs = options.retry?.initialDelayMs ?? RETRY_DEFAULTS.initialDelayMs;
    const maxDelayMs = options.retry?.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs;
    for (const [name, value] of [
      ['retry.initialDelayMs', initialDelayMs],
      ['retry.maxDelayMs', maxDelayMs],
    ] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(`${name} must be a number ≥ 0`);
    }
    const fetchImpl = options.fetch ?? globalThis.fetch;
    if (typeof fetchImpl !== 'function') fail('fetch must be a function (Node ≥ 20 provides a global fetch)');
    if (options.logger !== undefined && !isJsonObject(options.logger)) fail('logger must be an object');
    if (options.algorithm !== undefined && !SIGNING_ALGORITHMS.includes(options.algorithm)) {
      fail('algorithm must be "hmac-sha512" (or "hmac-sha256" for legacy integrations)');
    }
    this.programRules = Object.freeze({ ...DEFAULT_PROGRAM_RULES, ...options.programRules });

    this.#sender = new RequestSender({
      baseUrl: this.baseUrl,
      username: options.username,
      secret: options.secret,
      algorithm: options.algorithm,
      timeoutMs,
      retry: { maxRetries, initialDelayMs, maxDelayMs },
      fetch: fetchImpl,
      logger: options.logger,
    });

    this.notify = {
      stage: (request, callOptions) => this.#stage(request, callOptions),
      cancel: (request, callOptions) => this.#cancel(request, callOptions),
    };
    this.managed = {
      stage: (request, callOptions) => this.#managedStage(request, callOptions),
    };
  }

  async #stage(request: StageInput, options?: CallOptions): Promise<StageResult> {
    const input = requireObject(request, 'stage request');
    const body = validateStageRequest(
      { ...input, participant_id: input.participant_id ?? this.participantId },
      this.programRules,
    );
    const response = await this.#sender.post(GATEWAY_PATHS.stage, body, options);
    const result = parseStageResponse(response.body, response);
    return { ...result, participantUniqueId1: result.participantUniqueId1 || body.participant_unique_id1 };
  }

  async #cancel(request: CancelInput, options?: CallOptions): Promise<CancelResult> {
    const input = requireObject(request, 'cancel request');
    const body = validateCancelRequest({ ...input, participant_id: input.participant_id ?? this.participantId });
    const response = await this.#sender.post(GATEWAY_PATHS.cancel, body, options);
    const result = parseCancelResponse(response.body, response);
    return { ...result, participantUniqueId1: result.participantUniqueId1 || body.participant_unique_id1 };
  }

  async #managedStage(request: ManagedStageInput, options?: CallOptions): Promise<ManagedStageResult> {
    const input = requireObject(request, 'managed stage request');
    const envelope = input.request === undefined ? {} : input.request;
    // A malformed envelope is passed on untouched so validation reports it instead of us hiding it.
    const filled = isJsonObject(envelope)
      ? {
          ...envelope,
          participant_id: envelope.participant_id ?? this.participantId,
          timestamp: envelope.timestamp ?? Math.floor(Date.now() / 1000),
        }
      : envelope;
    const body = validateManagedStageRequest({ ...input, request: filled }, this.programRules);
    const response = await this.#sender.post(GATEWAY_PATHS.managedStage, body, options);
    const result = parseManagedStageResponse(response.body, response);
    const ids = result.participantUniqueIds;
    return {
      ...result,
      participantUniqueIds: {
        participantUniqueId1:
          ids.participantUniqueId1 || body.transaction.participant_unique_ids.participant_unique_id1,
        participantUniqueId2: ids.participantUniqueId2,
      },
    };
  }
}
