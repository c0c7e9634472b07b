import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  disbursementDetailResponse,
  disbursementPage,
  disbursementResponse,
  eventPage,
  statsResponse,
} from '../src/http/response-schemas.js';
import { failInsertsInto } from './support/failure-injection.js';
import { json } from './support/json-body.js';
import { scrapeMetrics } from './support/metrics-scrape.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { rowCounts } from './support/row-counts.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

const postgres = await requirePostgresUnlessLocal();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function apiSuite(name: string, database: TestDatabaseFactory) {
  describe(`HTTP API on ${name}`, () => {
    let server: TestServer;
    // Seeded: five disbursements moved to known statuses through real webhooks.
    const seeded: { id: string; puid1: string; status: string; amount: string; name: string; createdAfter: number }[] =
      [];

    async function create(body: unknown, headers: Record<string, string> = {}) {
      return server.api('/api/v1/disbursements', { method: 'POST', json: body, headers });
    }

    async function moveTo(puid1: string, notificationId: string, topics: string[], timestamp?: number) {
      for (const topic of topics) {
        const response = await deliverWebhook(
          server.url,
          webhookPayload({ topic, puid1, notificationId, ...(timestamp ? { timestamp } : {}) }),
          server.webhookSecret,
        );
        expect(response.status).toBe(200);
      }
    }

    beforeAll(async () => {
      server = await startOfflineServer(database);
      const plan = [
        { amount: '10.00', name: 'Zoë Ångström', topics: [] as string[] },
        { amount: '20.50', name: 'Bob Smith', topics: ['transaction.recipient.notification.status.sent'] },
        {
          amount: '30.00',
          name: 'Carol Jones',
          topics: ['transaction.recipient.notification.status.sent', 'transaction.account.tokenization.success'],
        },
        { amount: '40.00', name: 'Dan Smith', topics: ['transaction.recipient.payment.status.success'] },
        { amount: '50.00', name: 'Eve Adams', topics: ['transaction.recipient.payment.status.success'] },
      ];
      for (const [i, p] of plan.entries()) {
        const createdAfter = Date.now();
        await sleep(3);
        const [first, ...last] = p.name.split(' ');
        const body = {
          ...stageBody({ amount: p.amount }),
          recipient: { ...stageBody().recipient, first_name: first, last_name: last.join(' ') },
        };
        const d = await json(create(body));
        // Funded 100 s (first) and 300 s (second) after creation, by the events' own clock.
        const fundedTs =
          i === 3 ? Math.floor(Date.now() / 1000) + 100 : i === 4 ? Math.floor(Date.now() / 1000) + 300 : undefined;
        await moveTo(d.participant_unique_id1, `90${i}`, p.topics, fundedTs);
        const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
        seeded.push({
          id: d.id,
          puid1: d.participant_unique_id1,
          status: detail.status,
          amount: p.amount,
          name: p.name,
          createdAfter,
        });
        await sleep(3);
      }
      expect(seeded.map((s) => s.status)).toEqual(['pending', 'notified', 'claimed', 'funded', 'funded']);
    });
    afterAll(async () => {
      await server?.close();
    });

    describe('authentication', () => {
      const calls: [string, string][] = [
        ['POST', '/api/v1/disbursements'],
        ['GET', '/api/v1/disbursements'],
        ['GET', '/api/v1/disbursements/dsb_0000000000000000000000000000'],
        ['POST', '/api/v1/disbursements/dsb_0000000000000000000000000000/cancel'],
        ['GET', '/api/v1/events'],
        ['GET', '/api/v1/stats'],
      ];
      for (const [method, path] of calls) {
        it(`${method} ${path}: 401 without, with a wrong, or with a non-bearer token`, async () => {
          const before = await rowCounts(server.server.database);
          for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${server.apiToken}`]) {
            const response = await fetch(`${server.url}${path}`, {
              method,
              headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
              ...(method === 'POST' ? { body: JSON.stringify(stageBody()) } : {}),
            });
            expect(response.status).toBe(401);
            expect((await json(response)).error.code).toBe('unauthorized');
          }
          expect(await rowCounts(server.server.database)).toEqual(before);
        });
      }

      it('serves the OpenAPI document without a token, generated from the schemas', async () => {
        const response = await fetch(`${server.url}/api/v1/openapi.json`);
        expect(response.status).toBe(200);
        const doc = await json(response);
        expect(doc.openapi).toBe('3.1.0');
        expect(Object.keys(doc.paths)).toEqual(
          expect.arrayContaining([
            '/api/v1/disbursements',
            '/api/v1/disbursements/{id}',
            '/api/v1/events',
            '/api/v1/stats',
            '/webhooks/ingo',
          ]),
        );
        const stage = doc.components.schemas.StageRequest;
        expect(stage.required).toEqual(expect.arrayContaining(['amount', 'recipient']));
        expect(stage.required).not.toContain('participant_id');
        expect(stage.properties.language.enum).toContain('en-US');
        expect(doc.components.schemas.Disbursement.properties.status.enum).toContain('funded');
        const params = doc.paths['/api/v1/disbursements'].get.parameters.map((p: { name: string }) => p.name);
        expect(params).toEqual(expect.arrayContaining(['status', 'q', 'cursor', 'amount_min', 'created_from']));
        expect(JSON.stringify(doc)).not.toContain('#/$defs/');
      });
    });

    describe('POST /api/v1/disbursements: bad input → specific 4xx, nothing stored', () => {
      const cases: [string, () => Promise<Response>, number, string][] = [
        [
          'text/plain body',
          () =>
            server.api('/api/v1/disbursements', {
              method: 'POST',
              body: 'amount=1',
              headers: { 'content-type': 'text/plain' },
            }),
          415,
          'unsupported_media_type',
        ],
        [
          'malformed JSON',
          () =>
            server.api('/api/v1/disbursements', {
              method: 'POST',
              body: '{"amount":',
              headers: { 'content-type': 'application/json' },
            }),
          400,
          'malformed_json',
        ],
        [
          'empty JSON body',
          () =>
            server.api('/api/v1/disbursements', {
              method: 'POST',
              body: '',
              headers: { 'content-type': 'application/json' },
            }),
          400,
          'malformed_json',
        ],
        ['an array', () => create([stageBody()]), 422, 'validation_failed'],
        ['a string', () => create('hello'), 422, 'validation_failed'],
        ['missing amount', () => create({ ...stageBody(), amount: undefined }), 422, 'validation_failed'],
        ['zero amount', () => create(stageBody({ amount: '0.00' })), 422, 'validation_failed'],
        ['three decimals', () => create(stageBody({ amount: '1.005' })), 422, 'validation_failed'],
        [
          'both name forms',
          () => create({ ...stageBody(), recipient: { ...stageBody().recipient, business_name: 'Acme' } }),
          422,
          'validation_failed',
        ],
        ['bad email', () => create(stageBody({ email: 'not-an-email' })), 422, 'validation_failed'],
        [
          'no authentication records',
          () => create({ ...stageBody(), authentication_records: [] }),
          422,
          'validation_failed',
        ],
        ['another participant', () => create({ ...stageBody(), participant_id: 999 }), 422, 'unknown_participant'],
        [
          'Idempotency-Key ≠ participant_unique_id1',
          () => create(stageBody({ puid1: 'a' }), { 'idempotency-key': 'b' }),
          422,
          'idempotency_key_mismatch',
        ],
        [
          'Idempotency-Key too long',
          () => create(stageBody(), { 'idempotency-key': 'k'.repeat(101) }),
          400,
          'invalid_idempotency_key',
        ],
        [
          'a body over 256 KiB',
          () =>
            create({
              ...stageBody(),
              notification_records: [{ field_label: 'x', client_provided_value: 'y'.repeat(300_000) }],
            }),
          413,
          'payload_too_large',
        ],
      ];
      for (const [label, call, status, code] of cases) {
        it(label, async () => {
          const before = await rowCounts(server.server.database);
          const response = await call();
          expect(response.status).toBe(status);
          const body = await json(response);
          expect(body.error.code).toBe(code);
          expect(typeof body.error.message).toBe('string');
          expect(await rowCounts(server.server.database)).toEqual(before);
        });
      }

      it('validation errors name the field and never echo the values', async () => {
        const response = await create({
          ...stageBody({ secretAnswer: 'SECRET-ANSWER-123' }),
          amount: '-5',
          language: 'xx-XX',
        });
        const body = await json(response);
        expect(response.status).toBe(422);
        const paths = body.error.details.issues.map((i: { path: string }) => i.path);
        expect(paths).toEqual(expect.arrayContaining(['amount', 'language']));
        expect(JSON.stringify(body)).not.toContain('SECRET-ANSWER-123');
        expect(JSON.stringify(body)).not.toContain('xx-XX');
      });
    });

    describe('POST /api/v1/disbursements: the answer', () => {
      it('is the documented Disbursement: configured participant_id, generated ids, exact amount, timestamps', async () => {
        const response = await create(stageBody({ amount: '0.29' }));
        expect(response.status).toBe(202);
        const d = await json(response);
        expect(Object.keys(d).sort()).toEqual(Object.keys(disbursementResponse.shape).sort());
        disbursementResponse.parse(d);
        expect(d).toMatchObject({
          status: 'pending',
          participant_id: server.server.config.ingo.participantId,
          amount: '0.29',
          amount_cents: 29,
          notification_id: null,
        });
        expect(d.id).toMatch(/^dsb_[0-9a-f]{28}$/);
        expect(d.participant_unique_id1).toMatch(/^nk-[0-9a-f-]{36}$/);
        expect(d.tracer_id).toMatch(/^trc-[0-9a-f-]{36}$/);
        expect(Date.parse(d.created_at)).toBe(Date.parse(d.updated_at));
        // Caller-given ids are kept as given.
        const given = await json(
          create({ ...stageBody(), participant_unique_id1: `given-${Date.now()}`, tracer_id: 'given-tracer' }),
        );
        expect(given.participant_unique_id1).toMatch(/^given-/);
        expect(given.tracer_id).toBe('given-tracer');
      });

      it('list, detail, events and stats answers match their documented schemas', async () => {
        disbursementPage.parse(await json(server.api('/api/v1/disbursements')));
        const detail = await json(server.api(`/api/v1/disbursements/${seeded[2]!.id}`));
        expect(Object.keys(detail).sort()).toEqual(Object.keys(disbursementDetailResponse.shape).sort());
        disbursementDetailResponse.parse(detail);
        eventPage.parse(await json(server.api('/api/v1/events')));
        statsResponse.parse(await json(server.api('/api/v1/stats')));
      });

      it('pending disbursement, stage request, timeline and outbox row commit together or not at all', async () => {
        // Failure injection: the outbox insert (the last write of the transaction) fails.
        const removeFailure = await failInsertsInto(server.server.database, 'outbox');
        try {
          const before = await rowCounts(server.server.database);
          const response = await create(stageBody());
          expect(response.status).toBe(500);
          expect((await json(response)).error.code).toBe('internal_error');
          expect(await rowCounts(server.server.database)).toEqual(before);
        } finally {
          await removeFailure();
        }
      });
    });

    describe('idempotency', () => {
      it('concurrent calls with one Idempotency-Key create one disbursement', async () => {
        const key = `race-${Date.now()}`;
        const body = stageBody();
        const before = await rowCounts(server.server.database);
        const answers = await Promise.all(
          Array.from({ length: 6 }, () => create(body, { 'idempotency-key': key }).then(json)),
        );
        expect(new Set(answers.map((a) => a.id)).size).toBe(1);
        expect(answers[0].participant_unique_id1).toBe(key);
        const after = await rowCounts(server.server.database);
        expect(after.disbursements).toBe(before.disbursements + 1);
        expect(after.outbox).toBe(before.outbox + 1);
      });

      it('the same Idempotency-Key returns the same disbursement; different data under it is a 409', async () => {
        const key = `idem-${Date.now()}`;
        const body = stageBody();
        const first = await create(body, { 'idempotency-key': key });
        expect(first.status).toBe(202);
        const d = await json(first);
        expect(d.participant_unique_id1).toBe(key);
        const before = await rowCounts(server.server.database);
        const again = await create(body, { 'idempotency-key': key });
        expect(again.status).toBe(200);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect((await json(again)).id).toBe(d.id);
        // participant_unique_id1 in the body is the same key.
        const viaBody = await create({ ...body, participant_unique_id1: key });
        expect((await json(viaBody)).id).toBe(d.id);
        const conflict = await create({ ...body, amount: '999.00' }, { 'idempotency-key': key });
        expect(conflict.status).toBe(409);
        expect((await json(conflict)).error).toMatchObject({
          code: 'idempotency_key_reused',
          details: { disbursement_id: d.id },
        });
        expect(await rowCounts(server.server.database)).toEqual(before);
      });
    });

    describe('GET /api/v1/disbursements', () => {
      const ids = (page: { data: { id: string }[] }) => page.data.map((d) => d.id);

      it('lists newest first and pages with a cursor, each row exactly once', async () => {
        const all = await json(server.api('/api/v1/disbursements?limit=200'));
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { data: { id: string }[]; next_cursor: string | null } = await json(
            server.api(`/api/v1/disbursements?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
          );
          expect(page.data.length).toBeLessThanOrEqual(2);
          seen.push(...ids(page));
          cursor = page.next_cursor;
        } while (cursor);
        expect(seen).toEqual(ids(all));
        const created = all.data.map((d: { created_at: string }) => d.created_at);
        expect([...created].sort().reverse()).toEqual(created);
      });

      it('filters by status (one or several), amount range and created range', async () => {
        const funded = await json(server.api('/api/v1/disbursements?status=funded'));
        expect(ids(funded).sort()).toEqual(
          seeded
            .filter((s) => s.status === 'funded')
            .map((s) => s.id)
            .sort(),
        );
        const two = await json(server.api('/api/v1/disbursements?status=claimed,notified'));
        expect(ids(two).sort()).toEqual(
          seeded
            .filter((s) => ['claimed', 'notified'].includes(s.status))
            .map((s) => s.id)
            .sort(),
        );
        const amounts = await json(server.api('/api/v1/disbursements?amount_min=20.50&amount_max=40'));
        expect(ids(amounts).sort()).toEqual([seeded[1]!.id, seeded[2]!.id, seeded[3]!.id].sort());
        const from = new Date(seeded[2]!.createdAfter).toISOString();
        const to = new Date(seeded[4]!.createdAfter).toISOString();
        const range = await json(server.api(`/api/v1/disbursements?created_from=${from}&created_to=${to}`));
        expect(ids(range).sort()).toEqual([seeded[2]!.id, seeded[3]!.id].sort());
        const updated = await json(
          server.api(`/api/v1/disbursements?updated_from=${new Date(Date.now() + 60_000).toISOString()}`),
        );
        expect(updated.data).toEqual([]);
      });

      it('searches ids exactly and recipient names by part, ignoring case and accents', async () => {
        expect(ids(await json(server.api(`/api/v1/disbursements?q=${seeded[0]!.puid1}`)))).toEqual([seeded[0]!.id]);
        expect(ids(await json(server.api(`/api/v1/disbursements?q=${seeded[3]!.id}`)))).toEqual([seeded[3]!.id]);
        expect(ids(await json(server.api('/api/v1/disbursements?q=90' + '1')))).toEqual([seeded[1]!.id]);
        expect(ids(await json(server.api('/api/v1/disbursements?q=angstrom')))).toEqual([seeded[0]!.id]);
        const smiths = await json(server.api('/api/v1/disbursements?q=SMITH&status=funded'));
        expect(ids(smiths)).toEqual([seeded[3]!.id]);
        // LIKE wildcards are literal.
        expect((await json(server.api('/api/v1/disbursements?q=%25'))).data).toEqual([]);
      });

      it('filters by updated range (from inclusive, to exclusive) and by tracer_id / participant_unique_id2', async () => {
        const all = (await json(server.api('/api/v1/disbursements?limit=200'))).data as {
          id: string;
          updated_at: string;
          tracer_id: string;
        }[];
        const target = all.find((d) => d.id === seeded[2]!.id)!;
        const at = Date.parse(target.updated_at);
        const from = new Date(at).toISOString();
        const to = new Date(at + 1).toISOString();
        const exact = await json(server.api(`/api/v1/disbursements?updated_from=${from}&updated_to=${to}&limit=200`));
        const expected = all.filter((d) => Date.parse(d.updated_at) === at).map((d) => d.id);
        expect(ids(exact).sort()).toEqual(expected.sort());
        expect(ids(exact)).toContain(target.id);
        const before = await json(server.api(`/api/v1/disbursements?updated_to=${from}&limit=200`));
        expect(ids(before).sort()).toEqual(
          all
            .filter((d) => Date.parse(d.updated_at) < at)
            .map((d) => d.id)
            .sort(),
        );
        expect(ids(await json(server.api(`/api/v1/disbursements?q=${target.tracer_id}`)))).toEqual([target.id]);
        const puid2 = `p2-${Date.now()}`;
        const withPuid2 = await json(create({ ...stageBody(), participant_unique_id2: puid2 }));
        expect(ids(await json(server.api(`/api/v1/disbursements?q=${puid2}`)))).toEqual([withPuid2.id]);
      });

      it('pages a filtered list with the cursor', async () => {
        const first = await json(server.api('/api/v1/disbursements?status=funded&limit=1'));
        expect(first.next_cursor).not.toBeNull();
        const second = await json(
          server.api(`/api/v1/disbursements?status=funded&limit=1&cursor=${first.next_cursor}`),
        );
        expect(second.next_cursor).toBeNull();
        expect([...ids(first), ...ids(second)].sort()).toEqual([seeded[3]!.id, seeded[4]!.id].sort());
      });

      const bad: [string, string][] = [
        ['unknown parameter', 'stauts=funded'],
        ['unknown status', 'status=paid'],
        ['malformed date', 'created_from=yesterday'],
        ['impossible date', 'created_from=2025-13-45'],
        ['malformed amount', 'amount_min=ten'],
        ['amount_min > amount_max', 'amount_min=50&amount_max=10'],
        ['limit 0', 'limit=0'],
        ['limit 500', 'limit=500'],
        ['forged cursor', 'cursor=bm90LWEtY3Vyc29y'],
        ['empty q', 'q='],
      ];
      for (const [label, query] of bad) {
        it(`400 on ${label}`, async () => {
          const response = await server.api(`/api/v1/disbursements?${query}`);
          expect(response.status).toBe(400);
          expect((await json(response)).error.code).toMatch(/^invalid_(query|cursor)$/);
        });
      }
    });

    describe('GET /api/v1/disbursements/{id}', () => {
      it('returns the disbursement, decrypted recipient, redacted answers and the timeline', async () => {
        const detail = await json(server.api(`/api/v1/disbursements/${seeded[2]!.id}`));
        expect(detail.status).toBe('claimed');
        expect(detail.recipient.email).toMatch(/@example\.com$/);
        expect(detail.request.authentication_records[0].client_provided_value).toBe('[REDACTED]');
        expect(detail.timeline.map((t: { kind: string }) => t.kind)).toEqual([
          'created',
          'stage_retry',
          'event',
          'event',
        ]);
        expect(detail.timeline.at(-1)).toMatchObject({ status_before: 'notified', status_after: 'claimed' });
        // What the lifecycle state means, not the reducer's internals (disbursement-detail.test.ts has more).
        expect(detail).toMatchObject({
          kind: 'classic',
          currency: 'USD',
          on_hold: false,
          hold: { active: false, reasons: [] },
          authentication: { passed: true },
          cancel: { allowed: false, requested_at: null, outcome: null },
          approvals: null,
          parties: [],
        });
        expect(detail.cancel.reason).toContain('claimed');
        expect(detail.attention.map((a: { code: string }) => a.code)).toEqual(['stage_retrying']);
        expect(JSON.stringify(detail)).not.toMatch(/side_facts|evidence|accountStamp|appliedEventIds|onHold/);
      });

      it('400 on a malformed id, 404 on an unknown one, 400 on query parameters', async () => {
        const malformed = await server.api('/api/v1/disbursements/not-an-id');
        expect(malformed.status).toBe(400);
        expect((await json(malformed)).error.code).toBe('invalid_id');
        const unknown = await server.api('/api/v1/disbursements/dsb_0000000000000000000000000000');
        expect(unknown.status).toBe(404);
        expect((await json(unknown)).error.code).toBe('not_found');
        const query = await server.api(`/api/v1/disbursements/${seeded[0]!.id}?expand=all`);
        expect(query.status).toBe(400);
      });
    });

    describe('POST /api/v1/disbursements/{id}/cancel', () => {
      it('409 naming the status once claimed or terminal, or while still pending; nothing changes', async () => {
        for (const [index, status] of [
          [2, 'claimed'],
          [3, 'funded'],
          [0, 'pending'],
        ] as const) {
          const before = await rowCounts(server.server.database);
          const response = await server.api(`/api/v1/disbursements/${seeded[index]!.id}/cancel`, { method: 'POST' });
          expect(response.status).toBe(409);
          const body = await json(response);
          expect(body.error.code).toBe('cancel_refused');
          expect(body.error.message).toContain(status);
          expect(body.error.details.status).toBe(status);
          expect(await rowCounts(server.server.database)).toEqual(before);
        }
      });

      it('Ingo unreachable: 502 ingo_unavailable, the attempt is recorded, the status does not change', async () => {
        const before = await json(server.api(`/api/v1/disbursements/${seeded[1]!.id}`));
        expect(before.status).toBe('notified');
        const response = await server.api(`/api/v1/disbursements/${seeded[1]!.id}/cancel`, { method: 'POST' });
        expect(response.status).toBe(502);
        expect((await json(response)).error.code).toBe('ingo_unavailable');
        const after = await json(server.api(`/api/v1/disbursements/${seeded[1]!.id}`));
        expect(after.status).toBe('notified');
        expect(after.timeline.at(-1)).toMatchObject({
          kind: 'cancel_failed',
          status_before: 'notified',
          status_after: 'notified',
        });
      });

      it('400 on a malformed id, 404 on an unknown one, 422 on a body with fields', async () => {
        expect((await server.api('/api/v1/disbursements/x/cancel', { method: 'POST' })).status).toBe(400);
        expect(
          (await server.api('/api/v1/disbursements/dsb_0000000000000000000000000000/cancel', { method: 'POST' }))
            .status,
        ).toBe(404);
        const withBody = await server.api(`/api/v1/disbursements/${seeded[1]!.id}/cancel`, {
          method: 'POST',
          json: { reason: 'x' },
        });
        expect(withBody.status).toBe(422);
      });
    });

    describe('GET /api/v1/events', () => {
      it('lists events newest first with filters and a cursor', async () => {
        const all = await json(server.api('/api/v1/events?limit=200'));
        expect(all.data.length).toBeGreaterThanOrEqual(5);
        const seqs = all.data.map((e: { seq: number }) => e.seq);
        expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);
        const first = await json(server.api('/api/v1/events?limit=2'));
        const second = await json(server.api(`/api/v1/events?limit=2&cursor=${first.next_cursor}`));
        expect([...first.data, ...second.data].map((e: { seq: number }) => e.seq)).toEqual(seqs.slice(0, 4));
        const forOne = await json(server.api(`/api/v1/events?disbursement_id=${seeded[2]!.id}`));
        expect(forOne.data.map((e: { topic: string }) => e.topic).sort()).toEqual([
          'transaction.account.tokenization.success',
          'transaction.recipient.notification.status.sent',
        ]);
        const byTopic = await json(
          server.api('/api/v1/events?topic=transaction.recipient.payment.status.success&orphan=false'),
        );
        expect(byTopic.data).toHaveLength(2);
        expect((await json(server.api('/api/v1/events?notification_id=903'))).data).toHaveLength(1);
      });

      for (const query of ['orphan=maybe', 'limit=abc', 'cursor=!!', 'unknown=1']) {
        it(`400 on ${query}`, async () => {
          const response = await server.api(`/api/v1/events?${query}`);
          expect(response.status).toBe(400);
        });
      }
    });

    describe('GET /api/v1/stats', () => {
      it('counts and amounts per status, the funnel and the median time to fund', async () => {
        const stats = await json(server.api('/api/v1/stats'));
        expect(stats.by_status.funded).toEqual({ count: 2, amount: '90.00', amount_cents: 9000 });
        expect(stats.by_status.claimed).toMatchObject({ count: 1, amount: '30.00' });
        expect(stats.total.count).toBe(
          Object.values(stats.by_status).reduce((n: number, s) => n + (s as { count: number }).count, 0),
        );
        const funnel = Object.fromEntries(
          stats.funnel.map((f: { step: string; reached: number }) => [f.step, f.reached]),
        );
        // A later step implies the earlier ones: claimed and funded disbursements count as notified and viewed.
        expect(funnel).toMatchObject({
          staged: 4,
          notified: 4,
          viewed: 3,
          authenticated: 3,
          claimed: 3,
          approved: 2,
          funded: 2,
        });
        // Funded 100 s and 300 s after creation (by the events' clock): the median lies between.
        expect(stats.median_time_to_fund_ms).toBeGreaterThan(150_000);
        expect(stats.median_time_to_fund_ms).toBeLessThan(250_000);
        expect(stats.outbox_depth).toBeGreaterThanOrEqual(1);
      });

      it('400 on any query parameter', async () => {
        expect((await server.api('/api/v1/stats?from=2025-01-01')).status).toBe(400);
      });
    });

    describe('operations endpoints', () => {
      it('/healthz, /readyz, /metrics, / and JSON 404s', async () => {
        expect(await json(fetch(`${server.url}/healthz`))).toEqual({ status: 'ok' });
        const ready = await fetch(`${server.url}/readyz`);
        expect(ready.status).toBe(200);
        expect((await json(ready)).status).toBe('ready');
        const metrics = await scrapeMetrics(server.url);
        for (const name of [
          'notifykit_webhooks_received_total',
          'notifykit_webhooks_duplicate_total',
          'notifykit_webhooks_rejected_total',
          'notifykit_stage_calls_total',
          'notifykit_outbox_depth',
          'notifykit_lifecycle_transitions_total',
          'notifykit_http_request_duration_seconds_bucket',
        ]) {
          expect(metrics).toContain(name);
        }
        expect(metrics).toMatch(/notifykit_stage_calls_total\{outcome="retry"\} \d+/);
        expect(metrics).toMatch(/notifykit_lifecycle_transitions_total\{from="pending",to="notified"\} \d+/);
        const home = await fetch(`${server.url}/`);
        expect(home.headers.get('content-type')).toContain('text/html');
        expect(await home.text()).toContain('/api/v1/openapi.json');
        const missing = await fetch(`${server.url}/nope`);
        expect(missing.status).toBe(404);
        expect((await json(missing)).error.code).toBe('not_found');
      });
    });
  });
}

const dir = tempDir('api');
afterAll(() => dir.remove());
describeOnEachDatabase(postgres, { dir: dir.path, file: 'api.db' }, 'api', apiSuite);
