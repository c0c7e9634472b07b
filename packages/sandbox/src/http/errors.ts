// One way to fail over HTTP. Every route (gateway, control API, and the signature guard in front of
// both) throws a SandboxHttpError that carries its whole response; one Fastify error handler sends it.
// Whatever else reaches that handler was not thrown on purpose: Fastify's own 4xx (a body over the
// limit), an unknown route (404), or a bug (500: logged, its message never sent). Those are worded in the
// format of the route family the path belongs to: the gateway's Ingo envelope, or the sandbox's own
// `{"error": {"code", "message"}}` everywhere else.

import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

/** A failure a route decided on: the HTTP status, the exact body and any headers to send. */
export class SandboxHttpError extends Error {
  constructor(
    /** Named apart from `status`, which the gateway's envelope uses for Ingo's own status code. */
    readonly httpStatus: number,
    readonly body: unknown,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`HTTP ${httpStatus}`);
    this.name = 'SandboxHttpError';
  }
}

/** The sandbox's own error body: `{"error": {"code", "message"}}` plus context fields (e.g. a 409's state). */
export function jsonError(
  httpStatus: number,
  code: string,
  message: string,
  context: Record<string, unknown> = {},
): SandboxHttpError {
  return new SandboxHttpError(httpStatus, { error: { code, message }, ...context });
}

/** Routes under one path prefix that word their failures in a format of their own. */
export interface RouteFamily {
  pathPrefix: string;
  /** The error for a failure no route of the family threw: a body over the limit, or a bug (500). */
  failure(httpStatus: number, message: string): SandboxHttpError;
  /** 404 messages for paths that exist at Ingo but not in this sandbox. */
  unavailable?: ReadonlyMap<string, string>;
}

export interface ErrorHandlingOptions {
  bodyLimitBytes: number;
  families: readonly RouteFamily[];
}

/** Installs the one error handler and the 404 handler (which throws, so the error handler sends it too). */
export function installErrorHandling(app: FastifyInstance, options: ErrorHandlingOptions): void {
  const familyOf = (request: FastifyRequest) => options.families.find((f) => request.url.startsWith(f.pathPrefix));

  app.setNotFoundHandler((request) => {
    const path = request.url.split('?')[0] ?? '';
    const unavailable = familyOf(request)?.unavailable?.get(path);
    throw jsonError(404, 'not_found', unavailable ?? `No route ${request.method} ${path}`);
  });

  app.setErrorHandler((error: FastifyError | SandboxHttpError, request, reply) => {
    let failure: SandboxHttpError;
    if (error instanceof SandboxHttpError) failure = error;
    else {
      const status =
        error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
          ? 413
          : typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
            ? error.statusCode
            : 500;
      const message =
        status === 413
          ? `Request body is larger than ${options.bodyLimitBytes} bytes`
          : status === 500
            ? 'Internal error'
            : error.message;
      if (status === 500) request.log.error({ err: { message: error.message, stack: error.stack } }, 'unhandled error');
      failure =
        familyOf(request)?.failure(status, message) ??
        jsonError(status, status === 500 ? 'internal' : 'bad_request', message);
    }
    return reply.code(failure.httpStatus).headers(failure.headers).send(failure.body);
  });
}
