// POST /gateway/v3/notifycancel (docs/ingo-contract.md §4): cancels a disbursement the recipient has not claimed.
// Located by participant_unique_id1 + tracer_id (+ notification_id when given): 782 when nothing
// matches; 783 when name or amount differ from what was staged; 101 with the original data for a
// second cancel; 780 once claimed; 781 once terminal. The cancel itself goes through the same state
// machine as every other action and emits `disbursement.status.canceled`.

import { amountToCents, type CancelRequest, validateCancelRequest } from '@notifykit/sdk';
import type { FastifyInstance } from 'fastify';
import type { SandboxContext } from '../http/context.js';
import { signatureGuard } from '../http/signature-guard.js';
import type { EmittedEvent } from '../simulation/engine.js';
import { isTerminal, isUnclaimed, type MachineState } from '../simulation/machine.js';
import type { NotificationRow } from '../store/rows.js';
import { cancelEnvelope, INGO_STATUS } from './envelope.js';
import { locateStaged, NOT_FOUND } from './locate-staged.js';
import { validatedRequest } from './validated-request.js';

export const CANCEL_V3_PATH = '/gateway/v3/notifycancel';

type CancelOutcome =
  | { kind: 'canceled'; row: NotificationRow; data: Record<string, unknown>; events: EmittedEvent[] }
  | { kind: 'replay'; data: Record<string, unknown> }
  | { kind: 'refused'; status: number; message: string };

// Names are compared the way a person would (case and surrounding spaces do not matter); amounts as cents.
const normalizedName = (value: string | null | undefined) => (value ?? '').trim().toLowerCase();

/** Fields of the cancel that differ from the staged disbursement (names only, never values). */
function mismatchedFields(row: NotificationRow, body: CancelRequest): string[] {
  const fields: string[] = [];
  if (amountToCents(body.amount) !== row.amount_cents) fields.push('amount');
  if (row.business_name !== null) {
    if (normalizedName(body.business_name) !== normalizedName(row.business_name)) fields.push('business_name');
  } else {
    if (normalizedName(body.first_name) !== normalizedName(row.first_name)) fields.push('first_name');
    if (normalizedName(body.last_name) !== normalizedName(row.last_name)) fields.push('last_name');
  }
  return fields;
}

export function registerCancelV3(app: FastifyInstance, ctx: SandboxContext): void {
  const { store, clock, engine } = ctx;

  app.post(CANCEL_V3_PATH, { preHandler: signatureGuard(ctx) }, async (request, reply) => {
    const startedAt = performance.now();
    const { body, credential } = validatedRequest(
      request,
      startedAt,
      (body) => validateCancelRequest(body),
      (body: CancelRequest) => body.participant_id,
    );

    const outcome = await store.batched((): CancelOutcome => {
      const row = locateStaged(store, credential.participantId, body);
      if (!row) return NOT_FOUND;
      const mismatched = mismatchedFields(row, body);
      if (mismatched.length > 0) {
        return {
          kind: 'refused',
          status: INGO_STATUS.cancelMismatch,
          message: `Cancel data does not match the staged disbursement: ${mismatched.join(', ')}`,
        };
      }
      const state = row.state as MachineState;
      if (state === 'canceled' && row.cancel_json !== null) {
        return { kind: 'replay', data: JSON.parse(row.cancel_json) as Record<string, unknown> };
      }
      if (isTerminal(state)) {
        return {
          kind: 'refused',
          status: INGO_STATUS.cancelTerminal,
          message: `Cancel refused: the disbursement is already in a terminal state (${state})`,
        };
      }
      if (!isUnclaimed(state)) {
        return {
          kind: 'refused',
          status: INGO_STATUS.cancelClaimed,
          message: 'Cancel refused: the recipient has already claimed the disbursement',
        };
      }
      const now = clock.now();
      const applied = engine.applyInTransaction(row, { action: 'cancel' }, now);
      if (!applied.ok) throw new Error(`cancel of an unclaimed disbursement refused: ${applied.reason}`);
      const data = {
        notification_id: String(row.id),
        participant_unique_id1: row.puid1,
        tracer_id: row.tracer_id,
        request_timestamp: Math.floor(now / 1000),
      };
      store.updateNotification(row.id, { cancel_json: JSON.stringify(data) });
      return { kind: 'canceled', row: applied.notification, data, events: applied.events };
    });

    switch (outcome.kind) {
      // Ingo's cancel response example has no `time` (docs/ingo-contract.md §6.1), so none of these carry one.
      case 'canceled':
        engine.committed(outcome, outcome.row);
        request.log.info({ notificationId: outcome.row.id }, 'disbursement canceled');
        return reply.send(cancelEnvelope(INGO_STATUS.success, 'Disbursement Request Canceled', outcome.data));
      case 'replay':
        return reply.send(
          cancelEnvelope(
            INGO_STATUS.idempotentReplay,
            'Disbursement Request Canceled - Idempotent Response',
            outcome.data,
          ),
        );
      case 'refused':
        return reply.send(cancelEnvelope(outcome.status, outcome.message, {}));
    }
  });
}
