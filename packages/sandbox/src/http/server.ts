// The HTTP server: Fastify with every body kept as raw bytes (signatures are over the exact bytes), a
// 64 KiB limit, request ids echoed back, JSON errors everywhere, and no framework error page ever shown:
// a bad request gets a specific 4xx, never a 500.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, LogController } from 'fastify';
import { registerControlRoutes } from '../control/routes.js';
import { envelope, INGO_STATUS } from '../gateway/envelope.js';
import { openApiDocument } from '../gateway/openapi.js';
import { MANAGED_STAGE_V4_PATH, registerGatewayRoutes } from '../gateway/routes.js';
import type { SandboxContext } from './context.js';

const BODY_LIMIT_BYTES = 64 * 1024;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export function buildApp(ctx: SandboxContext): FastifyInstance {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // Per-request lines come from our own onResponse hook, at debug level and without bodies.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
  });

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

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 413
        : typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 500;
    const message =
      status === 413
        ? `Request body is larger than ${BODY_LIMIT_BYTES} bytes`
        : status === 500
          ? 'Internal error'
          : error.message;
    if (status === 500) request.log.error({ err: { message: error.message, stack: error.stack } }, 'unhandled error');
    if (request.url.startsWith('/gateway/')) {
      return reply.code(status).send(envelope(INGO_STATUS.fieldValidation, message, {}, performance.now()));
    }
    return reply.code(status).send({ error: { code: status === 500 ? 'internal' : 'bad_request', message } });
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0];
    const message =
      path === MANAGED_STAGE_V4_PATH
        ? 'Managed Parties (POST /gateway/v4/notify) is not available in this sandbox version'
        : `No route ${request.method} ${path}`;
    return reply.code(404).send({ error: { code: 'not_found', message } });
  });

  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(openApiDocument()));
  app.get('/healthz', async () => ({ ok: true }));
  registerGatewayRoutes(app, ctx);
  registerControlRoutes(app, ctx);
  return app;
}
