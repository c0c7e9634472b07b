import {
  type CancelInput,
  CancelOutcomeUnknownError,
  IngoApiError,
  type IngoClient,
  managedCancelFields,
} from '@notifykit/sdk';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import type { Database } from '../db/connection.js';
import type { FieldCipher } from '../db/field-encryption.js';
import type { DisbursementRow } from '../db/schema.js';
import { isManagedRequest, loadStageRequest } from '../db/stored-request.js';
import {
  CancelNotAllowed,
  CancelNotRecorded,
  CancelRefusedByIngo,
  DisbursementNotFound,
  IngoUnavailable,
} from '../errors.js';
import { applyEventsToDisbursement, lockDisbursement, readState } from '../lifecycle/apply.js';
import { cancelRefusal } from '../lifecycle/cancel-policy.js';
import { appendLocalTimeline } from '../lifecycle/timeline.js';
import { countTransitions, type LifecycleMetrics } from '../lifecycle/transitions.js';

export interface CancelMetrics extends LifecycleMetrics {
  cancelCalls: Counter<'outcome'>;
}

export interface CancelDependencies {
  database: Database;
  cipher: FieldCipher;
  client: IngoClient;
  metrics: CancelMetrics;
  logger: Logger;
  now?: () => number;
}

/** The notifycancel request for a staged disbursement, from its stored stage request. */
async function cancelInputOf(deps: CancelDependencies, row: DisbursementRow): Promise<CancelInput> {
  const request = await loadStageRequest(deps.database.db, deps.cipher, row.id);
  if (!request) throw new Error(`disbursement ${row.id} has no stored stage request`);
  const notificationId =
    row.notification_id !== null && /^\d{1,15}$/.test(row.notification_id) ? Number(row.notification_id) : undefined;
  // A Managed Parties payout is canceled through notifycancel too, by its recipient's name (docs/ingo-contract.md §5).
  if (isManagedRequest(request)) {
    return {
      ...managedCancelFields(request, row.tracer_id),
      ...(notificationId === undefined ? {} : { notification_id: notificationId }),
    };
  }
  const r = request.recipient;
  return {
    participant_unique_id1: row.participant_unique_id1,
    tracer_id: row.tracer_id,
    amount: request.amount,
    ...(r.business_name !== undefined
      ? { business_name: r.business_name }
      : { first_name: r.first_name, last_name: r.last_name }),
    ...(notificationId === undefined ? {} : { notification_id: notificationId }),
    ...(request.participant_unique_id2 !== undefined ? { participant_unique_id2: request.participant_unique_id2 } : {}),
  };
}

/**
 * What a cancel achieved: `canceled` (Ingo accepted it, or answered that it already was), `already_canceled`
 * (the payout was canceled before this call: answered with its state, Ingo not asked again), or
 * `outcome_unknown` (the answer was lost after the cancel may have reached Ingo: recorded, its webhook settles it).
 */
export interface CancelResult {
  outcome: 'canceled' | 'already_canceled' | 'outcome_unknown';
  row: DisbursementRow;
}

/**
 * Cancels at Ingo, once the local rule allows it. Ingo's refusal or unreachability is recorded on the
 * timeline and changes no status; an accepted cancel is applied through the reducer (`cancel_accepted`);
 * a cancel whose outcome is unknown is applied as `cancel_outcome_unknown` (an attention flag).
 */
export async function cancelDisbursement(deps: CancelDependencies, id: string): Promise<CancelResult> {
  const { db } = deps.database;
  const row = await db.selectFrom('disbursements').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DisbursementNotFound(id);
  // Idempotent like Ingo's own 101: canceling a canceled payout answers with its state.
  if (row.status === 'canceled') return { outcome: 'already_canceled', row };
  const refusal = cancelRefusal(row, readState(row));
  if (refusal !== undefined) throw new CancelNotAllowed(refusal, row.status);

  const cancelInput = await cancelInputOf(deps, row);
  const now = (deps.now ?? Date.now)();
  let result: Awaited<ReturnType<IngoClient['notify']['cancel']>>;
  try {
    result = await deps.client.notify.cancel(cancelInput);
  } catch (error) {
    if (error instanceof CancelOutcomeUnknownError) {
      deps.metrics.cancelCalls.inc({ outcome: 'unknown' });
      return { outcome: 'outcome_unknown', row: await recordUnknownOutcome(deps, row, error, now) };
    }
    const refused = error instanceof IngoApiError;
    deps.metrics.cancelCalls.inc({ outcome: refused ? 'refused' : 'error' });
    const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
    await appendLocalTimeline(db, {
      disbursement_id: id,
      at: now,
      kind: refused ? 'cancel_refused' : 'cancel_failed',
      status_before: row.status,
      status_after: row.status,
      detail: refused ? { ingo_status: error.status, client_message: error.clientMessage } : { error: code },
    });
    if (error instanceof IngoApiError) {
      throw new CancelRefusedByIngo(error.clientMessage, error.family === 'state' ? 'state' : 'request', {
        ingo_status: error.status,
        status: row.status,
      });
    }
    throw new IngoUnavailable('Ingo could not be reached to cancel; nothing changed, try again', { error: code });
  }
  deps.metrics.cancelCalls.inc({ outcome: result.idempotentReplay ? 'replayed' : 'canceled' });
  try {
    const { row: updated, transitions } = await db.transaction().execute(async (trx) => {
      const locked = await lockDisbursement(trx, deps.database, id);
      if (!locked) throw new Error(`disbursement ${id} vanished`);
      await trx.updateTable('disbursements').set({ ingo_status: result.status }).where('id', '=', id).execute();
      return applyEventsToDisbursement(
        trx,
        deps.database,
        { ...locked, ingo_status: result.status },
        [
          {
            event: {
              source: 'local',
              id: `cancel:${row.participant_unique_id1}`,
              type: 'cancel_accepted',
              occurredAt: now,
            },
            kind: 'canceled',
            detail: { ingo_status: result.status, client_message: result.clientMessage },
          },
        ],
        now,
      );
    });
    countTransitions(deps.metrics, transitions);
    return { outcome: 'canceled', row: updated };
  } catch (error) {
    // Ingo has canceled; only our record of it failed. Saying "nothing changed" would be false.
    deps.logger.error({ err: error, disbursementId: id }, 'cancel accepted by Ingo but not recorded');
    throw new CancelNotRecorded(
      'Ingo accepted the cancel but recording it here failed; repeat the call (Ingo answers a repeated cancel as already done) or wait for its webhook',
      { status: row.status, ingo_status: result.status },
    );
  }
}

/**
 * "Cancel requested, outcome unknown" (docs/ingo-contract.md §4): the reducer records it as an attention flag that
 * Ingo's canceled webhook (or the payout moving on) settles; the timeline keeps what the client said.
 */
async function recordUnknownOutcome(
  deps: CancelDependencies,
  row: DisbursementRow,
  error: CancelOutcomeUnknownError,
  now: number,
): Promise<DisbursementRow> {
  const { row: updated, transitions } = await deps.database.db.transaction().execute(async (trx) => {
    const locked = await lockDisbursement(trx, deps.database, row.id);
    if (!locked) throw new Error(`disbursement ${row.id} vanished`);
    return applyEventsToDisbursement(
      trx,
      deps.database,
      locked,
      [
        {
          event: {
            source: 'local',
            id: `cancel-unknown:${row.participant_unique_id1}:${now}`,
            type: 'cancel_outcome_unknown',
            occurredAt: now,
          },
          kind: 'cancel_outcome_unknown',
          detail: {
            error: error.code,
            uncertain_attempt: error.uncertainAttempt,
            ...(error.refusal === undefined
              ? {}
              : { ingo_status: error.refusal.status, client_message: error.refusal.clientMessage }),
          },
        },
      ],
      now,
    );
  });
  countTransitions(deps.metrics, transitions);
  deps.logger.warn(
    { disbursementId: row.id, uncertainAttempt: error.uncertainAttempt },
    'cancel outcome unknown; waiting for the lifecycle to settle it',
  );
  return updated;
}
