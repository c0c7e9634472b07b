import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Forbidden } from '../errors.js';
import type { AccessRole } from './api-token-auth.js';
import { refuseNulInBody, refuseNulInQuery } from './nul-guard.js';

/** Where the API lives. */
export const API_PREFIX = '/api/v1';

/** Registers a feature's routes inside the secured `/api/v1` scope. */
export type ApiRoutes = (api: FastifyInstance) => void | Promise<void>;

/** Who is calling: the role their credential grants; throws `Unauthorized` when there is none. */
export type RequestAuthenticator = (request: FastifyRequest) => AccessRole;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The `/api/v1` scope: JSON bodies only, the OpenAPI document without a credential, and every
 * feature's routes behind `authenticate` (bearer token or dashboard session, wired in app/server.ts).
 * The read-only role reads everything and changes nothing: every other method is a 403.
 */
export async function registerApi(
  app: FastifyInstance,
  options: {
    authenticate: RequestAuthenticator;
    openApiDocument: Record<string, unknown>;
    routes: readonly ApiRoutes[];
  },
): Promise<void> {
  await app.register(
    async (api) => {
      // The API speaks JSON only; anything else is a 415, not a string body.
      api.removeContentTypeParser('text/plain');
      api.get('/openapi.json', async () => options.openApiDocument);
      await api.register(async (secured) => {
        secured.addHook('onRequest', async (request) => {
          const role = options.authenticate(request);
          if (role === 'readonly' && !READ_METHODS.has(request.method)) {
            throw new Forbidden('the read-only token can read but not act (stage, cancel, check actions)');
          }
        });
        // After parsing, before any handler: no NUL reaches a query or a row (http/nul-guard.ts).
        secured.addHook('preValidation', async (request) => {
          refuseNulInQuery(request.query);
          refuseNulInBody(request.body);
        });
        for (const routes of options.routes) await routes(secured);
      });
    },
    { prefix: API_PREFIX },
  );
}
