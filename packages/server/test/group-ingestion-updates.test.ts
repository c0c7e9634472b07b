import { parseWebhookEvent } from '@notifykit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DisbursementRow } from '../src/db/schema.js';
import { createWebhookBatchProcessor, type VerifiedWebhook } from '../src/webhooks/ingestion.js';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';
import { webhookPayload } from './support/webhook-delivery.js';

// Group ingestion writes back only the disbursement columns a group changed. Whatever subset is
// written, the stored rows must equal those of the same events ingested one webhook per group.

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('group-ingestion-updates');
afterAll(() => dir.remove());

const RECEIVED_AT = 1_760_000_000_000;
const SCENARIOS = {
  // learns its notification_id and becomes notified
  learnsNotification: [{ topic: 'transaction.recipient.notification.status.sent', withNotification: true }],
  // an unknown topic: only the reducer state and the timestamps change
  unknownTopic: [{ topic: 'transaction.recipient.something.brand.new', withNotification: false }],
  // reaches funded within the group (funded_at, time_to_fund_ms)
  funded: [
    { topic: 'transaction.recipient.notification.status.sent', withNotification: true },
    { topic: 'transaction.recipient.notification.status.received', withNotification: true },
    { topic: 'transaction.recipient.authentication.status.success', withNotification: true },
    { topic: 'transaction.account.tokenization.success', withNotification: true },
    { topic: 'transaction.recipient.payment.status.success', withNotification: true },
  ],
} as const;

const COMPARED = [
  'status',
  'furthest_rank',
  'on_hold',
  'funded_at',
  'time_to_fund_ms',
  'last_event_at',
  'updated_at',
] as const satisfies readonly (keyof DisbursementRow)[];

function suite(name: string, database: TestDatabaseFactory) {
  describe(`group ingestion write-back on ${name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startOfflineServer(database);
    });
    afterAll(async () => {
      await server?.close();
    });

    const stage = async () => json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
    const row = async (id: string) =>
      (await server.server.database.db
        .selectFrom('disbursements')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow()) as DisbursementRow;

    it('one group with mixed changes stores the same rows as one webhook per group', async () => {
      const grouped: VerifiedWebhook[] = [];
      const sequential: VerifiedWebhook[] = [];
      const twins: { scenario: string; grouped: { id: string; n: string }; sequential: { id: string; n: string } }[] =
        [];
      let serial = 0;
      for (const [scenario, steps] of Object.entries(SCENARIOS)) {
        const a = await stage();
        const b = await stage();
        serial += 1;
        const pair = {
          scenario,
          grouped: { id: a.id as string, n: `77${serial}001` },
          sequential: { id: b.id as string, n: `77${serial}002` },
        };
        twins.push(pair);
        steps.forEach((step, i) => {
          for (const [target, list] of [
            [{ d: a, n: pair.grouped.n }, grouped],
            [{ d: b, n: pair.sequential.n }, sequential],
          ] as const) {
            const rawBody = webhookPayload({
              topic: step.topic,
              puid1: target.d.participant_unique_id1,
              ...(step.withNotification ? { notificationId: target.n } : {}),
              timestamp: 1_760_000_000 + i,
            });
            list.push({ event: parseWebhookEvent(rawBody), rawBody, receivedAt: RECEIVED_AT });
          }
        });
      }
      // Interleave the scenarios inside the one group, as concurrent deliveries would be.
      const process = createWebhookBatchProcessor(server.server.database);
      const groupedResults = await process([...grouped].sort((x, y) => x.rawBody.length - y.rawBody.length));
      expect(groupedResults.every((r) => r.outcome === 'applied')).toBe(true);
      for (const item of sequential) expect((await process([item]))[0]!.outcome).toBe('applied');

      for (const pair of twins) {
        const g = await row(pair.grouped.id);
        const s = await row(pair.sequential.id);
        const pick = (r: DisbursementRow) => Object.fromEntries(COMPARED.map((c) => [c, r[c]]));
        expect({ scenario: pair.scenario, ...pick(g) }).toEqual({ scenario: pair.scenario, ...pick(s) });
        expect(g.notification_id).toBe(pair.scenario === 'unknownTopic' ? null : pair.grouped.n);
        expect(s.notification_id).toBe(pair.scenario === 'unknownTopic' ? null : pair.sequential.n);
        const state = (r: DisbursementRow) => {
          const { appliedEventIds: _ids, evidence: _evidence, ...rest } = JSON.parse(r.lifecycle_state);
          return rest;
        };
        expect(state(g)).toEqual(state(s));
      }
      const funded = twins.find((t) => t.scenario === 'funded')!;
      expect((await row(funded.grouped.id)).status).toBe('funded');
      expect((await row(funded.grouped.id)).funded_at).not.toBeNull();
      expect((await row(twins.find((t) => t.scenario === 'unknownTopic')!.grouped.id)).status).toBe('pending');
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'group-updates.db' }, 'group_updates', suite);
