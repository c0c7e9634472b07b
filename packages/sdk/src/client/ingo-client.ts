// The typed Notify client: validates a request with the same schemas the sandbox enforces, sends it
// through RequestSender and returns a typed result. Nothing is sent when validation fails.

import { randomUUID } from 'node:crypto';
import { CancelOutcomeUnknownError, ConfigurationError, IngoStateError, ValidationError } from '../errors.js';
import { type CancelRequest, validateCancelRequest } from '../requests/cancel.js';
import {
  type CheckCancelRequest,
  type CheckStopRequest,
  validateCheckCancelRequest,
  validateCheckStopRequest,
} from '../requests/check.js';
import type { PassThroughFields } from '../requests/fields.js';
import { type ManagedStageRequest, validateManagedStageRequest } from '../requests/managed-stage.js';
import { normalizeManagedStagePhones, normalizeStagePhones } from '../requests/phone.js';
import { DEFAULT_PROGRAM_RULES, type ProgramRules } from '../requests/program-rules.js';
import { type StageRequest, validateStageRequest } from '../requests/stage.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../signing/signing-string.js';
import { isJsonObject } from '../type-drift.js';
import { RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import {
  DEFAULT_TIMEOUT_MS,
  type IngoLogger,
  RETRY_DEFAULTS,
  RequestSender,
  type RetryOptions,
  type RetryPolicy,
  type SendOptions,
  sleep,
} from './request-sender.js';
import {
  type CancelResult,
  type CheckActionResult,
  type ManagedStageResult,
  parseCancelResponse,
  parseCheckActionResponse,
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
  checkCancel: '/gateway/checkcancel',
  checkStop: '/gateway/checkstop',
});

/** A tracer id for a stage request that has none (`trc-<uuid>`): cancel needs one (docs/ingo-contract.md §3 Decision). */
export function newTracerId(): string {
  return `trc-${randomUUID()}`;
}

// After an attempt that may have landed, a refusal in the state family could be Ingo's answer to our own
// earlier cancel, and giving up on a retryable failure leaves that attempt unanswered: either way the
// outcome is unknown, not "not canceled" (docs/ingo-contract.md §4). A validation or signature refusal stays.
const CANCEL_POLICY: RetryPolicy = {
  afterUncertainAttempt: (final, { uncertainAttempt, retryable }) => {
    if (final instanceof IngoStateError) return new CancelOutcomeUnknownError({ uncertainAttempt, refusal: final });
    if (retryable) return new CancelOutcomeUnknownError({ uncertainAttempt, lastError: final });
    return final;
  },
};

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
  /**
   * Off by default. `{ requestsPerSecond: 5 }` keeps this client's request starts (retries included)
   * to at most 5 in any one second, as Ingo asks per participant (docs/ingo-contract.md §4.2).
   */
  rateLimit?: RateLimitOptions;
}

/**
 * The fields the SDK models of a request type, without its pass-through index signature (so `Omit` and
 * `keyof` see the named fields, not `string`).
 */
type KnownFields<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type WithRecipient<T, R> = Omit<T, 'recipient'> & { recipient: R };

/** The v3 `recipient` object: the fields the SDK validates, plus any other field, passed through. */
export type StageRecipientInput = KnownFields<StageRequest['recipient']> & PassThroughFields;

/**
 * A stage body for `ingo.notify.stage`: `participant_id` may be left to the client's configuration and
 * `tracer_id` to the client (it generates `trc-<uuid>`); any field the SDK does not model, top level or
 * in `recipient`, is sent to Ingo unchanged.
 */
export type StageInput = WithRecipient<
  Omit<KnownFields<StageRequest>, 'participant_id' | 'tracer_id'>,
  StageRecipientInput
> & { participant_id?: number; tracer_id?: string } & PassThroughFields;
/** A cancel body whose `participant_id` may be left to the client's configuration. */
export type CancelInput = Omit<KnownFields<CancelRequest>, 'participant_id'> & {
  participant_id?: number;
} & PassThroughFields;
/** A v4 body whose `request` envelope (participant id, timestamp) and `transaction.tracer_id` may be left to the client. */
export type ManagedStageInput = Omit<KnownFields<ManagedStageRequest>, 'request'> & {
  request?: { participant_id?: number; timestamp?: number };
} & PassThroughFields;
/** A check void (`POST /gateway/checkcancel`) whose `participant_id` may be left to the client. */
export type CheckCancelInput = Omit<KnownFields<CheckCancelRequest>, 'participant_id'> & {
  participant_id?: number;
} & PassThroughFields;
/** A stop payment (`POST /gateway/checkstop`) whose `participant_id` may be left to the client. */
export type CheckStopInput = Omit<KnownFields<CheckStopRequest>, 'participant_id'> & {
  participant_id?: number;
} & PassThroughFields;

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

function resolveRateLimit(value: unknown): RateLimitOptions | undefined {
  if (value === undefined) return undefined;
  const perSecond = isJsonObject(value) ? value.requestsPerSecond : undefined;
  if (typeof perSecond !== 'number' || !Number.isSafeInteger(perSecond) || perSecond <= 0) {
    fail('rateLimit.requestsPerSecond must be a positive integer (Ingo asks for at most 5)');
  }
  return { requestsPerSecond: perSecond };
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
    /**
     * `POST /gateway/v3/notifycancel`: cancel an unclaimed disbursement. 101 (already canceled) resolves
     * with `idempotentReplay: true`; a 780–787 after an attempt that may have landed rejects with
     * {@link CancelOutcomeUnknownError}.
     */
    cancel(request: CancelInput, options?: CallOptions): Promise<CancelResult>;
  };

  /** Ingo's ancillary check API (docs/ingo-contract.md §4.1), for a recipient who chose a mailed check. */
  readonly checks: {
    /** `POST /gateway/checkcancel`: void the check (reason 73 not printed, 74 undelivered, 75 client request, 76 internal). */
    cancel(request: CheckCancelInput, options?: CallOptions): Promise<CheckActionResult>;
    /** `POST /gateway/checkstop`: stop payment on an issued check (reason 77 or 78). */
    stop(request: CheckStopInput, options?: CallOptions): Promise<CheckActionResult>;
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
    const rateLimit = resolveRateLimit(options.rateLimit);

    this.#sender = new RequestSender({
      baseUrl: this.baseUrl,
      username: options.username,
      secret: options.secret,
      algorithm: options.algorithm,
      timeoutMs,
      retry: { maxRetries, initialDelayMs, maxDelayMs },
      fetch: fetchImpl,
      logger: options.logger,
      limiter:
        rateLimit === undefined ? undefined : new RateLimiter(rateLimit, { now: () => performance.now(), sleep }),
    });

    this.notify = {
      stage: (request, callOptions) => this.#stage(request, callOptions),
      cancel: (request, callOptions) => this.#cancel(request, callOptions),
    };
    this.checks = {
      cancel: (request, callOptions) => this.#checkAction('checkCancel', request, callOptions),
      stop: (request, callOptions) => this.#checkAction('checkStop', request, callOptions),
    };
    this.managed = {
      stage: (request, callOptions) => this.#managedStage(request, callOptions),
    };
  }

  async #stage(request: StageInput, options?: CallOptions): Promise<StageResult> {
    const input = requireObject(request, 'stage request');
    const body = validateStageRequest(
      normalizeStagePhones(
        {
          ...input,
          participant_id: input.participant_id ?? this.participantId,
          tracer_id: input.tracer_id ?? newTracerId(),
        },
        this.programRules,
      ),
      this.programRules,
    );
    const response = await this.#sender.post(GATEWAY_PATHS.stage, body, options);
    const result = parseStageResponse(response.body, response);
    return {
      ...result,
      tracerId: result.tracerId || (body.tracer_id ?? ''),
      participantUniqueId1: result.participantUniqueId1 || body.participant_unique_id1,
    };
  }

  async #cancel(request: CancelInput, options?: CallOptions): Promise<CancelResult> {
    const input = requireObject(request, 'cancel request');
    const body = validateCancelRequest({ ...input, participant_id: input.participant_id ?? this.participantId });
    const response = await this.#sender.post(GATEWAY_PATHS.cancel, body, options, CANCEL_POLICY);
    const result = parseCancelResponse(response.body, response);
    return { ...result, participantUniqueId1: result.participantUniqueId1 || body.participant_unique_id1 };
  }

  async #checkAction(
    action: 'checkCancel' | 'checkStop',
    request: CheckCancelInput | CheckStopInput,
    options?: CallOptions,
  ): Promise<CheckActionResult> {
    const what = action === 'checkCancel' ? 'check cancel' : 'check stop';
    const input = requireObject(request, `${what} request`);
    const filled = { ...input, participant_id: input.participant_id ?? this.participantId };
    const body = action === 'checkCancel' ? validateCheckCancelRequest(filled) : validateCheckStopRequest(filled);
    const response = await this.#sender.post(GATEWAY_PATHS[action], body, options);
    const result = parseCheckActionResponse(response.body, response, what);
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
    const transaction = isJsonObject(input.transaction)
      ? { ...input.transaction, tracer_id: input.transaction.tracer_id ?? newTracerId() }
      : input.transaction;
    const body = validateManagedStageRequest(
      normalizeManagedStagePhones({ ...input, request: filled, transaction }, this.programRules),
      this.programRules,
    );
    const response = await this.#sender.post(GATEWAY_PATHS.managedStage, body, options);
    const result = parseManagedStageResponse(response.body, response);
    const ids = result.participantUniqueIds;
    return {
      ...result,
      tracerId: result.tracerId || (body.transaction.tracer_id ?? ''),
      participantUniqueIds: {
        participantUniqueId1:
          ids.participantUniqueId1 || body.transaction.participant_unique_ids.participant_unique_id1,
        participantUniqueId2: ids.participantUniqueId2,
      },
    };
  }
}
