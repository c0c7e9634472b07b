import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

// The built single-page app (packages/server/web → dist/public by `npm run build`), served from memory:
// a handful of files read once at start. Hashed asset names never change content, so they are cached
// for a year; index.html is never cached, so a new build is picked up on the next load.

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** dist/public beside the compiled code, or (tests run from src/) the package's built copy. */
export function builtDashboardDir(): string | undefined {
  const candidates = [new URL('../public/', import.meta.url), new URL('../../dist/public/', import.meta.url)];
  return candidates.map((u) => fileURLToPath(u)).find((dir) => existsSync(join(dir, 'index.html')));
}

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>notifykit</title></head>
<body><h1>notifykit server</h1><p>The dashboard is not built. Run <code>npm run build</code> at the repository root,
then restart the server. The API is at <a href="/api/v1/openapi.json">/api/v1</a>.</p></body></html>`;

/** Routes that serve the page itself (`GET /`, `GET /assets/*`): not part of the documented API. */
export const DASHBOARD_PAGE_ROUTES = ['GET /', 'GET /assets/{file}'] as const;

export function registerStaticAssets(app: FastifyInstance, dir = builtDashboardDir()): void {
  const assets = new Map<string, Buffer>();
  if (dir !== undefined && existsSync(join(dir, 'assets'))) {
    for (const name of readdirSync(join(dir, 'assets'))) assets.set(name, readFileSync(join(dir, 'assets', name)));
  }
  const index = dir === undefined ? undefined : readFileSync(join(dir, 'index.html'));

  app.get('/', async (_request, reply) => {
    void reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    return index === undefined ? reply.status(503).send(NOT_BUILT) : reply.send(index);
  });
  app.get<{ Params: { file: string } }>('/assets/:file', async (request, reply) => {
    const body = assets.get(request.params.file);
    if (body === undefined) {
      return reply.status(404).send({ error: { code: 'not_found', message: 'no such dashboard asset' } });
    }
    return reply
      .type(CONTENT_TYPES[extname(request.params.file)] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(body);
  });
}
