// Ingo fidelity end to end, on SQLite and PostgreSQL: the real sandbox and the real server, with the
// sandbox's webhooks handed to the server by the test (so every intermediate state is observable), and
// failure injection only where Ingo's answers must be lost. Covers the check actions, the cancel's
// unknown and idempotent outcomes, the lifecycle's attention flags and contradictions through the REST
// API, and a reducer state stored by an earlier version.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json } from './support/json-body.js';
import { freePort, type LocalStack, startLocalStack } from './support/local-stack.js';
import { requirePostgresUnlessLocal } from './support/postgres.js';
import { stageBody } from './support/stage-body.js';
import { describeOnEachDatabase, type TestDatabaseFactory } from './support/test-databases.js';
import { tempDir } from './support/test-server.js';
import { deliverWebhook, webhookPayload } from './support/webhook-delivery.js';

const postgres = await requirePostgresUnlessLocal();

const CANCEL_PATH = '/gateway/v3/notifycancel';

const lostAnswer = () =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
  });

/**
 * The server's fetch to the sandbox, passing everything through except when a test arms it:
 * `landsButAnswersLost` lets each cancel reach the sandbox and act, then loses every answer;
 * `beforeFirstCancel` runs something (the recipient claiming) and loses the first cancel on its way.
 */
function injectableFetch() {
  const mode: { landsButAnswersLost: boolean; beforeFirstCancel: (() => Promise<void>) | undefined } = {
    landsButAnswersLost: false,
    beforeFirstCancel: undefined,
  };
  const fetchImpl: typeof fetch = async (input, init) => {
    const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
    if (path === CANCEL_PATH && mode.beforeFirstCancel !== undefined) {
      const before = mode.beforeFirstCancel;
      mode.beforeFirstCancel = undefined;
      await before();
      throw lostAnswer();
    }
    const response = await fetch(input, init);
    if (path === CANCEL_PATH && mode.landsButAnswersLost) {
      await response.arrayBuffer();
      throw lostAnswer();
    }
    return response;
  };
  return { mode, fetchImpl };
}

function fidelitySuite(name: string, database: TestDatabaseFactory) {
  describe(`Ingo fidelity end to end on ${name}`, () => {
    let stack: LocalStack;
    let cleanup: () => Promise<void>;
    const injection = injectableFetch();

    beforeAll(async () => {
      const db = await database();
      cleanup = db.cleanup;
      // The sandbox sends its webhooks nowhere; `forward` hands them to the server when a test says so.
      stack = await startLocalStack({
        databaseUrl: db.url,
        sandbox: { webhookUrl: `http://127.0.0.1:${await freePort()}/webhooks/ingo`, speed: 0 },
        serverOptions: { fetch: injection.fetchImpl },
      });
    });
    afterAll(async () => {
      await stack?.close();
      await cleanup?.();
    });

    const api = (path: string, init?: Parameters<LocalStack['server']['api']>[1]) => stack.server.api(path, init);
    const detailOf = (id: string) => json(api(`/api/v1/disbursements/${id}`));
    const post = (path: string, body?: unknown) =>
      api(path, { method: 'POST', ...(body === undefined ? {} : { json: body }) });

    /** Delivers every webhook the sandbox emitted for a notification, as Ingo would (duplicates are harmless). */
    async function forward(notificationId: string) {
      const events = (await stack.control.notification(notificationId)).events as { payload: unknown }[];
      for (const event of events) {
        const response = await deliverWebhook(
          stack.server.url,
          JSON.stringify(event.payload),
          stack.server.webhookSecret,
        );
        expect(response.status).toBe(200);
      }
    }

    async function staged() {
      const created = await json(post('/api/v1/disbursements', stageBody()));
      expect(created.status).toBe('staged');
      return created as { id: string; notification_id: string; participant_unique_id1: string };
    }

    /** A payout whose recipient chose a mailed check, moved at the sandbox to `upTo`, and known here. */
    async function checkPayout(upTo: 'chosen' | 'issued') {
      const d = await staged();
      await stack.control.act(d.notification_id, 'open');
      await stack.control.act(d.notification_id, 'authenticate');
      await stack.control.act(d.notification_id, 'choose_payment', { account_type: 'CK' });
      if (upTo === 'issued') await stack.control.act(d.notification_id, 'approve');
      await forward(d.notification_id);
      const detail = await detailOf(d.id);
      expect(detail).toMatchObject({ status: 'approved', payment_method: { account_type: 'CK' } });
      return d;
    }

    const kinds = (detail: { timeline: { kind: string }[] }) => detail.timeline.map((t) => t.kind);
    const codes = (detail: { attention: { code: string }[] }) => detail.attention.map((a) => a.code);

    describe('check void and stop (docs/ingo-contract.md §4.1)', () => {
      it("void: 200, then Ingo's check.canceled (with the reason) and termination end it failed, flagged check_canceled", async () => {
        const d = await checkPayout('issued');
        const response = await post(`/api/v1/disbursements/${d.id}/check/void`, { reason_code: 75 });
        const body = await json(response);
        expect(response.status, JSON.stringify(body)).toBe(200);
        expect(body).toMatchObject({ id: d.id, status: 'approved', ingo_status: 100 });
        const atIngo = await stack.control.notification(d.notification_id);
        expect(atIngo.status).toBe('failed');
        expect((atIngo.events as { topic: string }[]).map((e) => e.topic).slice(-2)).toEqual([
          'transaction.recipient.payment.status.check.canceled',
          'transaction.recipient.payment.status.terminated',
        ]);

        await forward(d.notification_id);
        const detail = await detailOf(d.id);
        expect(detail.status).toBe('failed');
        expect(kinds(detail)).toContain('check_voided');
        expect(detail.timeline.find((t: { kind: string }) => t.kind === 'check_voided').detail).toMatchObject({
          action: 'void',
          reason_code: 75,
          ingo_status: 100,
        });
        expect(codes(detail)).toEqual(['check_canceled']);
        expect(detail.attention[0].message).toContain('reason 75 client request');
        expect(Date.parse(detail.attention[0].at)).not.toBeNaN();
      });

      it('stop: 200, then check.stopped and the termination; flagged check_stopped', async () => {
        const d = await checkPayout('issued');
        const response = await post(`/api/v1/disbursements/${d.id}/check/stop`, { reason_code: 77 });
        expect(response.status).toBe(200);
        await forward(d.notification_id);
        const detail = await detailOf(d.id);
        expect(detail.status).toBe('failed');
        expect(kinds(detail)).toContain('check_stopped');
        expect(codes(detail)).toEqual(['check_stopped']);
      });

      it('409 when it is not a check payout, when Ingo has no issued check, and once paid; 422 for a bad reason', async () => {
        const card = await staged();
        await stack.control.act(card.notification_id, 'open');
        await stack.control.act(card.notification_id, 'authenticate');
        await stack.control.act(card.notification_id, 'choose_payment', { account_type: 'CA' });
        await forward(card.notification_id);
        const notCheck = await post(`/api/v1/disbursements/${card.id}/check/void`, { reason_code: 75 });
        expect(notCheck.status).toBe(409);
        expect((await json(notCheck)).error).toMatchObject({
          code: 'check_action_refused',
          message: expect.stringMatching(/Not a check payout.*CA/),
        });
        const fresh = await staged();
        expect((await post(`/api/v1/disbursements/${fresh.id}/check/stop`, { reason_code: 77 })).status).toBe(409);

        // Chosen but not yet issued: allowed here, refused by Ingo (784), recorded, nothing changes.
        const chosen = await checkPayout('chosen');
        const early = await post(`/api/v1/disbursements/${chosen.id}/check/void`, { reason_code: 73 });
        expect(early.status).toBe(409);
        expect((await json(early)).error).toMatchObject({
          code: 'check_action_refused_by_ingo',
          details: { ingo_status: 784 },
        });
        const afterEarly = await detailOf(chosen.id);
        expect(afterEarly.status).toBe('approved');
        expect(afterEarly.timeline.at(-1)).toMatchObject({
          kind: 'check_action_refused',
          detail: { ingo_status: 784 },
        });

        const paid = await checkPayout('issued');
        await stack.control.act(paid.notification_id, 'fund');
        await forward(paid.notification_id);
        const late = await post(`/api/v1/disbursements/${paid.id}/check/stop`, { reason_code: 78 });
        expect(late.status).toBe(409);
        expect((await json(late)).error.message).toMatch(/funded/);

        const issued = await checkPayout('issued');
        const before = await detailOf(issued.id);
        for (const body of [{ reason_code: 77 }, { reason_code: '75' }, {}, { reason_code: 75, extra: 1 }]) {
          const bad = await post(`/api/v1/disbursements/${issued.id}/check/void`, body);
          expect(bad.status).toBe(422);
          expect((await json(bad)).error.code).toBe('validation_failed');
        }
        expect((await post(`/api/v1/disbursements/${issued.id}/check/stop`, { reason_code: 74 })).status).toBe(422);
        expect(await detailOf(issued.id)).toEqual(before);
        expect((await stack.control.notification(issued.notification_id)).state).toBe('check_issued');
        expect(
          (await post('/api/v1/disbursements/dsb_000000000000000000000000000a/check/void', { reason_code: 75 })).status,
        ).toBe(404);
        expect((await post('/api/v1/disbursements/nope/check/stop', { reason_code: 77 })).status).toBe(400);
      });
    });

    describe('cancel (docs/ingo-contract.md §4)', () => {
      it('a canceled payout answers a second cancel with 200 and its state, without asking Ingo again', async () => {
        const d = await staged();
        expect((await post(`/api/v1/disbursements/${d.id}/cancel`)).status).toBe(200);
        const events = ((await stack.control.notification(d.notification_id)).events as unknown[]).length;
        const again = await post(`/api/v1/disbursements/${d.id}/cancel`);
        expect(again.status).toBe(200);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(await json(again)).toMatchObject({ id: d.id, status: 'canceled' });
        expect(((await stack.control.notification(d.notification_id)).events as unknown[]).length).toBe(events);
        expect(kinds(await detailOf(d.id)).filter((k) => k === 'canceled')).toHaveLength(1);
      });

      it("answers lost after the cancel landed: 202 outcome unknown, settled by Ingo's canceled webhook", async () => {
        const d = await staged();
        injection.mode.landsButAnswersLost = true;
        let response: Response;
        try {
          response = await post(`/api/v1/disbursements/${d.id}/cancel`);
        } finally {
          injection.mode.landsButAnswersLost = false;
        }
        const body = await json(response);
        expect(response.status, JSON.stringify(body)).toBe(202);
        expect(body.status).toBe('staged');
        expect(codes(body)).toEqual(['cancel_outcome_unknown']);
        const pending = await detailOf(d.id);
        expect(pending.cancel).toMatchObject({ allowed: true, outcome: 'unknown' });
        expect(pending.timeline.at(-1)).toMatchObject({
          kind: 'cancel_outcome_unknown',
          status_after: 'staged',
          detail: { error: 'ERR_CANCEL_OUTCOME_UNKNOWN', uncertain_attempt: 'ERR_NETWORK' },
        });
        expect(
          (await json(api('/api/v1/disbursements?limit=200'))).data.find((r: { id: string }) => r.id === d.id),
        ).toMatchObject({ attention: [expect.objectContaining({ code: 'cancel_outcome_unknown' })] });
        // It did land at Ingo; its webhook settles it.
        expect((await stack.control.notification(d.notification_id)).status).toBe('canceled');
        await forward(d.notification_id);
        const settled = await detailOf(d.id);
        expect(settled.status).toBe('canceled');
        expect(settled.attention).toEqual([]);
        expect(settled.cancel).toMatchObject({ allowed: false, outcome: 'accepted' });
      });

      it('refused after an attempt that may have landed: 202 outcome unknown, settled when the payout moves on', async () => {
        const d = await staged();
        await stack.control.act(d.notification_id, 'open');
        await stack.control.act(d.notification_id, 'authenticate');
        // The recipient claims while the first cancel is lost on its way; the retry meets a 78x.
        injection.mode.beforeFirstCancel = async () => {
          await stack.control.act(d.notification_id, 'choose_payment', { account_type: 'CA' });
        };
        const response = await post(`/api/v1/disbursements/${d.id}/cancel`);
        const body = await json(response);
        expect(response.status, JSON.stringify(body)).toBe(202);
        expect(codes(body)).toEqual(['cancel_outcome_unknown']);
        const pending = await detailOf(d.id);
        expect(pending.timeline.at(-1)).toMatchObject({
          kind: 'cancel_outcome_unknown',
          detail: { uncertain_attempt: 'ERR_NETWORK', ingo_status: 780 },
        });
        expect(pending.cancel.outcome).toBe('unknown');
        await forward(d.notification_id);
        const settled = await detailOf(d.id);
        expect(settled.status).toBe('claimed');
        expect(settled.attention).toEqual([]);
        expect(settled.cancel).toMatchObject({ allowed: false, outcome: 'refused' });
      });
    });

    describe('the lifecycle through the REST API (lifecycle.md)', () => {
      const deliver = (
        d: { notification_id: string; participant_unique_id1: string },
        topic: string,
        at: number,
        event = {},
      ) =>
        deliverWebhook(
          stack.server.url,
          webhookPayload({
            topic,
            notificationId: d.notification_id,
            puid1: d.participant_unique_id1,
            timestamp: at,
            event,
          }),
          stack.server.webhookSecret,
        );
      const T = 1_900_000_000;
      const exhausted = {
        status: '1102',
        attempt_count: 3,
        max_attempts: 3,
        field_results: [{ field_label: 'Last 4 SSN', is_matching: false, hard_fail_on_mismatch: true }],
      };

      it('authentication exhausted is an attention flag, not failed; a later success means funded', async () => {
        const d = await staged();
        await deliver(d, 'transaction.recipient.authentication.status.failure', T + 1, exhausted);
        const flagged = await detailOf(d.id);
        expect(flagged.status).toBe('staged');
        expect(codes(flagged)).toEqual(['authentication_exhausted']);
        expect(flagged.authentication).toMatchObject({ attempts: 3, max_attempts: 3, passed: false });
        await deliver(d, 'transaction.recipient.authentication.status.success', T + 2);
        await deliver(d, 'transaction.account.tokenization.success', T + 3, { account_type: 'CA' });
        await deliver(d, 'transaction.recipient.payment.status.success', T + 4);
        const funded = await detailOf(d.id);
        expect(funded.status).toBe('funded');
        expect(funded.attention).toEqual([]);
      });

      it('two different terminal outcomes: the later event time wins and the timeline flags the contradiction', async () => {
        const d = await staged();
        await deliver(d, 'transaction.recipient.payment.status.success', T + 20);
        const late = await deliver(d, 'transaction.recipient.payment.status.terminated', T + 10);
        expect(late.status).toBe(200);
        const detail = await detailOf(d.id);
        expect(detail.status).toBe('funded');
        const flagged = detail.timeline.at(-1);
        expect(flagged).toMatchObject({
          kind: 'event',
          status_before: 'funded',
          status_after: 'funded',
          detail: { contradiction: { outcomes: ['failed', 'funded'], status: 'funded' } },
        });
        // A still later termination does win, flagged too.
        await deliver(d, 'transaction.recipient.payment.status.terminated', T + 30);
        const flipped = await detailOf(d.id);
        expect(flipped.status).toBe('failed');
        expect(flipped.timeline.at(-1)).toMatchObject({ status_before: 'funded', status_after: 'failed' });
      });

      it('a reducer state stored by an earlier version loads and keeps working', async () => {
        const d = await staged();
        const { db } = stack.server.server.database;
        // What the previous version stored for a payout it had (wrongly) failed on exhausted authentication.
        const old = JSON.stringify({
          status: 'failed',
          onHold: false,
          holds: { ofac: 'none', approvals: 'none' },
          authAttempts: 3,
          maxAuthAttempts: 3,
          approvals: {},
          appliedEventIds: [`local:stage:${d.participant_unique_id1}`, 'evt-old-authfail'],
          lastEventAt: new Date((T + 1) * 1000).toISOString(),
          evidence: { progress: 'staged', viewed: false, terminal: 'failed', returnSeen: false },
        });
        await sql`update disbursements set lifecycle_state = ${old}, status = 'failed' where id = ${d.id}`.execute(db);
        const loaded = await detailOf(d.id);
        expect(loaded).toMatchObject({ status: 'failed', authentication: { attempts: 3 }, attention: [] });
        // Ingo's later success outweighs the old termination (the later event time wins), flagged.
        await deliver(d, 'transaction.recipient.payment.status.success', T + 50);
        const after = await detailOf(d.id);
        expect(after.status).toBe('funded');
        expect(after.timeline.at(-1).detail.contradiction).toEqual({
          outcomes: ['failed', 'funded'],
          status: 'funded',
        });
      });
    });
  });
}

const dir = tempDir('fidelity');
afterAll(() => dir.remove());
describeOnEachDatabase(postgres, { dir: dir.path, file: 'fidelity.db' }, 'fidelity', fidelitySuite);
