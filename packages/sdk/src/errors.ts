// Every error notifykit throws lives here. Each has a stable `code` (switch on it, never on the message)
// and a brand that makes `instanceof` work across two copies of the package (a monorepo with two
// versions installed, or a bundle beside node_modules), as in stripe-node and undici.

const BRAND = Symbol.for('@notifykit/sdk.error-kinds');

type Branded = { [BRAND]?: readonly string[] };

function kindsOf(value: unknown): readonly string[] {
  if (typeof value !== 'object' || value === null) return [];
  return (value as Branded)[BRAND] ?? [];
}

export class NotifykitError extends Error {
  /** Stable machine-readable code, e.g. `ERR_VALIDATION`. */
  readonly code: string;
  /** Identifies the class across package copies; subclasses override. */
  static readonly kind: string = 'NotifykitError';

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
    const kinds: string[] = [];
    for (let c = new.target as unknown as { kind?: string }; c?.kind; c = Object.getPrototypeOf(c)) {
      if (!kinds.includes(c.kind)) kinds.push(c.kind);
    }
    Object.defineProperty(this, BRAND, { value: Object.freeze(kinds), enumerable: false });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is whichever class stands right of `instanceof`
    const target = this as unknown as { kind: string };
    // A subclass declaring no `kind` of its own would otherwise claim every instance of its parent.
    if (!Object.hasOwn(target, 'kind')) return Function.prototype[Symbol.hasInstance].call(target, value);
    return kindsOf(value).includes(target.kind);
  }
}

/** Bad configuration given to a notifykit function or constructor (a programming error). */
export class ConfigurationError extends NotifykitError {
  static override readonly kind = 'ConfigurationError';
  constructor(message: string, code = 'ERR_CONFIGURATION') {
    super(message, code);
  }
}

export interface ValidationIssue {
  /** Dotted field path, e.g. `recipient.email` or `authentication_records.0.field_label`. */
  path: string;
  /** Short rule name, e.g. `required`, `max_length`, `format`, `one_of`. */
  rule: string;
  /** Human-readable explanation; never contains the offending value. */
  message: string;
}

/** A request that would break Ingo's rules; raised before anything is sent. */
export class ValidationError extends NotifykitError {
  static override readonly kind = 'ValidationError';
  readonly issues: readonly ValidationIssue[];
  constructor(issues: readonly ValidationIssue[], what = 'request') {
    const summary = issues
      .slice(0, 5)
      .map((i) => `${i.path || '(root)'}: ${i.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (+${issues.length - 5} more)` : '';
    super(`Invalid ${what}: ${summary}${more}`, 'ERR_VALIDATION');
    this.issues = issues;
  }
}

/** The four 401 messages of docs/ingo-contract.md §1.1, verbatim. */
export const SIGNATURE_MESSAGES = {
  missing: 'Unauthorized',
  date: 'HMAC signature cannot be verified, a valid date or x-date header is required for HMAC Authentication',
  unverifiable: 'HMAC signature cannot be verified',
  mismatch: 'HMAC signature does not match',
} as const;

export type SignatureFailureCode =
  | 'ERR_SIGNATURE_MISSING'
  | 'ERR_SIGNATURE_MALFORMED'
  | 'ERR_SIGNATURE_UNKNOWN_USER'
  | 'ERR_SIGNATURE_ALGORITHM'
  | 'ERR_SIGNATURE_HEADER_NOT_SIGNED'
  | 'ERR_SIGNATURE_HEADER_MISSING'
  | 'ERR_SIGNATURE_DATE'
  | 'ERR_SIGNATURE_MISMATCH'
  | 'ERR_SIGNATURE_DIGEST_MISMATCH'
  | 'ERR_SIGNATURE_CONTENT_LENGTH';

/**
 * An incoming request's HMAC signature failed docs/ingo-contract.md §1.1. `message` is exactly the 401 body
 * message Ingo (and the sandbox) sends; `detail` says precisely what was wrong, for logs and tests.
 */
export class SignatureVerificationError extends NotifykitError {
  static override readonly kind = 'SignatureVerificationError';
  declare readonly code: SignatureFailureCode;
  readonly httpStatus = 401;
  readonly detail: string;
  constructor(code: SignatureFailureCode, message: string, detail: string) {
    super(message, code);
    this.detail = detail;
  }
}

export type WebhookFailureCode =
  | 'ERR_WEBHOOK_NO_SIGNATURE'
  | 'ERR_WEBHOOK_SIGNATURE_MISMATCH'
  | 'ERR_WEBHOOK_RAW_BODY_REQUIRED'
  | 'ERR_WEBHOOK_SECRET_WHITESPACE'
  | 'ERR_WEBHOOK_NO_SECRET'
  | 'ERR_WEBHOOK_MALFORMED_JSON'
  | 'ERR_WEBHOOK_NOT_AN_ENVELOPE';

/** A webhook that cannot be trusted or is not an Ingo envelope. */
export class WebhookVerificationError extends NotifykitError {
  static override readonly kind = 'WebhookVerificationError';
  declare readonly code: WebhookFailureCode;
  constructor(code: WebhookFailureCode, message: string) {
    super(message, code);
  }
}

/** Error families of docs/ingo-contract.md §2; unknown codes are classified by their family. */
export type IngoErrorFamily = 'validation' | 'state' | 'auth' | 'retryable' | 'unknown';

export interface IngoApiErrorInit {
  status: number;
  clientMessage: string;
  httpStatus: number;
  requestId?: string | undefined;
  raw?: unknown;
}

/**
 * Ingo answered with a business error (`status` outside the success families 100–110 and 111–132). Errors from the SDK's own calls are
 * built by {@link IngoApiError.generate}, which picks the subclass of the status's range (docs/ingo-contract.md
 * §2): catch `IngoStateError`, `IngoValidationError`… by `instanceof`; statuses outside every range
 * stay a plain `IngoApiError`. `family` is the coarser fix-or-retry classification, unchanged.
 */
export class IngoApiError extends NotifykitError {
  static override readonly kind: string = 'IngoApiError';
  /** Ingo's `status` code, e.g. 600, 780. */
  readonly status: number;
  readonly clientMessage: string;
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  readonly family: IngoErrorFamily;
  readonly raw: unknown;
  constructor(init: IngoApiErrorInit, code = 'ERR_INGO_API') {
    super(`Ingo status ${init.status}: ${init.clientMessage}`, code);
    this.status = init.status;
    this.clientMessage = init.clientMessage;
    this.httpStatus = init.httpStatus;
    this.requestId = init.requestId;
    this.family = classifyIngoStatus(init.status);
    this.raw = init.raw;
  }
  get retryable(): boolean {
    return this.family === 'retryable';
  }

  /** The error for an Ingo status: an instance of the subclass of its range, or of IngoApiError. */
  static generate(init: IngoApiErrorInit): IngoApiError {
    const range = STATUS_RANGES.find(([from, to]) => init.status >= from && init.status <= to);
    return range === undefined ? new IngoApiError(init) : new range[2](init);
  }
}

/**
 * 4xx: the request or its credentials are wrong (400 a required parameter missing, 401 parameters
 * incorrect, 402 signature timestamp too distant): fix it, do not retry.
 */
export class IngoRequestError extends IngoApiError {
  static override readonly kind = 'IngoRequestError';
}

/**
 * 5xx system/communication and 9xx general system errors: Ingo's side failed, not the request. Both
 * are `retryable`, and the client retries them with backoff (a Decision for 9xx: Ingo calls them
 * "general system" errors and gives no other advice; a stage repeats safely under its idempotency key,
 * and a cancel's repeat is told apart by {@link CancelOutcomeUnknownError}).
 */
export class IngoSystemError extends IngoApiError {
  static override readonly kind = 'IngoSystemError';
}

/** 600–616: Ingo's field validation and velocity limits (600 a field, 610 the daily amount). */
export class IngoValidationError extends IngoApiError {
  static override readonly kind = 'IngoValidationError';
}

/** 700–742: transaction and routing errors. */
export class IngoTransactionError extends IngoApiError {
  static override readonly kind = 'IngoTransactionError';
}

/** 750–815 (except 780–787): card and token errors. */
export class IngoCardError extends IngoApiError {
  static override readonly kind = 'IngoCardError';
}

/**
 * 780–787: the disbursement is in a state that does not allow the action (780 cancel refused: already
 * claimed, 781 already terminal, 782 not found, 783 cancel data does not match).
 */
export class IngoStateError extends IngoApiError {
  static override readonly kind = 'IngoStateError';
}

/** 851–867: the issuer declined. */
export class IngoIssuerDeclineError extends IngoApiError {
  static override readonly kind = 'IngoIssuerDeclineError';
}

/**
 * The status ranges of docs/ingo-contract.md §2, inclusive, first match wins: 780–787 lies inside the card range
 * 750–815 and is listed first because the disbursement's state is the more specific meaning.
 */
type IngoApiErrorClass = new (init: IngoApiErrorInit) => IngoApiError;

const STATUS_RANGES: readonly (readonly [from: number, to: number, error: IngoApiErrorClass])[] = [
  [780, 787, IngoStateError],
  [400, 499, IngoRequestError],
  [500, 599, IngoSystemError],
  [600, 616, IngoValidationError],
  [700, 742, IngoTransactionError],
  [750, 815, IngoCardError],
  [851, 867, IngoIssuerDeclineError],
  [900, 999, IngoSystemError],
];

/**
 * Ingo kept answering 104 "In Progress – Idempotent Response": the first request with this
 * `participant_unique_id1` is still being processed. It is not a finished replay and may carry no
 * `data`, so the client waits and asks again (against the same retry budget); this error says the
 * request never finished within it. Repeat the call later with the same idempotency key.
 */
export class IngoInProgressError extends IngoApiError {
  static override readonly kind = 'IngoInProgressError';
  /** How many attempts were answered "in progress". */
  readonly attempts: number;
  constructor(init: IngoApiErrorInit, attempts: number) {
    super(init, 'ERR_INGO_IN_PROGRESS');
    this.attempts = attempts;
    this.message = `Ingo status ${init.status}: ${init.clientMessage || 'In Progress'} — the first request with this participant_unique_id1 was still in progress after ${attempts} attempt(s); repeat the call later with the same idempotency key`;
  }
}

/**
 * A cancel whose outcome is **unknown** — not "not canceled": an attempt may have reached Ingo (it timed
 * out, lost its connection, or met a 5xx) and then either the retry was refused with 780–787 (which may
 * be Ingo's answer to our own landed cancel) or the retries ran out without an answer (docs/ingo-contract.md §4).
 * Wait for the `…disbursement.status.canceled` webhook (or a later lifecycle event) to settle it.
 */
export class CancelOutcomeUnknownError extends NotifykitError {
  static override readonly kind = 'CancelOutcomeUnknownError';
  /** The code of the attempt that may have landed, e.g. `ERR_TIMEOUT`, `ERR_NETWORK`, `ERR_HTTP`. */
  readonly uncertainAttempt: string;
  /** Ingo's refusal of the retried cancel (780–787), when that is how it ended. */
  readonly refusal: IngoApiError | undefined;
  constructor(init: { uncertainAttempt: string; refusal?: IngoApiError; lastError?: NotifykitError }) {
    const how =
      init.refusal !== undefined
        ? `the retry was refused with status ${init.refusal.status} (${init.refusal.clientMessage})`
        : `no attempt was answered (last: ${init.lastError?.code ?? 'unknown'})`;
    super(
      `The cancel's outcome is unknown: an attempt may have reached Ingo (${init.uncertainAttempt}) and ${how}; wait for Ingo's disbursement canceled webhook (or a later lifecycle event) to settle it`,
      'ERR_CANCEL_OUTCOME_UNKNOWN',
      { cause: init.refusal ?? init.lastError },
    );
    this.uncertainAttempt = init.uncertainAttempt;
    this.refusal = init.refusal;
  }
}

/** HTTP 401 from Ingo: the request signature or credentials were refused. Never retried. */
export class AuthenticationError extends NotifykitError {
  static override readonly kind = 'AuthenticationError';
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  constructor(message: string, httpStatus = 401, requestId?: string) {
    super(`Ingo refused the request signature: ${message}`, 'ERR_AUTHENTICATION');
    this.httpStatus = httpStatus;
    this.requestId = requestId;
  }
}

/** Ingo answered with an HTTP status and a body that is not an Ingo envelope (a proxy page, a 5xx). */
export class HttpError extends NotifykitError {
  static override readonly kind = 'HttpError';
  readonly httpStatus: number;
  readonly requestId: string | undefined;
  constructor(httpStatus: number, message: string, requestId?: string) {
    super(message, 'ERR_HTTP');
    this.httpStatus = httpStatus;
    this.requestId = requestId;
  }
  /** 5xx and 429 only: every other 4xx is a request problem that a retry would repeat. */
  get retryable(): boolean {
    return this.httpStatus >= 500 || this.httpStatus === 429;
  }
}

/** The connection failed (refused, reset, DNS) before a response arrived. */
export class NetworkError extends NotifykitError {
  static override readonly kind = 'NetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_NETWORK', options);
  }
}

/** No response within `timeoutMs`. */
export class TimeoutError extends NotifykitError {
  static override readonly kind = 'TimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`Ingo did not answer within ${timeoutMs} ms`, 'ERR_TIMEOUT');
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired. */
export class AbortError extends NotifykitError {
  static override readonly kind = 'AbortError';
  constructor(options?: { cause?: unknown }) {
    super('The request was aborted by the caller', 'ERR_ABORTED', options);
  }
}

/** Ingo answered 2xx with a body we cannot read as its envelope. */
export class ResponseParseError extends NotifykitError {
  static override readonly kind = 'ResponseParseError';
  readonly httpStatus: number;
  constructor(message: string, httpStatus: number) {
    super(message, 'ERR_RESPONSE_PARSE');
    this.httpStatus = httpStatus;
  }
}

/**
 * Family of an Ingo status code per the hub's "Errors" page (docs/ingo-contract.md §2). 104 "in progress" is
 * `retryable` (ask again later); 9xx "general system" errors are `retryable` like 5xx (a Decision).
 * 100–110 success and 111–132 soft results are not errors and map to `unknown` if ever asked.
 */
export function classifyIngoStatus(status: number): IngoErrorFamily {
  if (status === 104) return 'retryable';
  // 400 "required parameter missing" and 401 "parameters incorrect" are request-shape problems.
  if (status === 400 || status === 401) return 'validation';
  if (status >= 402 && status < 500) return 'auth';
  if (status >= 500 && status < 600) return 'retryable';
  if (status >= 780 && status <= 787) return 'state';
  if (status >= 600 && status < 900) return 'validation';
  if (status >= 900 && status < 1000) return 'retryable';
  return 'unknown';
}
