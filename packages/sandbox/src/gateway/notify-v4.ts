// POST /gateway/v4/notify: stage a Managed Parties disbursement (docs/ingo-contract.md §5). Validated with
// the SDK's managed schema under the signer's program rules; idempotent on participant_unique_id1 like
// v3 (101 answers with the original notification and parties); every party gets a UUID party_id. The
// v4 envelope carries its numbers as strings, as Ingo's does.

import { randomUUID } from 'node:crypto';
import { formatCents, type ManagedStageRequest, redact, validateManagedStageRequest } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import { SandboxHttpError } from '../http/errors.js';
import { signatureGuard } from '../http/signature-guard.js';
import type { NotificationRow, PartyRow } from '../store/rows.js';
import { type GatewayFailure, INGO_STATUS } from './envelope.js';
import { stageInTransaction } from './staging.js';
import { programRulesOf, validatedRequest } from './validated-request.js';

export const STAGE_V4_PATH = '/gateway/v4/notify';

const duration = (startedAt: number) => ((performance.now() - startedAt) / 1000).toFixed(2);

/** The v4 envelope: `response {status, message, duration}` with the status as a string. */
function v4Envelope(status: number, message: string, startedAt: number, rest: Record<string, unknown> = {}) {
  return { ...rest, response: { status: String(status), message, duration: duration(startedAt) } };
}

/** A request-shape failure (HTTP 4xx) in the v4 envelope. */
const v4GatewayError: GatewayFailure = (httpStatus, status, message, data, startedAt) =>
  new SandboxHttpError(httpStatus, v4Envelope(status, message, startedAt, data));

function transactionData(row: NotificationRow, parties: readonly PartyRow[]) {
  return {
    participant_unique_ids: { participant_unique_id1: row.puid1, participant_unique_id2: row.puid2 },
    notification_id: String(row.id),
    tracer_id: row.tracer_id,
    parties: parties.map((p) => ({ client_provided_id: p.client_provided_id, party_id: p.party_id, role: p.role })),
  };
}

export function registerNotifyV4(app: FastifyInstance, ctx: SandboxContext): void {
  app.post(STAGE_V4_PATH, { preHandler: signatureGuard(ctx) }, async (request, reply) => {
    const startedAt = performance.now();
    const { body, credential } = validatedRequest(
      request,
      startedAt,
      (raw, credential) => validateManagedStageRequest(raw, programRulesOf(credential)),
      (body: ManagedStageRequest) => body.request.participant_id,
      v4GatewayError,
    );
    const tx = body.transaction;
    const cents = Math.round(tx.transaction_amount.amount * 100);
    // The schema guarantees exactly one role-0 party.
    const recipient = body.transaction_parties.find((p) => p.settings.role === 0)!;
    const outcome = await ctx.store.batched(() =>
      stageInTransaction(ctx, credential, {
        apiVersion: 'v4',
        puid1: tx.participant_unique_ids.participant_unique_id1,
        puid2: tx.participant_unique_ids.participant_unique_id2 ?? '',
        tracerId: tx.tracer_id ?? '',
        amount: formatCents(cents),
        cents,
        recipient: {
          first_name: recipient.name_personal.first_name,
          last_name: recipient.name_personal.last_name,
          business_name: null,
          email: recipient.contact_telcom?.email ?? null,
        },
        requestJson: JSON.stringify(redact(body)),
        parties: body.transaction_parties.map((p) => ({
          party_id: randomUUID(),
          role: p.settings.role,
          client_provided_id: p.settings.client_provided_id,
          state: p.settings.role === 0 ? 'recipient' : 'notified',
        })),
      }),
    );
    const echo = { request: body.request };
    switch (outcome.kind) {
      case 'created':
        ctx.engine.committed(outcome, outcome.row);
        request.log.info(
          { notificationId: outcome.row.id, scenario: outcome.row.scenario, participantId: credential.participantId },
          'managed disbursement staged',
        );
        return reply.send(
          v4Envelope(INGO_STATUS.success, 'Success', startedAt, {
            ...echo,
            transaction: transactionData(outcome.row, ctx.store.parties(outcome.row.id)),
          }),
        );
      case 'replay':
        return reply.send(
          v4Envelope(INGO_STATUS.idempotentReplay, 'Success - Idempotent Response', startedAt, {
            ...echo,
            transaction: transactionData(outcome.row, ctx.store.parties(outcome.row.id)),
          }),
        );
      case 'reused':
        return reply.send(
          v4Envelope(INGO_STATUS.reusedUniqueId, 'participant_unique_id1 already used with different data', startedAt, {
            ...echo,
            transaction: { participant_unique_ids: tx.participant_unique_ids },
          }),
        );
      case 'velocity':
        return reply.send(
          v4Envelope(
            INGO_STATUS.velocity,
            'Velocity limit exceeded: the daily amount limit of this participant would be passed',
            startedAt,
            echo,
          ),
        );
    }
  });
}
