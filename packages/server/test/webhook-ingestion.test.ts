import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWebhookEvent, signWebhook } from '@notifykit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebhookBatchProcessor } from '../src/webhooks/ingestion.js';
import { failInsertsInto } from './support/failure-injection.js';
import { json } from './support/json-body.js';
import { scrapeMetrics } from './support/metrics-scrape.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { rowCounts } from './support/row-counts.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, startTestServer, type TestServer, tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

const postgres = await requirePostgresUnlessLocal();
const FIXTURES = join(import.meta.dirname, '../../sdk/test/fixtures/webhooks');

function ingestionSuite(name: string, databaseUrl: TestDatabaseFactory) {
  describe(`webhook ingestion on ${name}`, () => {
    let server: TestServer;

    beforeAll(async () => {
      // Ingo unreachable: disbursements stay pending, so webhooks meet them before any stage response.
      server = await startOfflineServer(databaseUrl);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('stores an event for an unknown notification as an orphan and acknowledges it', async () => {
      const body = webhookPayload({
        topic: 'transaction.recipient.notification.status.sent',
        notificationId: '424242',
        status: '1200',
      });
      const response = await deliverWebhook(server.url, body, server.webhookSecret);
      expect(response.status).toBe(200);
      expect(await json(response)).toEqual({ received: true, duplicate: false });
      const events = await json(server.api('/api/v1/events?orphan=true'));
      const stored = events.data.find((e: { notification_id: string }) => e.notification_id === '424242');
      expect(stored).toMatchObject({ disbursement_id: null, classification: 'notified', duplicate_count: 0 });
      expect(JSON.stringify(stored.payload)).toBe(body);
    });

    it('applies events to the disbursement they name, counts duplicates and changes nothing else', async () => {
      const created = await server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() });
      expect(created.status).toBe(202);
      const d = await json(created);
      expect(d.status).toBe('pending');
      const sent = webhookPayload({
        topic: 'transaction.recipient.notification.status.sent',
        puid1: d.participant_unique_id1,
        notificationId: '5550001',
      });
      expect((await deliverWebhook(server.url, sent, server.webhookSecret)).status).toBe(200);
      const before = await rowCounts(server.server.database);
      const again = await deliverWebhook(server.url, sent, server.webhookSecret);
      expect(again.status).toBe(200);
      expect(await json(again)).toEqual({ received: true, duplicate: true });
      expect(await rowCounts(server.server.database)).toEqual(before);

      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      expect(detail.status).toBe('notified');
      expect(detail.notification_id).toBe('5550001');
      const eventEntry = detail.timeline.find((t: { kind: string }) => t.kind === 'event');
      expect(eventEntry).toMatchObject({ status_before: 'pending', status_after: 'notified' });
      expect(eventEntry.event.duplicate_count).toBe(1);
      expect(eventEntry.event.payload.metadata.topic).toBe('transaction.recipient.notification.status.sent');

      // Later events find it by notification_id alone; a late earlier-stage event is recorded, not applied.
      const funded = webhookPayload({
        topic: 'transaction.recipient.payment.status.success',
        notificationId: '5550001',
        status: '1125',
      });
      const received = webhookPayload({
        topic: 'transaction.recipient.notification.status.received',
        notificationId: '5550001',
      });
      expect((await deliverWebhook(server.url, funded, server.webhookSecret)).status).toBe(200);
      expect((await deliverWebhook(server.url, received, server.webhookSecret)).status).toBe(200);
      const after = await json(server.api(`/api/v1/disbursements/${d.id}`));
      expect(after.status).toBe('funded');
      expect(after.funded_at).not.toBeNull();
      expect(after.timeline.filter((t: { kind: string }) => t.kind === 'event')).toHaveLength(3);
    });

    it('one group: learns a notification id mid-group, counts an in-group redelivery, parks an orphan', async () => {
      const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
      const raw = (input: Parameters<typeof webhookPayload>[0]) => {
        const rawBody = webhookPayload(input);
        return { event: parseWebhookEvent(rawBody), rawBody, receivedAt: Date.now() };
      };
      const sent = raw({
        topic: 'transaction.recipient.notification.status.sent',
        puid1: d.participant_unique_id1,
        notificationId: '880001',
      });
      const group = [
        sent,
        raw({ topic: 'transaction.recipient.notification.status.received', notificationId: '880001' }),
        { ...sent, receivedAt: Date.now() + 1 },
        raw({ topic: 'transaction.recipient.notification.status.sent', notificationId: '880999' }),
      ];
      const results = await createWebhookBatchProcessor(server.server.database)(group);
      expect(results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'duplicate', 'orphan']);
      expect(results[1]!.transitions[0]).toMatchObject({ from: 'notified', to: 'viewed' });
      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      expect(detail).toMatchObject({ status: 'viewed', notification_id: '880001' });
      const events = detail.timeline.filter((t: { kind: string }) => t.kind === 'event');
      expect(events.map((t: { status_after: string }) => t.status_after)).toEqual(['notified', 'viewed']);
      expect(events[0].event.duplicate_count).toBe(1);
    });

    it('keeps unknown topics and fields, flagged unknown, without changing the status', async () => {
      const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
      const body = webhookPayload({
        topic: 'transaction.recipient.something.brand.new',
        puid1: d.participant_unique_id1,
        event: { novel_field: { nested: [1, 2] } },
      });
      expect((await deliverWebhook(server.url, body, server.webhookSecret)).status).toBe(200);
      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      expect(detail.status).toBe('pending');
      const entry = detail.timeline.find((t: { kind: string }) => t.kind === 'event');
      expect(entry.event.classification).toBe('unknown');
      expect(entry.detail.outcome).toBe('unknown_topic');
      expect(entry.event.payload.data.event.novel_field).toEqual({ nested: [1, 2] });
    });

    it('401 on a missing or wrong signature, stores nothing', async () => {
      const before = await rowCounts(server.server.database);
      const body = webhookPayload({ topic: 'transaction.recipient.notification.status.sent', notificationId: '1' });
      const none = await fetch(`${server.url}/webhooks/ingo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(none.status).toBe(401);
      expect((await json(none)).error.code).toBe('missing_signature');
      const wrong = await deliverWebhook(server.url, body, 'not-the-secret');
      expect(wrong.status).toBe(401);
      expect((await json(wrong)).error.code).toBe('invalid_signature');
      // Signed, then altered in transit.
      const altered = await fetch(`${server.url}/webhooks/ingo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ingo-signature': signWebhook(body, server.webhookSecret) },
        body: body.replace('"1"', '"2"'),
      });
      expect(altered.status).toBe(401);
      expect(await rowCounts(server.server.database)).toEqual(before);
    });

    it('400 on malformed JSON or a non-envelope (signed), 413 over 256 KiB; nothing stored', async () => {
      const before = await rowCounts(server.server.database);
      const malformed = await deliverWebhook(server.url, '{"metadata":', server.webhookSecret);
      expect(malformed.status).toBe(400);
      expect((await json(malformed)).error.code).toBe('malformed_json');
      const notEnvelope = await deliverWebhook(server.url, JSON.stringify({ hello: 'world' }), server.webhookSecret);
      expect(notEnvelope.status).toBe(400);
      expect((await json(notEnvelope)).error.code).toBe('not_an_envelope');
      const empty = await deliverWebhook(server.url, '', server.webhookSecret);
      expect(empty.status).toBe(400);
      const big = webhookPayload({
        topic: 'transaction.recipient.notification.status.sent',
        event: { pad: 'x'.repeat(256 * 1024) },
      });
      const tooLarge = await deliverWebhook(server.url, big, server.webhookSecret);
      expect(tooLarge.status).toBe(413);
      expect((await json(tooLarge)).error.code).toBe('payload_too_large');
      expect(await rowCounts(server.server.database)).toEqual(before);
      const metrics = await scrapeMetrics(server.url);
      expect(metrics).toMatch(/notifykit_webhooks_rejected_total\{reason="payload_too_large"\} 1/);
      expect(metrics).toMatch(/notifykit_webhooks_rejected_total\{reason="not_an_envelope"\} 1/);
    });

    it('4xx for any Content-Type oddity, signed or not: never a 503, never counted as an internal error', async () => {
      const before = await rowCounts(server.server.database);
      const body = webhookPayload({ topic: 'transaction.recipient.notification.status.sent', notificationId: '4151' });
      const oddities = [
        'application/json, text/plain',
        'text/plain, application/json',
        ';;',
        ',',
        'application/json;;',
      ];
      for (const contentType of oddities) {
        for (const signature of [undefined, signWebhook(body, server.webhookSecret)]) {
          const response = await fetch(`${server.url}/webhooks/ingo`, {
            method: 'POST',
            headers: { 'content-type': contentType, ...(signature ? { 'x-ingo-signature': signature } : {}) },
            body,
          });
          const answer = await json(response);
          if (response.status === 200) continue; // a parseable type with a good signature is a webhook
          expect(response.status, `${contentType} signed=${signature !== undefined}`).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(answer.error.code).toMatch(/^[a-z_]+$/);
        }
      }
      const metrics = await scrapeMetrics(server.url);
      expect(metrics).not.toMatch(/notifykit_webhooks_rejected_total\{reason="internal_error"\}/);
      expect(metrics).toMatch(/notifykit_webhooks_rejected_total\{reason="unsupported_media_type"\} [1-9]/);
      expect(server.logs.some((line) => line.includes('webhook could not be committed'))).toBe(false);
      const after = await rowCounts(server.server.database);
      expect(after.events - before.events).toBeLessThanOrEqual(1);
    });

    it('503 not_committed when a verified webhook cannot be committed: nothing stored, Ingo retries', async () => {
      const before = await rowCounts(server.server.database);
      const body = webhookPayload({ topic: 'transaction.recipient.notification.status.sent', notificationId: '5031' });
      const removeFailure = await failInsertsInto(server.server.database, 'events');
      try {
        const response = await deliverWebhook(server.url, body, server.webhookSecret);
        expect(response.status).toBe(503);
        expect((await json(response)).error).toEqual({
          code: 'not_committed',
          message: 'the event could not be stored; Ingo will retry',
        });
      } finally {
        await removeFailure();
      }
      expect(await rowCounts(server.server.database)).toEqual(before);
      expect(server.logs.some((line) => line.includes('webhook could not be committed'))).toBe(true);
      const metrics = await scrapeMetrics(server.url);
      expect(metrics).toMatch(/notifykit_webhooks_rejected_total\{reason="internal_error"\} 1/);
      // Ingo's retry, once the database accepts writes again, is committed as a first delivery.
      const retried = await deliverWebhook(server.url, body, server.webhookSecret);
      expect(retried.status).toBe(200);
      expect(await json(retried)).toEqual({ received: true, duplicate: false });
    });

    it('concurrent deliveries (each twice, all at once): every one acknowledged, each stored exactly once', async () => {
      const before = await rowCounts(server.server.database);
      const bodies = Array.from({ length: 120 }, (_, i) =>
        webhookPayload({ topic: 'transaction.recipient.notification.status.sent', notificationId: `77${i}` }),
      );
      // Each body twice, all at once.
      const responses = await Promise.all(
        [...bodies, ...bodies].map((b) => deliverWebhook(server.url, b, server.webhookSecret)),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const answers = await Promise.all(responses.map((r) => json(r)));
      expect(answers.filter((a) => a.duplicate === false)).toHaveLength(120);
      expect((await rowCounts(server.server.database)).events).toBe(before.events + 120);
      const metrics = await scrapeMetrics(server.url);
      // Every webhook went through a committed group (grouping itself is shown in group-commit.test.ts).
      const items = Number(/notifykit_webhook_commit_batch_size_sum (\d+)/.exec(metrics)?.[1]);
      expect(items).toBeGreaterThanOrEqual(240);
    });
  });
}

const sqliteDir = tempDir('ingest');
afterAll(() => sqliteDir.remove());
describeOnEachDatabase(postgres, { dir: sqliteDir.path, file: 'db.sqlite' }, 'ingest', ingestionSuite);

describe('every literal fixture payload of sdk/test/fixtures/webhooks', () => {
  const expected: Record<string, string> = {
    'transaction.party.notification.status.sent.json': 'notified',
    'transaction.recipient.notification.status.bounced.json': 'bounced',
    'transaction.recipient.payment.status.approvals.complete.json': 'approved',
    'transaction.recipient.payment.status.check.issued.json': 'approved',
    'transaction.recipient.payment.status.success.json': 'funded',
  };
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));

  it('covers every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const file of files) {
    it(`${file}: accepted byte for byte and reflected on the disbursement it names`, async () => {
      const raw = readFileSync(join(FIXTURES, file));
      const payload = JSON.parse(raw.toString('utf8'));
      const server = await startTestServer({
        databaseUrl: 'sqlite::memory:',
        serverOptions: { fetch: unreachableIngo, outboxWorker: false },
      });
      try {
        const puid1 = payload.data.ancillary.participant_unique_id1 as string;
        const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ puid1 }) }));
        const response = await deliverWebhook(server.url, raw, server.webhookSecret);
        expect(response.status).toBe(200);
        const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
        expect(detail.status).toBe(expected[file]);
        expect(detail.notification_id).toBe(String(payload.data.ancillary.notification_id));
        const entry = detail.timeline.find((t: { kind: string }) => t.kind === 'event');
        expect(entry.event.metadata_id).toBe(payload.metadata.id);
        expect(entry.event.topic).toBe(payload.metadata.topic);
        expect(entry.event.payload).toEqual(payload);
        expect(entry.event.occurred_at).toBe(new Date(payload.metadata.timestamp * 1000).toISOString());
      } finally {
        await server.close();
      }
    });
  }
});
