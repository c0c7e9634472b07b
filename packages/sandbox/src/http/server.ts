// The HTTP server: Fastify with every body kept as raw bytes (signatures are over the exact bytes), a
// 64 KiB limit, request ids echoed back, JSON errors everywhere, and no framework error page ever shown:
// a bad request gets a specific 4xx, never a 500.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { installErrorHandling, type RouteFamily } from './errors.js';

const BODY_LIMIT_BYTES = 64 * 1024;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The Fastify instance every route family registers on: raw bodies, the body limit, request ids, the
 * per-request debug line, the one error handler (errors.ts) and /healthz. Routes come from the caller.
 */
export function createHttpServer(
  logger: Logger,
  families: readonly RouteFamily[],
  { requestTimeoutMs }: { requestTimeoutMs: number },
): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request lines come from our own onResponse hook, at debug level and without bodies.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    // Slow clients (headers or body dripped byte by byte) get a 408 and lose the connection once the
    // whole request has not arrived in time; Node checks every connection at this interval.
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, Math.ceil(requestTimeoutMs / 4)),
    },
    requestIdHeader: false,
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
  });

  // Set by the signature guard on the routes it protects.
  app.decorateRequest('credential', null);
  // Signatures cover the exact bytes received, so every body stays a Buffer; routes parse JSON themselves
  // after the signature check, and can then say precisely what is wrong with it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        path: request.routeOptions.url ?? 'unmatched',
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
  });

  installErrorHandling(app, { bodyLimitBytes: BODY_LIMIT_BYTES, families });
  app.get('/healthz', async () => ({ ok: true }));
  return app;
}
