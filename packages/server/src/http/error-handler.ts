import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ApiError, CancelRefusedByIngo, CheckActionRefusedByIngo, type ErrorCode } from '../errors.js';

// The one place where failures become HTTP answers: every error the application throws (errors.ts) is
// mapped to its status here, framework errors (body too large, bad JSON, wrong content type) are
// translated, and anything else is a 500 whose details go to the log only. Every answer is
// `{error: {code, message, details?}}`.

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return details === undefined ? { error: { code, message } } : { error: { code, message, details } };
}

const STATUS = {
  validation_failed: 422,
  unknown_participant: 422,
  idempotency_key_mismatch: 422,
  invalid_query: 400,
  invalid_id: 400,
  invalid_cursor: 400,
  invalid_idempotency_key: 400,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  not_found: 404,
  idempotency_key_reused: 409,
  cancel_refused: 409,
  // Refined below: a refusal because of the payout's state at Ingo is a conflict (409), else 422.
  cancel_refused_by_ingo: 422,
  ingo_unavailable: 502,
  cancel_not_recorded: 500,
  check_action_refused: 409,
  // Refined below like the cancel's: a refusal because of the payout's state at Ingo is a conflict.
  check_action_refused_by_ingo: 422,
  missing_signature: 401,
  invalid_signature: 401,
  malformed_json: 400,
  not_an_envelope: 400,
  invalid_webhook: 400,
  // Tells Ingo to retry: nothing was acknowledged.
  not_committed: 503,
} as const satisfies Record<ErrorCode, number>;

/** The HTTP status of an application error. */
export function httpStatusOf(error: ApiError): number {
  if (
    (error instanceof CancelRefusedByIngo || error instanceof CheckActionRefusedByIngo) &&
    error.because === 'state'
  ) {
    return 409;
  }
  return STATUS[error.code];
}

const FRAMEWORK_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'the body is empty; send a JSON object'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'the body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', 'Content-Length does not match the body'],
  FST_ERR_BAD_URL: [400, 'bad_url', 'the request URL is malformed'],
};

/** Status and body for an error the framework raised before any handler ran, or undefined (a bug). */
function translateFrameworkError(error: unknown, request: FastifyRequest): [number, ErrorBody] | undefined {
  const e = error as Partial<FastifyError> & { type?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.routeOptions.bodyLimit;
    return [413, errorBody('payload_too_large', `request body is larger than the limit (${limit} bytes)`)];
  }
  const known = e.code === undefined ? undefined : FRAMEWORK_ERRORS[e.code];
  if (known) return [known[0], errorBody(known[1], known[2])];
  if (error instanceof SyntaxError || e.type === 'entity.parse.failed') {
    return [400, errorBody('malformed_json', 'the body is not valid JSON')];
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return [e.statusCode, errorBody('bad_request', 'the request could not be processed')];
  }
  return undefined;
}

export function createErrorHandler(logger: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) {
      void reply.status(httpStatusOf(error)).send(errorBody(error.code, error.message, error.details));
      return;
    }
    const translated = translateFrameworkError(error, request);
    if (translated) {
      void reply.status(translated[0]).send(translated[1]);
      return;
    }
    logger.error({ err: error, method: request.method, route: request.routeOptions.url }, 'unhandled error');
    void reply.status(500).send(errorBody('internal_error', 'internal error; the server log has the details'));
  };
}

/** JSON 404 for paths no route serves. */
export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  void reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
}
