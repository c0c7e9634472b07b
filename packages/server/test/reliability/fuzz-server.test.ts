import { signWebhook } from '@notifykit/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePostgresUnlessLocal } from '../support/postgres.js';
import { rowCounts } from '../support/row-counts.js';
import { unreachableIngo } from '../support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from '../support/test-databases.js';
import { startTestServer, type TestServer, tempDir } from '../support/test-server.js';
import { webhookPayload } from '../support/webhook-delivery.js';
import { reportFigures } from './support/figures.js';
import {
  anyJson,
  contentTypes,
  countingLog,
  expectSpecificAnswer,
  FUZZ_RUNS,
  fuzzOptions,
  percentEncode,
  queryStrings,
  stageBodies,
  text,
} from './support/fuzz-inputs.js';

// Fuzzing the server at LOG_LEVEL=trace (every log statement runs, so "the same at trace" is this run):
// generated bodies, headers, query strings, signatures and NULs against /webhooks/ingo and /api/v1/*,
// FUZZ_RUNS seeded cases per endpoint, on SQLite and PostgreSQL. No 5xx, every refusal a specific 4xx
// JSON error, and a refused request writes no row. Requests go through Fastify's inject (the whole
// stack but the socket); fuzz-sockets.test.ts sends raw bytes to a real process.

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('reliability-fuzz');
afterAll(() => dir.remove());

interface Case {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  payload?: string;
}

function fuzzSuite(name: 'SQLite' | 'PostgreSQL', database: TestDatabaseFactory) {
  describe(`fuzzing the server on ${name} at LOG_LEVEL=trace`, () => {
    let server: TestServer;
    let cleanup: () => Promise<void>;
    const log = countingLog();
    const tally = { cases: 0, refused: 0, accepted: 0 };
    beforeAll(async () => {
      const db = await database();
      server = await startTestServer({
        databaseUrl: db.url,
        logLevel: 'trace',
        serverOptions: { fetch: unreachableIngo, outboxWorker: false, logDestination: log.stream },
      });
      cleanup = db.cleanup;
    });
    afterAll(async () => {
      reportFigures(`fuzz/server/${name}`, {
        sent: tally.cases,
        acknowledged: tally.accepted,
        applied: tally.accepted,
        lost: 0,
        appliedTwice: 0,
        convergeMs: 0,
        refused4xx: tally.refused,
        traceLogLines: log.state.lines,
      });
      await server?.close();
      await cleanup?.();
    });

    const auth = () => ({ authorization: `Bearer ${server.apiToken}` });
    async function run(c: Case) {
      const before = await rowCounts(server.server.database);
      const response = await server.server.app.inject({
        method: c.method,
        url: c.url,
        headers: c.headers ?? {},
        ...(c.payload === undefined ? {} : { payload: c.payload }),
      });
      tally.cases += 1;
      const refused = expectSpecificAnswer(response.statusCode, response.body, `${c.method} ${c.url}`);
      if (refused) {
        tally.refused += 1;
        expect(await rowCounts(server.server.database), `${c.method} ${c.url} refused but wrote`).toEqual(before);
      } else tally.accepted += 1;
    }

    it(`POST /webhooks/ingo: ${FUZZ_RUNS} bodies, content types and signatures`, async () => {
      const envelope = fc
        .tuple(
          fc.constantFrom('id', 'topic', 'notificationId', 'puid1', 'status'),
          text,
          fc.constantFrom(
            'transaction.recipient.notification.status.sent',
            'transaction.recipient.payment.status.success',
          ),
        )
        .map(([field, value, topic]) => webhookPayload({ topic, [field]: value }));
      const body = fc.oneof(
        envelope,
        anyJson.map((v) => JSON.stringify(v)),
        text,
      );
      const signature = fc.constantFrom('valid', 'other-secret', 'truncated', 'garbage', 'none', 'sha256-hex');
      await fc.assert(
        fc.asyncProperty(body, signature, contentTypes, async (raw, how, contentType) => {
          const headers: Record<string, string> = { 'content-type': contentType };
          if (how === 'valid') headers['x-ingo-signature'] = signWebhook(raw, server.webhookSecret);
          if (how === 'other-secret') headers['x-ingo-signature'] = signWebhook(raw, 'whsec-someone-else');
          if (how === 'truncated') headers['x-ingo-signature'] = signWebhook(raw, server.webhookSecret).slice(0, 20);
          if (how === 'garbage') headers['x-ingo-signature'] = raw.slice(0, 50).replace(/[^\x20-\x7e]/g, '');
          if (how === 'sha256-hex')
            headers['x-ingo-signature'] = signWebhook(raw, server.webhookSecret, {
              algorithm: 'sha256',
              encoding: 'hex',
            });
          await run({ method: 'POST', url: '/webhooks/ingo', headers, payload: raw });
        }),
        fuzzOptions(1),
      );
    });

    it(`POST /api/v1/disbursements: ${FUZZ_RUNS} bodies, content types, idempotency keys`, async () => {
      await fc.assert(
        fc.asyncProperty(
          stageBodies,
          fc.oneof(fc.constant('application/json'), contentTypes),
          fc.option(text),
          async (body, contentType, key) => {
            const headers: Record<string, string> = { ...auth(), 'content-type': contentType };
            if (key !== null) headers['idempotency-key'] = key.replace(/[^\x20-\x7e]/g, '');
            await run({ method: 'POST', url: '/api/v1/disbursements', headers, payload: JSON.stringify(body) ?? '' });
          },
        ),
        fuzzOptions(2),
      );
    });

    const listKeys = [
      'status',
      'created_from',
      'created_to',
      'updated_from',
      'updated_to',
      'amount_min',
      'amount_max',
      'q',
      'limit',
      'cursor',
    ];
    const eventKeys = ['topic', 'notification_id', 'disbursement_id', 'classification', 'limit', 'cursor', 'since'];
    const cursors = fc
      .oneof(fc.jsonValue(), fc.tuple(fc.integer(), text))
      .map((v) => Buffer.from(JSON.stringify(v) ?? '').toString('base64url'));
    for (const [path, keys, salt] of [
      ['/api/v1/disbursements', listKeys, 3],
      ['/api/v1/events', eventKeys, 4],
      ['/api/v1/stats', ['from', 'to', 'x'], 5],
    ] as const) {
      it(`GET ${path}: ${FUZZ_RUNS} query strings (NULs, cursors)`, async () => {
        await fc.assert(
          fc.asyncProperty(queryStrings([...keys]), fc.option(cursors), async (query, cursor) => {
            const q = cursor === null ? query : `${query}${query ? '&' : ''}cursor=${cursor}`;
            await run({ method: 'GET', url: `${path}?${q}`, headers: auth() });
          }),
          fuzzOptions(salt),
        );
      });
    }

    it(`GET and POST /api/v1/disbursements/{id}[/cancel|/check/*]: ${FUZZ_RUNS} ids and bodies`, async () => {
      await fc.assert(
        fc.asyncProperty(
          text,
          fc.constantFrom('', '/cancel', '/check/void', '/check/stop'),
          anyJson,
          async (id, action, body) => {
            await run({
              method: action === '' ? 'GET' : 'POST',
              url: `/api/v1/disbursements/${percentEncode(id)}${action}`,
              headers: { ...auth(), ...(action === '' ? {} : { 'content-type': 'application/json' }) },
              ...(action === '' ? {} : { payload: JSON.stringify(body) }),
            });
          },
        ),
        fuzzOptions(6),
      );
    });

    it(`/api/v1/* with ${FUZZ_RUNS} authorization headers: 401, never more`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            text,
            fc.constant(''),
            text.map((t) => `Bearer ${t}`),
          ),
          fc.constantFrom('/api/v1/disbursements', '/api/v1/events', '/api/v1/stats'),
          async (authorization, url) => {
            await run({ method: 'GET', url, headers: { authorization: authorization.replace(/[^\x20-\x7e]/g, '') } });
          },
        ),
        fuzzOptions(7),
      );
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'fuzz.db' }, 'rel_fuzz', fuzzSuite);
