import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../db/schema.js';
import { type LiveStreamSettings, registerLiveStream } from './live-stream.js';
import { overview } from './overview.js';
import type { DashboardAuth } from './session-auth.js';
import { registerStaticAssets } from './static-assets.js';

// The operations dashboard's server side: the page and its assets at `/`, sign-in/out under
// `/dashboard/session`, and the two reads the page needs beyond the public API (the overview and the
// live stream). Everything else the page does goes through `/api/v1` with the session cookie.

export function registerDashboard(
  app: FastifyInstance,
  deps: { db: Kysely<DatabaseSchema>; auth: DashboardAuth; stream?: LiveStreamSettings; assetsDir?: string },
): void {
  const { db, auth } = deps;
  registerStaticAssets(app, deps.assetsDir);
  auth.registerRoutes(app);
  app.get('/dashboard/overview', async (request) => {
    auth.requireSession(request);
    return overview(db);
  });
  registerLiveStream(app, { db, auth, ...(deps.stream ? { settings: deps.stream } : {}) });
}
