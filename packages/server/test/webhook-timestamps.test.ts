import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/app/config.js';
import { json } from './support/json-body.js';
import { samples, scrapeMetrics } from './support/metrics-scrape.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// Deduplication on metadata.id is the replay protection (Ingo's retries legitimately resend old events),
// so a correctly signed event is applied whatever its date. One dated far in the future, or before its
// payout existed, is still suspicious: flagged on its timeline entry and counted in /metrics.

const postgres = await requirePostgresUnlessLocal();
const SENT = 'transaction.recipient.notification.status.sent';
const YEAR_S = 365 * 86_400;

function timestampSuite(name: string, database: TestDatabaseFactory) {
  describe(`webhook timestamps on ${name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startOfflineServer(database);
    });
    afterAll(() => server?.close());

    async function deliverFor(timestamp: number) {
      const d = await json(server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() }));
      const body = webhookPayload({
        topic: SENT,
        puid1: d.participant_unique_id1,
        notificationId: `${d.id}-n`,
        timestamp,
      });
      expect((await deliverWebhook(server.url, body, server.webhookSecret)).status).toBe(200);
      const detail = await json(server.api(`/api/v1/disbursements/${d.id}`));
      return { detail, entry: detail.timeline.find((t: { kind: string }) => t.kind === 'event') };
    }
    const flagged = async () => samples(await scrapeMetrics(server.url), 'notifykit_webhooks_timestamp_flagged_total');

    it('ten years ahead: applied as usual, flagged "future" on the timeline, counted', async () => {
      const { detail, entry } = await deliverFor(Math.floor(Date.now() / 1000) + 10 * YEAR_S);
      expect(detail.status).toBe('notified');
      expect(entry.detail.timestamp_flag).toBe('future');
      expect((await flagged()).get('{kind="future"}')).toBe(1);
    });

    it.each([
      ['1970', 1],
      ['a year old', Math.floor(Date.now() / 1000) - YEAR_S],
    ])('dated %s, before the payout existed: applied, flagged "before_staged", counted', async (_when, timestamp) => {
      const before = (await flagged()).get('{kind="before_staged"}') ?? 0;
      const { detail, entry } = await deliverFor(timestamp);
      expect(detail.status).toBe('notified');
      expect(entry.detail.timestamp_flag).toBe('before_staged');
      expect((await flagged()).get('{kind="before_staged"}')).toBe(before + 1);
    });

    it('dated now: not flagged; a redelivery of a flagged event is not counted again', async () => {
      const { entry } = await deliverFor(Math.floor(Date.now() / 1000));
      expect(entry.detail.timestamp_flag).toBeUndefined();
      const future = (await flagged()).get('{kind="future"}');
      const body = webhookPayload({ topic: SENT, notificationId: 'orphan-future', timestamp: 4_000_000_000 });
      await deliverWebhook(server.url, body, server.webhookSecret);
      await deliverWebhook(server.url, body, server.webhookSecret);
      expect((await flagged()).get('{kind="future"}')).toBe((future ?? 0) + 1);
    });
  });
}

describe('NOTIFYKIT_WEBHOOK_TIMESTAMP_TOLERANCE_S', () => {
  it('defaults to 300 s; configurable; nonsense refused', () => {
    const env = { NOTIFYKIT_ENV: 'development' };
    expect(loadConfig(env).webhook.timestampToleranceMs).toBe(300_000);
    expect(loadConfig({ ...env, NOTIFYKIT_WEBHOOK_TIMESTAMP_TOLERANCE_S: '60' }).webhook.timestampToleranceMs).toBe(
      60_000,
    );
    expect(() => loadConfig({ ...env, NOTIFYKIT_WEBHOOK_TIMESTAMP_TOLERANCE_S: 'x' })).toThrow(
      /NOTIFYKIT_WEBHOOK_TIMESTAMP_TOLERANCE_S/,
    );
  });
});

const sqliteDir = tempDir('timestamps');
afterAll(() => sqliteDir.remove());
describeOnEachDatabase(postgres, { dir: sqliteDir.path, file: 'ts.sqlite' }, 'timestamps', timestampSuite);
