// The Ingo surface of the sandbox. v3 (Classic) is here; v4 Managed Parties (`POST /gateway/v4/notify`)
// plugs in beside it as `registerNotifyV4(app, ctx)`: parties are already stored per notification
// (table `parties`), webhooks already carry `party_id`, and the state machine takes the acting party's
// role, so the v4 route only has to validate with the SDK's managedStageRequestSchema and stage (and
// take its path out of GATEWAY_ROUTES.unavailable).

import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import type { RouteFamily } from '../http/errors.js';
import { registerCancelV3 } from './cancel-v3.js';
import { registerCheckActions } from './check-actions.js';
import { gatewayError, INGO_STATUS } from './envelope.js';
import { registerNotifyV3 } from './notify-v3.js';
import { openApiDocument } from './openapi.js';

const MANAGED_STAGE_V4_PATH = '/gateway/v4/notify';

/**
 * How the gateway fails where no route of it decided the answer: in the v3 envelope with status 600, so
 * a client always finds `status` and `client_message`, even for a body over the limit.
 */
export const GATEWAY_ROUTES: RouteFamily = {
  pathPrefix: '/gateway/',
  failure: (httpStatus, message) =>
    gatewayError(httpStatus, INGO_STATUS.fieldValidation, message, {}, performance.now()),
  unavailable: new Map([
    [MANAGED_STAGE_V4_PATH, 'Managed Parties (POST /gateway/v4/notify) is not available in this sandbox version'],
  ]),
};

export function registerGatewayRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  app.get('/openapi.json', async (_request, reply) => reply.type('application/json').send(openApiDocument()));
  registerNotifyV3(app, ctx);
  registerCancelV3(app, ctx);
  registerCheckActions(app, ctx);
}
