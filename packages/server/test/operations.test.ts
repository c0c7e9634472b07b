import { afterEach, describe, expect, it } from 'vitest';
import { createMigrator } from '../src/db/migrations.js';
import { json } from './support/json-body.js';
import { samples, scrapeMetrics } from './support/metrics-scrape.js';
import { stageBody, unreachableIngo } from './support/stage-body.js';
import { startTestServer, type TestServer } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// /readyz and /metrics as an operator sees them: readiness follows the database and the migrations,
// and every metric the README names has real samples after the matching traffic.

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close().catch(() => {});
  server = undefined;
});

const start = () =>
  startTestServer({ databaseUrl: 'sqlite::memory:', serverOptions: { fetch: unreachableIngo, outboxWorker: false } });

describe('/readyz', () => {
  it('is 503 "migrations pending" while a migration is not applied, 200 again once it is', async () => {
    server = await start();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const migrator = createMigrator(server.server.database.db, server.server.database.dialect);
    expect((await migrator.migrateDown()).error).toBeUndefined();
    const pending = await fetch(`${server.url}/readyz`);
    expect(pending.status).toBe(503);
    expect(await json(pending)).toEqual({ status: 'not_ready', reason: 'migrations pending' });
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
  });

  it('is 503 "database unreachable" when the database does not answer; /healthz stays 200', async () => {
    server = await start();
    await server.server.database.db.destroy();
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    expect(await json(response)).toEqual({ status: 'not_ready', reason: 'database unreachable' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('has a sample for every named metric after the matching traffic', async () => {
    server = await start();
    const created = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
    const sent = webhookPayload({
      topic: 'transaction.recipient.notification.status.sent',
      puid1: created.participant_unique_id1,
      notificationId: '6060',
    });
    expect((await deliverWebhook(server.url, sent, server.webhookSecret)).status).toBe(200);
    expect((await deliverWebhook(server.url, sent, server.webhookSecret)).status).toBe(200);
    expect((await deliverWebhook(server.url, sent, 'wrong-secret')).status).toBe(401);
    const orphan = webhookPayload({ topic: 'transaction.recipient.notification.status.sent', notificationId: '7070' });
    expect((await deliverWebhook(server.url, orphan, server.webhookSecret)).status).toBe(200);

    const text = await scrapeMetrics(server.url);
    const one = (name: string) => Object.fromEntries(samples(text, name));
    expect(one('notifykit_webhooks_received_total')).toEqual({ '{topic_kind="notified"}': 2 });
    expect(one('notifykit_webhooks_duplicate_total')).toEqual({ '': 1 });
    expect(one('notifykit_webhooks_orphaned_total')).toEqual({ '': 1 });
    expect(one('notifykit_webhooks_rejected_total')).toEqual({ '{reason="invalid_signature"}': 1 });
    expect(one('notifykit_stage_calls_total')).toEqual({ '{outcome="retry"}': 1 });
    expect(one('notifykit_outbox_depth')).toEqual({ '': 1 });
    expect(one('notifykit_lifecycle_transitions_total')).toEqual({ '{from="pending",to="notified"}': 1 });
    const latency = samples(text, 'notifykit_http_request_duration_seconds_count');
    expect(latency.get('{method="POST",route="/api/v1/disbursements",status_code="202"}')).toBe(1);
    expect(latency.get('{method="POST",route="/webhooks/ingo",status_code="401"}')).toBe(1);
    expect(samples(text, 'notifykit_http_request_duration_seconds_bucket').size).toBeGreaterThan(10);
  });
});
