import { describe, expect, it } from 'vitest';
import {
  disbursementDetailResponse,
  disbursementPage,
  disbursementResponse,
  eventPage,
  statsResponse,
} from '../src/http/response-schemas.js';
import { failInsertsInto } from './support/failure-injection.js';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { rowCounts } from './support/row-counts.js';
import { describeSeededApi } from './support/seeded-api.js';
import { stageBody } from './support/stage-body.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// Authentication, staging (bad input, the answer, idempotency) and cancel through the HTTP API.

const postgres = await requirePostgresUnlessLocal();

describeSeededApi(postgres, 'writes', (api) => {
  describe('authentication', () => {
    const calls: [string, string][] = [
      ['POST', '/api/v1/disbursements'],
      ['GET', '/api/v1/disbursements'],
      ['GET', '/api/v1/disbursements/dsb_0000000000000000000000000000'],
      ['POST', '/api/v1/disbursements/dsb_0000000000000000000000000000/cancel'],
      ['POST', '/api/v1/disbursements/dsb_0000000000000000000000000000/check/void'],
      ['POST', '/api/v1/disbursements/dsb_0000000000000000000000000000/check/stop'],
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/stats'],
    ];
    for (const [method, path] of calls) {
      it(`${method} ${path}: 401 without, with a wrong, or with a non-bearer token`, async () => {
        const before = await rowCounts(api.server.server.database);
        for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${api.server.apiToken}`]) {
          const response = await fetch(`${api.server.url}${path}`, {
            method,
            headers: { ...(authorization ? { authorization } : {}), 'content-type': 'application/json' },
            ...(method === 'POST' ? { body: JSON.stringify(stageBody()) } : {}),
          });
          expect(response.status).toBe(401);
          expect((await json(response)).error.code).toBe('unauthorized');
        }
        expect(await rowCounts(api.server.server.database)).toEqual(before);
      });
    }

    it('serves the OpenAPI document without a token, generated from the schemas', async () => {
      const response = await fetch(`${api.server.url}/api/v1/openapi.json`);
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
          api.server.api('/api/v1/disbursements', {
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
          api.server.api('/api/v1/disbursements', {
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
          api.server.api('/api/v1/disbursements', {
            method: 'POST',
            body: '',
            headers: { 'content-type': 'application/json' },
          }),
        400,
        'malformed_json',
      ],
      ['an array', () => api.create([stageBody()]), 422, 'validation_failed'],
      ['a string', () => api.create('hello'), 422, 'validation_failed'],
      ['missing amount', () => api.create({ ...stageBody(), amount: undefined }), 422, 'validation_failed'],
      ['zero amount', () => api.create(stageBody({ amount: '0.00' })), 422, 'validation_failed'],
      ['three decimals', () => api.create(stageBody({ amount: '1.005' })), 422, 'validation_failed'],
      [
        'both name forms',
        () => api.create({ ...stageBody(), recipient: { ...stageBody().recipient, business_name: 'Acme' } }),
        422,
        'validation_failed',
      ],
      ['bad email', () => api.create(stageBody({ email: 'not-an-email' })), 422, 'validation_failed'],
      [
        'no authentication records',
        () => api.create({ ...stageBody(), authentication_records: [] }),
        422,
        'validation_failed',
      ],
      ['another participant', () => api.create({ ...stageBody(), participant_id: 999 }), 422, 'unknown_participant'],
      [
        'Idempotency-Key ≠ participant_unique_id1',
        () => api.create(stageBody({ puid1: 'a' }), { 'idempotency-key': 'b' }),
        422,
        'idempotency_key_mismatch',
      ],
      [
        'Idempotency-Key too long',
        () => api.create(stageBody(), { 'idempotency-key': 'k'.repeat(101) }),
        400,
        'invalid_idempotency_key',
      ],
      [
        'a body over 256 KiB',
        () =>
          api.create({
            ...stageBody(),
            notification_records: [{ field_label: 'x', client_provided_value: 'y'.repeat(300_000) }],
          }),
        413,
        'payload_too_large',
      ],
    ];
    for (const [label, call, status, code] of cases) {
      it(label, async () => {
        const before = await rowCounts(api.server.server.database);
        const response = await call();
        expect(response.status).toBe(status);
        const body = await json(response);
        expect(body.error.code).toBe(code);
        expect(typeof body.error.message).toBe('string');
        expect(await rowCounts(api.server.server.database)).toEqual(before);
      });
    }

    it('validation errors name the field and never echo the values', async () => {
      const response = await api.create({
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
      const response = await api.create(stageBody({ amount: '0.29' }));
      expect(response.status).toBe(202);
      const d = await json(response);
      expect(Object.keys(d).sort()).toEqual(Object.keys(disbursementResponse.shape).sort());
      disbursementResponse.parse(d);
      expect(d).toMatchObject({
        status: 'pending',
        participant_id: api.server.server.config.ingo.participantId,
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
        api.create({ ...stageBody(), participant_unique_id1: `given-${Date.now()}`, tracer_id: 'given-tracer' }),
      );
      expect(given.participant_unique_id1).toMatch(/^given-/);
      expect(given.tracer_id).toBe('given-tracer');
    });

    it('normalizes US phone spellings to 10 digits like the SDK client, and passes unknown fields through', async () => {
      const base = stageBody();
      const d = await json(
        api.create({
          ...base,
          notification_document_url: 'https://example.com/letter.pdf',
          recipient: { ...base.recipient, mobile: '(512) 555-0100', phone: '+1 512 555 0101', nickname: 'JD' },
        }),
      );
      const detail = await json(api.server.api(`/api/v1/disbursements/${d.id}`));
      expect(detail.recipient).toMatchObject({ mobile: '5125550100', phone: '5125550101', nickname: 'JD' });
      expect(detail.request.notification_document_url).toBe('https://example.com/letter.pdf');
      // What cannot be a US number is refused with the field named, nothing stored.
      const before = await rowCounts(api.server.server.database);
      const foreign = await api.create({ ...base, recipient: { ...base.recipient, mobile: '+44 20 7946 0958' } });
      expect(foreign.status).toBe(422);
      expect((await json(foreign)).error.details.issues).toEqual([
        expect.objectContaining({ path: 'recipient.mobile', rule: 'format' }),
      ]);
      expect(await rowCounts(api.server.server.database)).toEqual(before);
    });

    it('list, detail, events and stats answers match their documented schemas', async () => {
      disbursementPage.parse(await json(api.server.api('/api/v1/disbursements')));
      const detail = await json(api.server.api(`/api/v1/disbursements/${api.seeded[2]!.id}`));
      expect(Object.keys(detail).sort()).toEqual(Object.keys(disbursementDetailResponse.shape).sort());
      disbursementDetailResponse.parse(detail);
      eventPage.parse(await json(api.server.api('/api/v1/events')));
      statsResponse.parse(await json(api.server.api('/api/v1/stats')));
    });

    it('pending disbursement, stage request, timeline and outbox row commit together or not at all', async () => {
      // Failure injection: the outbox insert (the last write of the transaction) fails.
      const removeFailure = await failInsertsInto(api.server.server.database, 'outbox');
      try {
        const before = await rowCounts(api.server.server.database);
        const response = await api.create(stageBody());
        expect(response.status).toBe(500);
        expect((await json(response)).error.code).toBe('internal_error');
        expect(await rowCounts(api.server.server.database)).toEqual(before);
      } finally {
        await removeFailure();
      }
    });
  });

  describe('idempotency', () => {
    it('concurrent calls with one Idempotency-Key create one disbursement', async () => {
      const key = `race-${Date.now()}`;
      const body = stageBody();
      const before = await rowCounts(api.server.server.database);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => api.create(body, { 'idempotency-key': key }).then(json)),
      );
      expect(new Set(answers.map((a) => a.id)).size).toBe(1);
      expect(answers[0].participant_unique_id1).toBe(key);
      const after = await rowCounts(api.server.server.database);
      expect(after.disbursements).toBe(before.disbursements + 1);
      expect(after.outbox).toBe(before.outbox + 1);
    });

    it('the same Idempotency-Key returns the same disbursement; different data under it is a 409', async () => {
      const key = `idem-${Date.now()}`;
      const body = stageBody();
      const first = await api.create(body, { 'idempotency-key': key });
      expect(first.status).toBe(202);
      const d = await json(first);
      expect(d.participant_unique_id1).toBe(key);
      const before = await rowCounts(api.server.server.database);
      const again = await api.create(body, { 'idempotency-key': key });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(again)).id).toBe(d.id);
      // participant_unique_id1 in the body is the same key.
      const viaBody = await api.create({ ...body, participant_unique_id1: key });
      expect((await json(viaBody)).id).toBe(d.id);
      const conflict = await api.create({ ...body, amount: '999.00' }, { 'idempotency-key': key });
      expect(conflict.status).toBe(409);
      expect((await json(conflict)).error).toMatchObject({
        code: 'idempotency_key_reused',
        details: { disbursement_id: d.id },
      });
      expect(await rowCounts(api.server.server.database)).toEqual(before);
    });
  });

  describe('POST /api/v1/disbursements/{id}/cancel', () => {
    it('409 naming the status once claimed or terminal, or while still pending; nothing changes', async () => {
      for (const [index, status] of [
        [2, 'claimed'],
        [3, 'funded'],
        [0, 'pending'],
      ] as const) {
        const before = await rowCounts(api.server.server.database);
        const response = await api.server.api(`/api/v1/disbursements/${api.seeded[index]!.id}/cancel`, {
          method: 'POST',
        });
        expect(response.status).toBe(409);
        const body = await json(response);
        expect(body.error.code).toBe('cancel_refused');
        expect(body.error.message).toContain(status);
        expect(body.error.details.status).toBe(status);
        expect(await rowCounts(api.server.server.database)).toEqual(before);
      }
    });

    it('Ingo unreachable: 502 ingo_unavailable, the attempt is recorded, the status does not change', async () => {
      const before = await json(api.server.api(`/api/v1/disbursements/${api.seeded[1]!.id}`));
      expect(before.status).toBe('notified');
      const response = await api.server.api(`/api/v1/disbursements/${api.seeded[1]!.id}/cancel`, { method: 'POST' });
      expect(response.status).toBe(502);
      expect((await json(response)).error.code).toBe('ingo_unavailable');
      const after = await json(api.server.api(`/api/v1/disbursements/${api.seeded[1]!.id}`));
      expect(after.status).toBe('notified');
      expect(after.timeline.at(-1)).toMatchObject({
        kind: 'cancel_failed',
        status_before: 'notified',
        status_after: 'notified',
      });
    });

    it('a canceled payout: 200 with its state (idempotent), Ingo not asked', async () => {
      const d = await json(api.create(stageBody()));
      const delivered = await deliverWebhook(
        api.server.url,
        webhookPayload({
          topic: 'transaction.recipient.disbursement.status.canceled',
          puid1: d.participant_unique_id1,
          notificationId: `77${Date.now() % 100000}`,
        }),
        api.server.webhookSecret,
      );
      expect(delivered.status).toBe(200);
      const before = await rowCounts(api.server.server.database);
      const response = await api.server.api(`/api/v1/disbursements/${d.id}/cancel`, { method: 'POST' });
      expect(response.status).toBe(200);
      expect(response.headers.get('idempotent-replayed')).toBe('true');
      expect(await json(response)).toMatchObject({ id: d.id, status: 'canceled' });
      // Ingo is unreachable here: it was not asked (no cancel_failed entry, nothing written).
      expect(await rowCounts(api.server.server.database)).toEqual(before);
    });

    it('400 on a malformed id, 404 on an unknown one, 422 on a body with fields', async () => {
      expect((await api.server.api('/api/v1/disbursements/x/cancel', { method: 'POST' })).status).toBe(400);
      expect(
        (await api.server.api('/api/v1/disbursements/dsb_0000000000000000000000000000/cancel', { method: 'POST' }))
          .status,
      ).toBe(404);
      const withBody = await api.server.api(`/api/v1/disbursements/${api.seeded[1]!.id}/cancel`, {
        method: 'POST',
        json: { reason: 'x' },
      });
      expect(withBody.status).toBe(422);
    });
  });
});
