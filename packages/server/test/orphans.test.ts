import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOrphans } from '../src/lifecycle/orphans.js';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// Events that arrive before their disbursement is known are parked (orphans) and attached when it
// appears: at creation, when the stage response brings the notification id, and by the worker's sweep.
// One rule decides which events belong to a disbursement (lifecycle/orphans.ts), wherever it is asked.

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('orphans');
afterAll(() => dir.remove());

type TimelineEntry = { kind: string; status_after: string; detail: { attached_orphan?: boolean } | null };

function suite(name: string, database: TestDatabaseFactory) {
  describe(`orphan events on ${name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      // Ingo unreachable: disbursements stay pending, the stage response never brings a notification id.
      server = await startOfflineServer(database);
    });
    afterAll(async () => {
      await server?.close();
    });

    const deliver = async (body: string) => {
      const response = await deliverWebhook(server.url, body, server.webhookSecret);
      expect(response.status).toBe(200);
    };
    const orphanIds = async () =>
      (await json(server.api('/api/v1/events?orphan=true&limit=200'))).data.map((e: { seq: number }) => e.seq);

    it('at creation: events naming its puid1 (then its notification id) are attached in arrival order', async () => {
      const puid1 = `orphan-${Date.now()}`;
      await deliver(
        webhookPayload({ topic: 'transaction.recipient.notification.status.sent', puid1, notificationId: '610001' }),
      );
      await deliver(
        webhookPayload({ topic: 'transaction.recipient.notification.status.received', notificationId: '610001' }),
      );
      // Another payout's event: same notification id zone, different keys; stays parked.
      await deliver(
        webhookPayload({ topic: 'transaction.recipient.notification.status.sent', notificationId: '610002' }),
      );
      const parked = await orphanIds();

      const created = await server.api('/api/v1/disbursements', { method: 'POST', json: stageBody({ puid1 }) });
      expect(created.status).toBe(202);
      const d = await json(created);
      expect(d).toMatchObject({ status: 'viewed', notification_id: '610001' });

      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      const entries = detail.timeline as TimelineEntry[];
      expect(entries.map((t) => t.kind)).toEqual(['created', 'event', 'event', 'stage_retry']);
      expect(entries.filter((t) => t.detail?.attached_orphan === true).map((t) => t.status_after)).toEqual([
        'notified',
        'viewed',
      ]);
      const remaining = await orphanIds();
      expect(parked.length - remaining.length).toBe(2);
      const other = await json(server.api('/api/v1/events?notification_id=610002'));
      expect(other.data[0].disbursement_id).toBeNull();
    });

    it('the sweep attaches an event parked while its disbursement was being created', async () => {
      const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
      expect(d.status).toBe('pending');
      // The race the sweep closes: the event was stored as an orphan by a transaction that could not yet
      // see the disbursement (PostgreSQL, several connections). Reproduced by parking it directly.
      const now = Date.now();
      await server.server.database.db
        .insertInto('events')
        .values({
          metadata_id: `parked-${now}`,
          topic: 'transaction.recipient.notification.status.sent',
          classification: 'notified',
          notification_id: null,
          participant_unique_id1: d.participant_unique_id1,
          disbursement_id: null,
          event_timestamp: now,
          received_at: now,
          duplicate_count: 0,
          last_duplicate_at: null,
          raw_payload: webhookPayload({
            id: `parked-${now}`,
            topic: 'transaction.recipient.notification.status.sent',
            puid1: d.participant_unique_id1,
          }),
        })
        .execute();

      const transitions = await sweepOrphans(server.server.database, Date.now());
      expect(transitions).toEqual([
        expect.objectContaining({ disbursementId: d.id, from: 'pending', to: 'notified', statusChanged: true }),
      ]);
      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      expect(detail.status).toBe('notified');
      expect(detail.timeline.at(-1)).toMatchObject({ kind: 'event', detail: { attached_orphan: true } });
      // Nothing left for a second sweep.
      expect(await sweepOrphans(server.server.database, Date.now())).toEqual([]);
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'orphans.db' }, 'orphans', suite);
