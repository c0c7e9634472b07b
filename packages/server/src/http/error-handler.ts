import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { ApiError, errorBody } from '../errors.js';

// Every failure leaves as {error: {code, message, details}} with the most specific status; framework
// errors (body too large, bad JSON, wrong content type) are translated rather than passed through.

const FRAMEWORK_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large', 'request body is larger than the limit'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'the body is empty; send a JSON object'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'the body is not valid JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_content_length', 'Content-Length does not match the body'],
  FST_ERR_BAD_URL: [400, 'bad_url', 'the request URL is malformed'],
};

function translateError(error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error;
  const e = error as Partial<FastifyError> & { type?: string };
  const known = e.code === undefined ? undefined : FRAMEWORK_ERRORS[e.code];
  if (known) return new ApiError(known[0], known[1], known[2]);
  if (error instanceof SyntaxError || e.type === 'entity.parse.failed') {
    return new ApiError(400, 'malformed_json', 'the body is not valid JSON');
  }
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiError(e.statusCode, 'bad_request', 'the request could not be processed');
  }
  return undefined;
}

export function createErrorHandler(logger: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const translated = translateError(error);
    if (translated) {
      void reply.status(translated.statusCode).send(errorBody(translated.code, translated.message, translated.details));
      return;
    }
    logger.error({ err: error, method: request.method, route: request.routeOptions.url }, 'unhandled error');
    void reply.status(500).send(errorBody('internal_error', 'internal error; the server log has the details'));
  };
}
