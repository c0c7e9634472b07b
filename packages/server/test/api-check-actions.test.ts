import { describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { rowCounts } from './support/row-counts.js';
import { describeSeededApi } from './support/seeded-api.js';
import { stageBody } from './support/stage-body.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

// The check actions' refusals through the HTTP API (Ingo offline): who may void or stop a check, what a
// body must be, and that Ingo's unreachability is recorded without changing anything else. The happy
// paths run against the sandbox in ingo-fidelity-e2e.test.ts.

const postgres = await requirePostgresUnlessLocal();

describeSeededApi(postgres, 'check-actions', (api) => {
  describe('POST /api/v1/disbursements/{id}/check/void and /check/stop', () => {
    it('409 naming why when the payout is not a check payout; nothing changes', async () => {
      for (const index of [0, 1, 2, 3]) {
        const seeded = api.seeded[index]!;
        const before = await rowCounts(api.server.server.database);
        for (const [action, reason] of [
          ['void', 75],
          ['stop', 77],
        ] as const) {
          const response = await api.server.api(`/api/v1/disbursements/${seeded.id}/check/${action}`, {
            method: 'POST',
            json: { reason_code: reason },
          });
          expect(response.status).toBe(409);
          const body = await json(response);
          expect(body.error).toMatchObject({ code: 'check_action_refused', details: { status: seeded.status } });
          expect(body.error.message).toMatch(/Not a check payout/);
        }
        expect(await rowCounts(api.server.server.database)).toEqual(before);
      }
    });

    it('a check payout with Ingo unreachable: 502 ingo_unavailable, the attempt recorded, the status unchanged', async () => {
      const d = await json(api.create(stageBody()));
      await deliverWebhook(
        api.server.url,
        webhookPayload({
          topic: 'transaction.recipient.payment.status.check',
          puid1: d.participant_unique_id1,
          notificationId: `88${Date.now() % 100000}`,
          status: '1111',
        }),
        api.server.webhookSecret,
      );
      const before = await json(api.server.api(`/api/v1/disbursements/${d.id}`));
      expect(before).toMatchObject({ status: 'approved', payment_method: { account_type: 'CK' } });
      const response = await api.server.api(`/api/v1/disbursements/${d.id}/check/void`, {
        method: 'POST',
        json: { reason_code: 74 },
      });
      expect(response.status).toBe(502);
      expect((await json(response)).error.code).toBe('ingo_unavailable');
      const after = await json(api.server.api(`/api/v1/disbursements/${d.id}`));
      expect(after.status).toBe('approved');
      expect(after.timeline.at(-1)).toMatchObject({
        kind: 'check_action_failed',
        status_after: 'approved',
        detail: { action: 'void', reason_code: 74, error: 'ERR_NETWORK' },
      });
    });

    it('422 for a body that is not a reason code of the action, 400/404 for bad ids; nothing changes', async () => {
      const id = api.seeded[1]!.id;
      const before = await rowCounts(api.server.server.database);
      for (const [action, body] of [
        ['void', { reason_code: 77 }],
        ['void', { reason_code: 73.5 }],
        ['void', {}],
        ['stop', { reason_code: 75 }],
        ['stop', { reason_code: 77, note: 'x' }],
        ['stop', { reason_code: 78, check_number: '' }],
      ] as const) {
        const response = await api.server.api(`/api/v1/disbursements/${id}/check/${action}`, {
          method: 'POST',
          json: body,
        });
        expect([action, body, response.status]).toEqual([action, body, 422]);
        expect((await json(response)).error.code).toBe('validation_failed');
      }
      const noBody = await api.server.api(`/api/v1/disbursements/${id}/check/void`, { method: 'POST' });
      expect(noBody.status).toBe(422);
      const badId = await api.server.api('/api/v1/disbursements/x/check/void', {
        method: 'POST',
        json: { reason_code: 75 },
      });
      expect(badId.status).toBe(400);
      const unknown = await api.server.api('/api/v1/disbursements/dsb_0000000000000000000000000000/check/stop', {
        method: 'POST',
        json: { reason_code: 77 },
      });
      expect(unknown.status).toBe(404);
      expect(await rowCounts(api.server.server.database)).toEqual(before);
    });
  });
});
