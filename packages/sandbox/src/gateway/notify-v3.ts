// POST /gateway/v3/notify: stage one disbursement (docs/ingo-contract.md §3). Idempotent on
// (participant_id, participant_unique_id1) forever: the same key answers 101 with the original data, or
// 601 when amount or recipient name differ. One transaction creates the notification, its recipient
// party and the `notification sent` event (with its queued delivery), or nothing at all.

import { randomUUID } from 'node:crypto';
import { amountToCents, redact, type StageRequest, ValidationError, validateStageRequest } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import { signatureGuard } from '../http/signature-guard.js';
import { utcDay } from '../simulation/clock.js';
import type { EmittedEvent } from '../simulation/engine.js';
import { snapshotOf } from '../simulation/engine.js';
import { selectScenario } from '../simulation/scenarios.js';
import type { NewNotification, NotificationRow } from '../store/rows.js';
import { envelope, INGO_STATUS } from './envelope.js';
import { programRulesOf, validatedRequest } from './validated-request.js';

export const STAGE_V3_PATH = '/gateway/v3/notify';

/** `data` of a stage response: rebuilt from the stored row, so a replay is byte-identical. */
function stageResponseData(row: NotificationRow) {
  return {
    notification_id: row.id,
    tracer_id: row.tracer_id,
    participant_unique_id1: row.puid1,
    participant_unique_id2: row.puid2,
    request_timestamp: row.request_timestamp,
  };
}

/**
 * The sandbox's own optional field (docs/ingo-contract.md §3: Ingo documents "an optional URL to a document to be
 * embedded in the notification" without naming it). The SDK passes any such field through; the sandbox
 * keeps accepting `document_url` under this name and holds it to https.
 */
function checkDocumentUrl(body: StageRequest): StageRequest {
  const value = body.document_url;
  if (value === undefined) return body;
  let https = false;
  try {
    https = typeof value === 'string' && new URL(value).protocol === 'https:';
  } catch {
    https = false;
  }
  if (!https) throw new ValidationError([{ path: 'document_url', rule: 'format', message: 'must be an https URL' }]);
  return body;
}

type StageOutcome =
  | { kind: 'created'; row: NotificationRow; events: EmittedEvent[] }
  | { kind: 'replay'; row: NotificationRow }
  | { kind: 'reused' }
  | { kind: 'velocity' };

const sameName = (a: string | null | undefined, b: string | null | undefined) => (a ?? null) === (b ?? null);

export function registerNotifyV3(app: FastifyInstance, ctx: SandboxContext): void {
  const { store, clock, engine, config } = ctx;

  app.post(STAGE_V3_PATH, { preHandler: signatureGuard(ctx) }, async (request, reply) => {
    const startedAt = performance.now();
    const { body, credential } = validatedRequest(
      request,
      startedAt,
      (body, credential) => checkDocumentUrl(validateStageRequest(body, programRulesOf(credential))),
      (body: StageRequest) => body.participant_id,
    );
    const cents = amountToCents(body.amount);
    if (cents === undefined) throw new Error('the stage schema let through an amount that is not decimal dollars');
    const recipient = body.recipient;

    const outcome = await store.batched((): StageOutcome => {
      const existing = store.findNotification(credential.participantId, body.participant_unique_id1);
      if (existing) {
        const same =
          existing.amount_cents === cents &&
          sameName(existing.first_name, recipient.first_name) &&
          sameName(existing.last_name, recipient.last_name) &&
          sameName(existing.business_name, recipient.business_name);
        return same ? { kind: 'replay', row: existing } : { kind: 'reused' };
      }
      const now = clock.now();
      const day = utcDay(now);
      if (
        credential.dailyLimitCents !== null &&
        store.stagedCentsOn(credential.participantId, day) + cents > credential.dailyLimitCents
      ) {
        return { kind: 'velocity' };
      }
      const scenario = selectScenario(recipient.email);
      const requestJson = JSON.stringify(redact(body));
      const fresh: NewNotification = {
        participant_id: credential.participantId,
        username: credential.username,
        api_version: 'v3',
        puid1: body.participant_unique_id1,
        puid2: body.participant_unique_id2 ?? '',
        tracer_id: body.tracer_id ?? '',
        amount: body.amount,
        amount_cents: cents,
        first_name: recipient.first_name ?? null,
        last_name: recipient.last_name ?? null,
        business_name: recipient.business_name ?? null,
        email: recipient.email ?? null,
        session_id: randomUUID(),
        scenario,
        state: 'notified',
        hold: null,
        auth_failures: 0,
        account_type: null,
        request_json: requestJson,
        request_timestamp: Math.floor(now / 1000),
        cancel_json: null,
        check_action_json: null,
        stage_day: day,
        created_at: now,
        updated_at: now,
        next_step_at: null,
        expires_at: now + config.ttlMs,
      };
      const provisional = { ...fresh, id: 0, due_at: null };
      fresh.next_step_at = engine.firstStepAt(scenario, snapshotOf(provisional), now);
      const id = store.insertNotification(fresh);
      const row: NotificationRow = { ...fresh, id, due_at: null };
      store.insertParty({
        party_id: randomUUID(),
        notification_id: id,
        role: 0,
        client_provided_id: recipient.customer_id ?? '',
        state: 'recipient',
        created_at: now,
      });
      return { kind: 'created', row, events: engine.staged(row) };
    });

    switch (outcome.kind) {
      case 'created':
        engine.committed(outcome, outcome.row);
        request.log.info(
          { notificationId: outcome.row.id, scenario: outcome.row.scenario, participantId: credential.participantId },
          'disbursement staged',
        );
        return reply.send(envelope(INGO_STATUS.success, 'Success', stageResponseData(outcome.row), startedAt));
      case 'replay':
        return reply.send(
          envelope(
            INGO_STATUS.idempotentReplay,
            'Success - Idempotent Response',
            stageResponseData(outcome.row),
            startedAt,
          ),
        );
      case 'reused':
        return reply.send(
          envelope(
            INGO_STATUS.reusedUniqueId,
            'participant_unique_id1 already used with different data',
            { participant_unique_id1: body.participant_unique_id1 },
            startedAt,
          ),
        );
      case 'velocity':
        return reply.send(
          envelope(
            INGO_STATUS.velocity,
            'Velocity limit exceeded: the daily amount limit of this participant would be passed',
            {},
            startedAt,
          ),
        );
    }
  });
}
