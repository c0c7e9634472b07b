import { type CheckActionResult, IngoApiError } from '@notifykit/sdk';
import type { DisbursementRow } from '../db/schema.js';
import { CheckActionNotAllowed, CheckActionRefusedByIngo, DisbursementNotFound, IngoUnavailable } from '../errors.js';
import { readState } from '../lifecycle/apply.js';
import { checkActionRefusal } from '../lifecycle/check-policy.js';
import { appendLocalTimeline } from '../lifecycle/timeline.js';
import type { CancelDependencies } from './cancel.js';

// Void or stop the mailed check of a payout whose recipient chose one (docs/ingo-contract.md §4.1), through the
// SDK's check API. Ingo's answer is recorded on the timeline; the status moves only with Ingo's webhooks
// (`…check.canceled` / `…check.stopped`, then usually the termination), like every other change.

export type CheckAction = 'void' | 'stop';

export interface CheckActionInput {
  reason_code: number;
  check_number?: string | undefined;
}

const DONE_KIND = { void: 'check_voided', stop: 'check_stopped' } as const;

/** Sends the void or stop once the local rule allows it; refusals and unreachability change no status. */
export async function actOnCheck(
  deps: CancelDependencies,
  id: string,
  action: CheckAction,
  input: CheckActionInput,
): Promise<DisbursementRow> {
  const { db } = deps.database;
  const row = await db.selectFrom('disbursements').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DisbursementNotFound(id);
  const refusal = checkActionRefusal(row, readState(row));
  if (refusal !== undefined) throw new CheckActionNotAllowed(refusal, row.status);

  const request = {
    participant_unique_id1: row.participant_unique_id1,
    tracer_id: row.tracer_id,
    reason_code: input.reason_code,
    ...(row.notification_id !== null && /^\d{1,15}$/.test(row.notification_id)
      ? { notification_id: Number(row.notification_id) }
      : {}),
    ...(input.check_number === undefined ? {} : { check_number: input.check_number }),
  };
  const now = (deps.now ?? Date.now)();
  const timeline = (kind: Parameters<typeof appendLocalTimeline>[1]['kind'], detail: Record<string, unknown>) =>
    appendLocalTimeline(db, {
      disbursement_id: id,
      at: now,
      kind,
      status_before: row.status,
      status_after: row.status,
      detail: { action, reason_code: input.reason_code, ...detail },
    });

  let result: CheckActionResult;
  try {
    result = action === 'void' ? await deps.client.checks.cancel(request) : await deps.client.checks.stop(request);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'ERR_UNKNOWN';
    if (error instanceof IngoApiError) {
      await timeline('check_action_refused', { ingo_status: error.status, client_message: error.clientMessage });
      throw new CheckActionRefusedByIngo(error.clientMessage, error.family === 'state' ? 'state' : 'request', {
        ingo_status: error.status,
        status: row.status,
      });
    }
    await timeline('check_action_failed', { error: code });
    throw new IngoUnavailable(`Ingo could not be reached to ${action} the check; try again`, { error: code });
  }
  return db.transaction().execute(async (trx) => {
    await appendLocalTimeline(trx, {
      disbursement_id: id,
      at: now,
      kind: DONE_KIND[action],
      status_before: row.status,
      status_after: row.status,
      detail: {
        action,
        reason_code: input.reason_code,
        ingo_status: result.status,
        client_message: result.clientMessage,
        check_number: result.checkNumber ?? null,
        idempotent_replay: result.idempotentReplay,
      },
    });
    await trx
      .updateTable('disbursements')
      .set({ ingo_status: result.status, updated_at: now })
      .where('id', '=', id)
      .execute();
    return { ...row, ingo_status: result.status, updated_at: now };
  });
}
