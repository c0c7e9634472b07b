// One gateway call, end to end: sign, send, time out, retry, classify. Every attempt is signed afresh
// (a new X-Date, so a retry after a long backoff is never stale) over the same body bytes; repeating a
// stage is safe because participant_unique_id1 is Ingo's idempotency key (docs/ingo-contract.md §3).

import { randomUUID } from 'node:crypto';
import {
  AbortError,
  AuthenticationError,
  HttpError,
  IngoApiError,
  NetworkError,
  type NotifykitError,
  ResponseParseError,
  TimeoutError,
} from '../errors.js';
import { redact } from '../redaction.js';

import { signRequest } from '../signing/sign-request.js';
import type { SigningAlgorithm } from '../signing/signing-string.js';
import { USER_AGENT } from '../version.js';
import { isSuccessStatus, readIngoStatus } from './responses.js';

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
}

export interface SendOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the client's per-attempt timeout for this call. */
  timeoutMs?: number | undefined;
}

/** A response in Ingo's success family (100–110), not yet parsed into a typed result. */
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

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
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
   * POSTs `body` as JSON to `path` and returns a success-family response, or throws: {@link IngoApiError}
   * (Ingo status outside 100–110), {@link AuthenticationError} (HTTP 401), {@link HttpError} (non-2xx
   * without an envelope), {@link ResponseParseError}, {@link NetworkError}, {@link TimeoutError},
   * {@link AbortError}.
   */
  async post(path: string, body: unknown, options: SendOptions = {}): Promise<IngoResponse> {
    const { retry } = this.#config;
    const url = new URL(this.#config.baseUrl + path);
    // The request line is signed as the server will see it: the encoded path and query, no host.
    const target = url.pathname + url.search;
    const bytes = Buffer.from(JSON.stringify(body), 'utf8');
    const requestId = randomUUID();
    const signal = options.signal;
    const timeoutMs = options.timeoutMs ?? this.#config.timeoutMs;
    const base = { method: 'POST', path: target, requestId };

    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw new AbortError({ cause: signal.reason });
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

      const error = outcome.error;
      const fields = {
        ...base,
        attempt,
        durationMs,
        code: error.code,
        httpStatus: (error as { httpStatus?: number }).httpStatus,
        ingoStatus: error instanceof IngoApiError ? error.status : undefined,
      };
      if (error instanceof AbortError || !outcome.retryable || attempt > retry.maxRetries) {
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
  const line = readIngoStatus(json);
  if (line) {
    if (isSuccessStatus(line.status)) {
      return { ok: true, response: { httpStatus, body: json, ingoStatus: line.status, requestId, attempts: 0 } };
    }
    const error = IngoApiError.generate({
      status: line.status,
      clientMessage: line.clientMessage,
      httpStatus,
      requestId,
      raw: json,
    });
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
