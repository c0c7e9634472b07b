// POST /gateway/v3/notify: stage one disbursement (docs/ingo-contract.md §3). Idempotent on
// (participant_id, participant_unique_id1) forever: the same key answers 101 with the original data, or
// 601 when amount or recipient name differ. One transaction creates the notification, its recipient
// party and the `notification sent` event (with its queued delivery), or nothing at all.

import { randomUUID } from 'node:crypto';
import { amountToCents, redact, type StageRequest, ValidationError, validateStageRequest } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import { signatureGuard } from '../http/signature-guard.js';
import type { NotificationRow } from '../store/rows.js';
import { envelope, INGO_STATUS } from './envelope.js';
import { stageInTransaction } from './staging.js';
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

export function registerNotifyV3(app: FastifyInstance, ctx: SandboxContext): void {
  const { engine } = ctx;

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

    const outcome = await ctx.store.batched(() =>
      stageInTransaction(ctx, credential, {
        apiVersion: 'v3',
        puid1: body.participant_unique_id1,
        puid2: body.participant_unique_id2 ?? '',
        tracerId: body.tracer_id ?? '',
        amount: body.amount,
        cents,
        recipient: {
          first_name: recipient.first_name ?? null,
          last_name: recipient.last_name ?? null,
          business_name: recipient.business_name ?? null,
          email: recipient.email ?? null,
        },
        requestJson: JSON.stringify(redact(body)),
        parties: [
          { party_id: randomUUID(), role: 0, client_provided_id: recipient.customer_id ?? '', state: 'recipient' },
        ],
      }),
    );

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
