// The Ingo surface of the sandbox: v3 (Classic) stage and cancel, the check API, and v4 Managed Parties
// (`POST /gateway/v4/notify`; a v4 payout is canceled through the v3 notifycancel, like at Ingo).

import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import type { RouteFamily } from '../http/errors.js';
import { registerCancelV3 } from './cancel-v3.js';
import { registerCheckActions } from './check-actions.js';
import { gatewayError, INGO_STATUS } from './envelope.js';
import { registerNotifyV3 } from './notify-v3.js';
import { registerNotifyV4 } from './notify-v4.js';
import { openApiDocument } from './openapi.js';

/**
 * How the gateway fails where no route of it decided the answer: in the v3 envelope with status 600, so
 * a client always finds `status` and `client_message`, even for a body over the limit.
 */
export const GATEWAY_ROUTES: RouteFamily = {
  pathPrefix: '/gateway/',
  failure: (httpStatus, message) =>
    gatewayError(httpStatus, INGO_STATUS.fieldValidation, message, {}, performance.now()),
};

export function registerGatewayRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(openApiDocument()));
  registerNotifyV3(app, ctx);
  registerNotifyV4(app, ctx);
  registerCancelV3(app, ctx);
  registerCheckActions(app, ctx);
}
