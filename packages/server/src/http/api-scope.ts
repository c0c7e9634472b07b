import type { FastifyInstance } from 'fastify';
import { createBearerTokenCheck } from './api-token-auth.js';
import { refuseNulInBody, refuseNulInQuery } from './nul-guard.js';

/** Where the API lives. */
export const API_PREFIX = '/api/v1';

/** Registers a feature's routes inside the secured `/api/v1` scope. */
export type ApiRoutes = (api: FastifyInstance) => void | Promise<void>;

/**
 * The `/api/v1` scope: JSON bodies only, the OpenAPI document without a token, and every feature's
 * routes behind the bearer-token check.
 */
export async function registerApi(
  app: FastifyInstance,
  options: { apiToken: string; openApiDocument: Record<string, unknown>; routes: readonly ApiRoutes[] },
): Promise<void> {
  const checkToken = createBearerTokenCheck(options.apiToken);
  await app.register(
    async (api) => {
      // The API speaks JSON only; anything else is a 415, not a string body.
      api.removeContentTypeParser('text/plain');
      api.get('/openapi.json', async () => options.openApiDocument);
      await api.register(async (secured) => {
        secured.addHook('onRequest', async (request) => {
          checkToken(request.headers.authorization);
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
