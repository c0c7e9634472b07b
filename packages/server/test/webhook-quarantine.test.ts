import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { samples, scrapeMetrics } from './support/metrics-scrape.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { rowCounts } from './support/row-counts.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// A correctly signed webhook whose identifiers cannot be stored as is (a NUL, which PostgreSQL refuses
// in text; more than fits a btree index entry) was a 503 on PostgreSQL, so Ingo would have retried it
// for its whole schedule. It is now kept verbatim in a quarantine, listed by the API, counted in
// /metrics and acknowledged (202) — the same on both databases.

const postgres = await requirePostgresUnlessLocal();
const SENT = 'transaction.recipient.notification.status.sent';
const long = 'x'.repeat(3000);

function quarantineSuite(name: string, database: TestDatabaseFactory) {
  describe(`webhook quarantine on ${name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startOfflineServer(database);
    });
    afterAll(() => server?.close());

    it.each([
      ['a NUL in metadata.id', { id: 'evt-\u0000-1', topic: SENT }, 'metadata.id'],
      ['a NUL in metadata.topic', { topic: `${SENT}\u0000` }, 'metadata.topic'],
      ['a 3,000-character metadata.id', { id: long, topic: SENT }, 'metadata.id'],
      ['a 3,000-character metadata.topic', { topic: `${SENT}.${long}` }, 'metadata.topic'],
      ['a 3,000-character notification_id', { topic: SENT, notificationId: long }, 'notification_id'],
    ])(
      '%s: 202 quarantined, raw body intact in GET /api/v1/quarantine, counted; no event row',
      async (_what, input, field) => {
        const before = await rowCounts(server.server.database);
        const body = webhookPayload(input);
        const response = await deliverWebhook(server.url, body, server.webhookSecret);
        expect(response.status).toBe(202);
        const answer = await json(response);
        expect(answer).toMatchObject({ received: true, quarantined: true });
        expect(answer.reason).toContain(field);
        expect(await rowCounts(server.server.database)).toEqual(before);

        const page = await json(server.api('/api/v1/quarantine'));
        const kept = page.data.find((q: { raw_payload: string }) => q.raw_payload === body);
        expect(kept).toMatchObject({ reason: answer.reason });
        expect(typeof kept.received_at).toBe('string');

        // Ingo's duplicate delivery of the same body: acknowledged again, kept once.
        expect((await deliverWebhook(server.url, body, server.webhookSecret)).status).toBe(202);
        const again = await json(server.api('/api/v1/quarantine'));
        expect(again.data.filter((q: { raw_payload: string }) => q.raw_payload === body)).toHaveLength(1);
      },
    );

    it('is counted in /metrics by reason, and never as an internal error', async () => {
      const metrics = await scrapeMetrics(server.url);
      const quarantined = samples(metrics, 'notifykit_webhooks_quarantined_total');
      expect([...quarantined.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
      expect(metrics).not.toMatch(/notifykit_webhooks_rejected_total\{reason="internal_error"\}/);
    });

    it('an unsigned body with the same oddities is still a 401 and is not kept', async () => {
      const body = webhookPayload({ id: 'evt-\u0000-unsigned', topic: SENT });
      const response = await deliverWebhook(server.url, body, 'not-the-secret');
      expect(response.status).toBe(401);
      const page = await json(server.api('/api/v1/quarantine'));
      expect(page.data.some((q: { raw_payload: string }) => q.raw_payload === body)).toBe(false);
    });
  });
}

const sqliteDir = tempDir('quarantine');
afterAll(() => sqliteDir.remove());
describeOnEachDatabase(postgres, { dir: sqliteDir.path, file: 'q.sqlite' }, 'quarantine', quarantineSuite);
