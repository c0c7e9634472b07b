// The Ingo surface of the sandbox. v3 (Classic) is here; v4 Managed Parties (`POST /gateway/v4/notify`)
// plugs in beside it as `registerNotifyV4(app, ctx)`: parties are already stored per notification
// (table `parties`), webhooks already carry `party_id`, and the state machine takes the acting party's
// role, so the v4 route only has to validate with the SDK's managedStageRequestSchema and stage.

import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import { registerCancelV3 } from './cancel-v3.js';
import { registerNotifyV3 } from './notify-v3.js';

export const MANAGED_STAGE_V4_PATH = '/gateway/v4/notify';

export function registerGatewayRoutes(app: FastifyInstance, ctx: SandboxContext): void {
  registerNotifyV3(app, ctx);
  registerCancelV3(app, ctx);
}
