import { afterEach, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// The headers a browser and a shared cache act on: no MIME sniffing anywhere, the HTML page never framed
// and limited to its own resources, API answers (decrypted recipient data) never stored by a cache;
// /metrics behind a bearer token only when one is configured.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => {});
  server = undefined;
});

const start = (env: NodeJS.ProcessEnv = {}) =>
  startTestServer({
    databaseUrl: 'sqlite::memory:',
    env,
    serverOptions: { fetch: unreachableIngo, outboxWorker: false },
  });

describe('security headers', () => {
  it('nosniff on every answer; CSP and X-Frame-Options DENY on HTML; no-store on /api/v1 only', async () => {
    server = await start();
    const created = await server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() });
    const id = (await json(created)).id;
    const answers = {
      html: await fetch(`${server.url}/`),
      healthz: await fetch(`${server.url}/healthz`),
      metrics: await fetch(`${server.url}/metrics`),
      notFound: await fetch(`${server.url}/nowhere`),
      created,
      detail: await server.api(`/api/v1/disbursements/${id}`),
      list: await server.api('/api/v1/disbursements'),
      unauthorized: await fetch(`${server.url}/api/v1/disbursements`),
      badQuery: await server.api('/api/v1/disbursements?limit=abc'),
      webhook: await fetch(`${server.url}/webhooks/ingo`, { method: 'POST', body: '{}' }),
    };
    for (const [name, response] of Object.entries(answers)) {
      expect(response.headers.get('x-content-type-options'), name).toBe('nosniff');
    }
    expect(answers.html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(answers.html.headers.get('x-frame-options')).toBe('DENY');
    const csp = answers.html.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(answers.healthz.headers.get('content-security-policy')).toBeNull();
    for (const name of ['created', 'detail', 'list', 'unauthorized', 'badQuery'] as const) {
      expect(answers[name].headers.get('cache-control'), name).toBe('no-store');
    }
    expect(answers.healthz.headers.get('cache-control')).toBeNull();
  });
});

describe('NOTIFYKIT_METRICS_TOKEN', () => {
  it('is off by default: /metrics answers without a token', async () => {
    server = await start();
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });

  it('when set, /metrics needs "Authorization: Bearer <token>" (401 otherwise); the API token is not it', async () => {
    const token = 'metrics-token-0123456789abcdef';
    server = await start({ NOTIFYKIT_METRICS_TOKEN: token });
    const none = await fetch(`${server.url}/metrics`);
    expect(none.status).toBe(401);
    expect((await json(none)).error.code).toBe('unauthorized');
    expect(
      (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${server.apiToken}` } })).status,
    ).toBe(401);
    const ok = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('notifykit_outbox_depth');
    // Health and readiness stay open: orchestrators probe them without credentials.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });
});
