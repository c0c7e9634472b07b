import { signWebhook } from '@notifykit/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowCounts } from './support/row-counts.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { startTestServer, type TestServer } from './support/test-server.js';

// Arbitrary bodies, generated: the answer is always a specific 4xx JSON error (never a 5xx), and a
// refused request stores nothing. Requests go through Fastify's inject (the full stack minus sockets).

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    databaseUrl: 'sqlite::memory:',
    serverOptions: { fetch: unreachableIngo, outboxWorker: false },
  });
});
afterAll(() => server?.close());

const base = stageBody();
// Well-formed bodies with one field replaced by anything, plus entirely arbitrary JSON.
const body = fc.oneof(
  fc.jsonValue(),
  fc
    .tuple(
      fc.constantFrom('amount', 'recipient', 'authentication_records', 'language', 'participant_id'),
      fc.jsonValue(),
    )
    .map(([key, value]) => ({ ...base, [key]: value })),
  fc.jsonValue().map((value) => ({ ...base, recipient: { ...base.recipient, email: value } })),
);

describe('bad input never reaches a 500 and stores nothing', () => {
  it('POST /api/v1/disbursements with generated bodies', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await rowCounts(server.server.database);
        const response = await server.server.app.inject({
          method: 'POST',
          url: '/api/v1/disbursements',
          headers: { authorization: `Bearer ${server.apiToken}`, 'content-type': 'application/json' },
          payload: JSON.stringify(payload),
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400) {
          expect(response.json().error.code).toMatch(/^[a-z_]+$/);
          expect(await rowCounts(server.server.database)).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('POST /webhooks/ingo with generated, correctly signed bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string(),
        ),
        async (raw) => {
          const before = await rowCounts(server.server.database);
          const response = await server.server.app.inject({
            method: 'POST',
            url: '/webhooks/ingo',
            headers: { 'content-type': 'application/json', 'x-ingo-signature': signWebhook(raw, server.webhookSecret) },
            payload: raw,
          });
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode >= 400) {
            expect(response.statusCode).toBe(400);
            expect(await rowCounts(server.server.database)).toEqual(before);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('GET /api/v1/disbursements with generated query strings', async () => {
    const keys = ['status', 'created_from', 'updated_to', 'amount_min', 'amount_max', 'q', 'limit', 'cursor', 'x'];
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...keys), fc.string()), async (query) => {
        const response = await server.server.app.inject({
          method: 'GET',
          url: '/api/v1/disbursements',
          query,
          headers: { authorization: `Bearer ${server.apiToken}` },
        });
        expect(response.statusCode === 200 || response.statusCode === 400).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
