// One gateway call, end to end: sign, send, time out, retry, classify. Every attempt is signed afresh
// (a new X-Date, so a retry after a long backoff is never stale) over the same body bytes; repeating a
// stage is safe because participant_unique_id1 is Ingo's idempotency key (docs/ingo-contract.md §3).

import { randomUUID } from 'node:crypto';
import {
  AbortError,
  AuthenticationError,
  HttpError,
  IngoApiError,
  IngoInProgressError,
  NetworkError,
  type NotifykitError,
  ResponseParseError,
  TimeoutError,
} from '../errors.js';
import { redact } from '../redaction.js';

import { signRequest } from '../signing/sign-request.js';
import type { SigningAlgorithm } from '../signing/signing-string.js';
import { USER_AGENT } from '../version.js';
import type { RateLimiter } from './rate-limiter.js';
import { IN_PROGRESS_STATUS, ingoStatusError, isSuccessStatus, readIngoStatus } from './responses.js';

/** Receives what the client does; never the secret, never a `client_provided_value`. */
export interface IngoLogger {
  debug?(message: string, fields: Record<string, unknown>): void;
  info?(message: string, fields: Record<string, unknown>): void;
  warn?(message: string, fields: Record<string, unknown>): void;
  error?(message: string, fields: Record<string, unknown>): void;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries: number;
  /** Backoff ceiling before the first retry, doubled for each further retry (default 500 ms). */
  initialDelayMs: number;
  /** Upper bound of any single wait (default 5 s). */
  maxDelayMs: number;
}

export const RETRY_DEFAULTS: Readonly<RetryOptions> = Object.freeze({
  maxRetries: 2,
  initialDelayMs: 500,
  maxDelayMs: 5_000,
});

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Full-jitter exponential backoff: a uniformly random wait in [0, min(max, initial · 2^retryIndex)).
 * A server's Retry-After, when given, is a floor (still capped by `maxDelayMs`).
 */
export function backoffDelay(
  retryIndex: number,
  options: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** retryIndex);
  const jittered = Math.floor(random() * ceiling);
  const floor = retryAfterMs === undefined ? 0 : Math.min(options.maxDelayMs, retryAfterMs);
  return Math.max(jittered, floor);
}

export interface RequestSenderConfig {
  /** Scheme, host and optional path prefix, without a trailing slash. */
  baseUrl: string;
  username: string;
  secret: string;
  algorithm?: SigningAlgorithm;
  timeoutMs: number;
  retry: RetryOptions;
  fetch: typeof fetch;
  logger?: IngoLogger | undefined;
  /** Source of jitter; tests may pin it. */
  random?: () => number;
  /** The optional limiter of docs/ingo-contract.md §4.2; every attempt waits for its turn. */
  limiter?: RateLimiter | undefined;
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number | undefined;
}

/**
 * How a call reports its final failure when an attempt may have reached Ingo (it timed out, lost its
 * connection, met a 5xx): the cancel turns a 780–787 refusal, or giving up on a retryable failure, into
 * "outcome unknown" (docs/ingo-contract.md §4); other calls keep the failure as it is.
 */
export interface RetryPolicy {
  afterUncertainAttempt?(
    final: NotifykitError,
    context: { uncertainAttempt: string; retryable: boolean },
  ): NotifykitError;
}

/** A response in Ingo's success families (100–110 but 104, 111–132), not yet parsed into a typed result. */
export interface IngoResponse {
  httpStatus: number;
  body: unknown;
  ingoStatus: number;
  requestId: string;
  attempts: number;
}

type Attempt =
  | { ok: true; response: IngoResponse }
  | { ok: false; error: NotifykitError; retryable: boolean; retryAfterMs?: number | undefined };

// Failures that prove the request never reached the server: nothing was sent, or it was refused before.
const NOT_SENT_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Whether a failed attempt may have been processed by Ingo although no answer came back: a timeout, a
 * connection lost after it was made, or a 5xx/9xx (Ingo or a proxy failed while handling it). A refused
 * connection, a DNS failure, a 429 and an in-progress 104 did not act.
 */
function mayHaveLanded(error: NotifykitError): boolean {
  if (error instanceof TimeoutError) return true;
  if (error instanceof NetworkError) return !NOT_SENT_CAUSES.has(causeCode(error) ?? '');
  if (error instanceof HttpError) return error.httpStatus >= 500;
  if (error instanceof IngoApiError) return error.retryable && error.status !== IN_PROGRESS_STATUS;
  return false;
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } } | undefined)?.cause;
  const code = cause?.code ?? cause?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function describeCause(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : undefined;
  return code ?? message ?? (error instanceof Error ? error.message : 'unknown error');
}

/** Waits `ms`, or rejects with {@link AbortError} as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortError({ cause: signal.reason }));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError({ cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sends signed JSON requests to Ingo's gateway with timeouts, retries and typed errors. */
export class RequestSender {
  readonly #config: RequestSenderConfig;

  constructor(config: RequestSenderConfig) {
    this.#config = config;
  }

  #log(level: keyof IngoLogger, message: string, fields: Record<string, unknown>): void {
    const fn = this.#config.logger?.[level];
    if (!fn) return;
    try {
      fn.call(this.#config.logger, message, fields);
    } catch {
      // A broken logger must never break a payment call.
    }
  }

  /**
   * POSTs `body` as JSON to `path` and returns a finished success, or throws: {@link IngoApiError}
   * (an Ingo status outside the success families; {@link IngoInProgressError} when 104 outlasts the
   * retries), {@link AuthenticationError} (HTTP 401), {@link HttpError} (non-2xx without an envelope),
   * {@link ResponseParseError}, {@link NetworkError}, {@link TimeoutError}, {@link AbortError}, or what
   * `policy` makes of a refusal after an attempt that may have landed.
   */
  async post(path: string, body: unknown, options: SendOptions = {}, policy: RetryPolicy = {}): Promise<IngoResponse> {
    const { retry } = this.#config;
    const url = new URL(this.#config.baseUrl + path);
    // The request line is signed as the server will see it: the encoded path and query, no host.
    const target = url.pathname + url.search;
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const requestId = randomUUID();
    const signal = options.signal;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const base = { method: 'POST', path: target, requestId };
    // The code of the first failed attempt that may have reached Ingo, if any.
    let uncertainAttempt: string | undefined;
    let inProgressAnswers = 0;

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new AbortError({ cause: signal.reason });
      await this.#config.limiter?.acquire(signal);
      this.#log('debug', 'ingo request', { ...base, attempt, body: redact(body) });
      const started = performance.now();
      const outcome = await this.#attempt(url, target, bytes, requestId, timeoutMs, signal);
      const durationMs = Math.round(performance.now() - started);

      if (outcome.ok) {
        this.#log('info', 'ingo response', {
          ...base,
          attempt,
          httpStatus: outcome.response.httpStatus,
          ingoStatus: outcome.response.ingoStatus,
          durationMs,
        });
        return { ...outcome.response, attempts: attempt };
      }

      let error = outcome.error;
      if (error instanceof IngoInProgressError) {
        // Counted across the call, so the final error says how long the first request stayed in progress.
        inProgressAnswers++;
        error = new IngoInProgressError(
          {
            status: error.status,
            clientMessage: error.clientMessage,
            httpStatus: error.httpStatus,
            requestId,
            raw: error.raw,
          },
          inProgressAnswers,
        );
      }
      if (uncertainAttempt === undefined && mayHaveLanded(error)) uncertainAttempt = error.code;
      const givingUp = error instanceof AbortError || !outcome.retryable || attempt > retry.maxRetries;
      if (givingUp && uncertainAttempt !== undefined && !(error instanceof AbortError)) {
        error = policy.afterUncertainAttempt?.(error, { uncertainAttempt, retryable: outcome.retryable }) ?? error;
      }
      const fields = {
        ...base,
        attempt,
        durationMs,
        code: error.code,
        httpStatus: (error as { httpStatus?: number }).httpStatus,
        ingoStatus: error instanceof IngoApiError ? error.status : undefined,
      };
      if (givingUp) {
        this.#log('error', 'ingo request failed', { ...fields, retryable: outcome.retryable });
        throw error;
      }
      const delayMs = backoffDelay(attempt - 1, retry, this.#config.random, outcome.retryAfterMs);
      this.#log('warn', 'ingo request failed, retrying', { ...fields, retryInMs: delayMs });
      await sleep(delayMs, signal);
    }
  }

  async #attempt(
    url: URL,
    target: string,
    bytes: Buffer,
    requestId: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    const signed = signRequest({
      method: 'POST',
      path: target,
      body: bytes,
      username: this.#config.username,
      secret: this.#config.secret,
      algorithm: this.#config.algorithm,
    });
    // One controller per attempt so the timeout and the caller's signal both cancel the socket, and
    // we can still tell which of the two fired.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onCallerAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });

    try {
      let response: Response;
      let text: string;
      try {
        response = await this.#config.fetch(url, {
          method: 'POST',
          headers: {
            ...signed.headers,
            Accept: 'application/json',
            'User-Agent': USER_AGENT,
            'X-Request-Id': requestId,
          },
          body: bytes,
          signal: controller.signal,
        });
        text = await response.text();
      } catch (cause) {
        if (signal?.aborted) return { ok: false, error: new AbortError({ cause: signal.reason }), retryable: false };
        if (timedOut) return { ok: false, error: new TimeoutError(timeoutMs), retryable: true };
        return {
          ok: false,
          error: new NetworkError(`Could not reach Ingo (POST ${url.pathname}): ${describeCause(cause)}`, { cause }),
          retryable: true,
        };
      }
      return classify(response, text, requestId);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function classify(response: Response, text: string, requestId: string): Attempt {
  const httpStatus = response.status;
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }

  if (httpStatus === 401) {
    const message =
      typeof (json as { message?: unknown } | undefined)?.message === 'string'
        ? (json as { message: string }).message
        : 'Unauthorized';
    return { ok: false, error: new AuthenticationError(message, 401, requestId), retryable: false };
  }

  // When Ingo's envelope is there it decides, whatever the HTTP status: 5xx statuses are worth
  // retrying, validation (4xx/6xx) and state (780–787) errors never are.
  // 104 "in progress" is not finished: it is retried later like a 5xx, and never read as a replay.
  const line = readIngoStatus(json);
  if (line) {
    if (isSuccessStatus(line.status)) {
      return { ok: true, response: { httpStatus, body: json, ingoStatus: line.status, requestId, attempts: 0 } };
    }
    const error = ingoStatusError(line, json, httpStatus, requestId, 1);
    return { ok: false, error, retryable: error.retryable };
  }

  if (response.ok) {
    return {
      ok: false,
      error: new ResponseParseError(
        `Ingo answered HTTP ${httpStatus} with a body that is not an Ingo envelope`,
        httpStatus,
      ),
      retryable: false,
    };
  }
  const error = new HttpError(
    httpStatus,
    `Ingo answered HTTP ${httpStatus} without an Ingo envelope${httpStatus === 429 ? ' (rate limited)' : ''}`,
    requestId,
  );
  return {
    ok: false,
    error,
    retryable: error.retryable,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
  };
}
