import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disbursementDetailResponse, disbursementResponse } from '../src/http/response-schemas.js';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { startOfflineServer, type TestServer, tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// The disbursement as the API shows it: what the lifecycle state means (hold, attention, payment method,
// authentication, cancel) in snake_case, and none of the reducer's internals.

const postgres = await requirePostgresUnlessLocal();
const dir = tempDir('detail');
afterAll(() => dir.remove());

const INTERNALS = /side_facts|evidence|accountStamp|appliedEventIds|onHold|latestNotification|authAttempts/;
const T0 = 1_760_000_000;

function suite(name: string, database: TestDatabaseFactory) {
  describe(`disbursement detail on ${name}`, () => {
    let server: TestServer;
    beforeAll(async () => {
      // Ingo unreachable: every payout stays in the outbox (stage_retrying); webhooks drive the lifecycle.
      server = await startOfflineServer(database);
    });
    afterAll(async () => {
      await server?.close();
    });

    let serial = 0;
    async function payout() {
      const created = await server.api('/api/v1/disbursements', { method: 'POST', json: stageBody() });
      expect(created.status).toBe(202);
      serial += 1;
      return { ...(await json(created)), nid: `${T0}${serial}` };
    }
    async function deliver(
      d: { participant_unique_id1: string; nid: string },
      topic: string,
      event: Record<string, unknown> = {},
      timestamp = T0,
    ) {
      const body = webhookPayload({ topic, puid1: d.participant_unique_id1, notificationId: d.nid, event, timestamp });
      expect((await deliverWebhook(server.url, body, server.webhookSecret)).status).toBe(200);
    }
    const detailOf = async (id: string) => {
      const detail = await json(server.api(`/api/v1/disbursements/${id}`));
      disbursementDetailResponse.parse(detail);
      // The timeline's raw webhook payloads and event classifications are shown as received and classified.
      const { timeline: _timeline, ...facts } = detail;
      expect(JSON.stringify(facts)).not.toMatch(INTERNALS);
      return detail;
    };

    it('pending, Ingo unreachable: stage_retrying, no hold, no payment method, cancel refused while pending', async () => {
      const d = await payout();
      expect(
        Object.keys(d)
          .filter((k) => k !== 'nid')
          .sort(),
      ).toEqual(Object.keys(disbursementResponse.shape).sort());
      expect(d).toMatchObject({ kind: 'classic', currency: 'USD', status: 'pending', on_hold: false });
      expect(d.attention).toEqual([
        {
          code: 'stage_retrying',
          message: expect.stringMatching(/after 1 attempt\(s\) \(last error: ERR_NETWORK: .*ECONNREFUSED/),
          at: d.created_at,
        },
      ]);
      const detail = await detailOf(d.id);
      expect(detail).toMatchObject({
        hold: { active: false, reasons: [] },
        payment_method: null,
        authentication: { attempts: null, max_attempts: null, passed: false },
        cancel: { allowed: false, requested_at: null, outcome: null },
        approvals: null,
        parties: [],
      });
      expect(detail.cancel.reason).toMatch(/pending/);
      // The list shows the same row as the create answer.
      const { nid: _nid, ...answer } = d;
      expect((await json(server.api(`/api/v1/disbursements?q=${d.id}`))).data).toEqual([answer]);
    });

    it('a bounce needs attention (at the bounce time) until a re-sent notification is received', async () => {
      const d = await payout();
      await deliver(d, 'transaction.recipient.notification.status.sent', {}, T0);
      await deliver(d, 'transaction.recipient.notification.status.bounced', {}, T0 + 60);
      const bounced = await detailOf(d.id);
      expect(bounced.status).toBe('bounced');
      expect(bounced.attention.map((a: { code: string }) => a.code)).toEqual([
        'notification_bounced',
        'stage_retrying',
      ]);
      expect(bounced.attention[0].at).toBe(new Date((T0 + 60) * 1000).toISOString());
      const page = await json(server.api('/api/v1/disbursements?status=bounced'));
      expect(page.data.map((r: { id: string }) => r.id)).toContain(d.id);
      expect(page.data.find((r: { id: string }) => r.id === d.id).attention).toEqual(bounced.attention);

      await deliver(d, 'transaction.recipient.notification.status.received', {}, T0 + 120);
      const viewed = await detailOf(d.id);
      expect(viewed.status).toBe('viewed');
      expect(viewed.attention.map((a: { code: string }) => a.code)).toEqual(['stage_retrying']);
    });

    it('an OFAC suspension is a hold with its reason until cleared; on_hold follows hold.active', async () => {
      const d = await payout();
      await deliver(d, 'transaction.recipient.authentication.status.success');
      await deliver(d, 'transaction.recipient.verification.ofac.status.suspended', {}, T0 + 1);
      const held = await detailOf(d.id);
      expect(held).toMatchObject({ on_hold: true, hold: { active: true, reasons: ['ofac'] } });
      const listed = await json(server.api(`/api/v1/disbursements?q=${d.participant_unique_id1}`));
      expect(listed.data[0]).toMatchObject({ on_hold: true, hold: { active: true, reasons: ['ofac'] } });

      await deliver(d, 'transaction.recipient.verification.ofac.status.cleared', {}, T0 + 2);
      expect(await detailOf(d.id)).toMatchObject({ on_hold: false, hold: { active: false, reasons: [] } });
    });

    it('authentication attempts as Ingo reports them; passed once authenticated', async () => {
      const d = await payout();
      await deliver(d, 'transaction.recipient.authentication.status.failure', {
        status: '1150',
        attempt_count: 2,
        max_attempts: 3,
      });
      expect((await detailOf(d.id)).authentication).toEqual({ attempts: 2, max_attempts: 3, passed: false });
      await deliver(d, 'transaction.recipient.authentication.status.success', { attempt_count: 3, max_attempts: 3 });
      const detail = await detailOf(d.id);
      expect(detail.status).toBe('authenticated');
      expect(detail.authentication).toEqual({ attempts: 3, max_attempts: 3, passed: true });
      // Authenticated, staged (Ingo named its notification) and not terminal: a cancel may be sent.
      expect(detail.cancel).toMatchObject({ allowed: true, reason: null });
    });

    it('the payment method: account type and the last 4 of the account id, never the token or the full id', async () => {
      const d = await payout();
      await deliver(d, 'transaction.account.tokenization.success', {
        account_type: 'CA',
        account_id: '493817265',
        customer_account_token: 'tok_5ab0c7e1d2f3a4b5',
      });
      const detail = await detailOf(d.id);
      expect(detail.status).toBe('claimed');
      expect(detail.payment_method).toEqual({ account_type: 'CA', account_id_last4: '7265' });
      expect(detail.authentication.passed).toBe(true);
      const { timeline: _raw, ...shown } = detail;
      expect(JSON.stringify(shown)).not.toMatch(/493817265|tok_5ab0c7e1d2f3a4b5/);
      expect(JSON.stringify(shown)).toContain('7265');
      expect(detail.cancel).toMatchObject({ allowed: false, outcome: null });
      expect(detail.cancel.reason).toMatch(/claimed/);
    });

    it('a cancel Ingo could not be reached for: requested_at and outcome unknown; the status stays', async () => {
      const d = await payout();
      await deliver(d, 'transaction.recipient.notification.status.sent');
      const response = await server.api(`/api/v1/disbursements/${d.id}/cancel`, { method: 'POST' });
      expect(response.status).toBe(502);
      const detail = await detailOf(d.id);
      expect(detail.status).toBe('notified');
      expect(detail.cancel).toEqual({
        allowed: true,
        reason: null,
        requested_at: detail.timeline.at(-1).at,
        outcome: 'unknown',
      });
    });

    it('timeline entries name the party a webhook is about (none for classic payouts)', async () => {
      const d = await payout();
      await deliver(d, 'transaction.recipient.notification.status.sent');
      const detail = await detailOf(d.id);
      for (const entry of detail.timeline) expect(entry).toMatchObject({ party_id: null, party_role: null });
      expect(detail.timeline.map((t: { kind: string }) => t.kind)).toEqual(['created', 'stage_retry', 'event']);
    });
  });
}

describeOnEachDatabase(postgres, { dir: dir.path, file: 'detail.db' }, 'detail', suite);
