import type { Database } from '../db/connection.js';
import type { DisbursementRow } from '../db/schema.js';
import { applyEventsToDisbursement, forceFailed, lockDisbursement, readState } from '../lifecycle/apply.js';
import { storedParties, withPartyIds } from '../lifecycle/managed-parties.js';
import { attachOrphans } from '../lifecycle/orphans.js';
import { appendLocalTimeline } from '../lifecycle/timeline.js';
import type { AppliedTransition } from '../lifecycle/transitions.js';
import { outboxBackoffMs } from './backoff.js';
import type { StageOutcome } from './stage-call.js';

export interface StageOutcomeDependencies {
  database: Database;
  backoff: { baseBackoffMs: number; maxBackoffMs: number };
  now: () => number;
}

/**
 * Writes what a stage attempt achieved, in one transaction: staged (the outbox row goes, the reducer
 * applies `stage_accepted`, parked events are attached), permanently failed (the outbox row goes, the
 * payout fails with Ingo's code), or back into the outbox with backoff.
 */
export async function recordStageOutcome(
  deps: StageOutcomeDependencies,
  id: string,
  outcome: StageOutcome,
  attempt: number,
): Promise<{ row: DisbursementRow; transitions: AppliedTransition[] }> {
  const { database } = deps;
  const now = deps.now();
  return database.db.transaction().execute(async (trx) => {
    const current = await lockDisbursement(trx, database, id);
    if (!current) throw new Error(`disbursement ${id} vanished`);
    const pendingOutbox = await trx
      .selectFrom('outbox')
      .select('disbursement_id')
      .where('disbursement_id', '=', id)
      .executeTakeFirst();
    // Another attempt (a worker after a lease expiry) already settled it: a late answer changes nothing
    // (and a second success must not append a second `staged` entry).
    if (!pendingOutbox && (outcome.kind !== 'staged' || current.staged_at !== null)) {
      return { row: current, transitions: [] };
    }
    if (outcome.kind === 'retry') {
      const delay = outboxBackoffMs(attempt, deps.backoff.baseBackoffMs, deps.backoff.maxBackoffMs);
      await trx
        .updateTable('outbox')
        .set({
          next_attempt_at: now + delay,
          claimed_until: null,
          claimed_by: null,
          last_error: `${outcome.code}: ${outcome.message}`.slice(0, 500),
        })
        .where('disbursement_id', '=', id)
        .execute();
      await appendLocalTimeline(trx, {
        disbursement_id: id,
        at: now,
        kind: 'stage_retry',
        status_before: current.status,
        status_after: current.status,
        detail: { attempt, error: outcome.code, message: outcome.message, retry_in_ms: delay },
      });
      return { row: current, transitions: [] };
    }
    await trx.deleteFrom('outbox').where('disbursement_id', '=', id).execute();
    if (outcome.kind === 'rejected') {
      const failed: DisbursementRow = {
        ...current,
        status: 'failed',
        lifecycle_state: JSON.stringify(forceFailed(readState(current), now)),
        ingo_status: outcome.status,
        failure_code: outcome.code,
        failure_message: outcome.message,
        updated_at: now,
      };
      await trx
        .updateTable('disbursements')
        .set({
          status: failed.status,
          lifecycle_state: failed.lifecycle_state,
          ingo_status: failed.ingo_status,
          failure_code: failed.failure_code,
          failure_message: failed.failure_message,
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
      await appendLocalTimeline(trx, {
        disbursement_id: id,
        at: now,
        kind: 'stage_failed',
        status_before: current.status,
        status_after: 'failed',
        detail: { attempt, ingo_status: outcome.status, code: outcome.code, message: outcome.message },
      });
      const transition: AppliedTransition = {
        from: current.status as AppliedTransition['from'],
        to: 'failed',
        statusChanged: current.status !== 'failed',
        outcome: 'status_changed',
        contradiction: undefined,
        disbursementId: id,
      };
      return { row: failed, transitions: [transition] };
    }
    const r = outcome.result;
    const notificationId = current.notification_id ?? r.notificationId;
    // Managed Parties: Ingo's party ids, so the reducer can tell the recipient's events from an approver's.
    const managedParties =
      r.parties === undefined || current.managed_parties === null
        ? current.managed_parties
        : JSON.stringify(withPartyIds(storedParties(current), r.parties));
    const base: DisbursementRow = {
      ...current,
      notification_id: notificationId,
      ingo_status: r.status,
      staged_at: current.staged_at ?? now,
      managed_parties: managedParties,
    };
    await trx
      .updateTable('disbursements')
      .set({
        notification_id: notificationId,
        ingo_status: r.status,
        staged_at: base.staged_at,
        managed_parties: managedParties,
      })
      .where('id', '=', id)
      .execute();
    const applied = await applyEventsToDisbursement(
      trx,
      database,
      base,
      [
        {
          event: {
            source: 'local',
            id: `stage:${current.participant_unique_id1}`,
            type: 'stage_accepted',
            occurredAt: now,
          },
          kind: 'staged',
          detail: {
            attempt,
            ingo_status: r.status,
            client_message: r.clientMessage,
            notification_id: r.notificationId,
            idempotent_replay: r.idempotentReplay,
          },
        },
      ],
      now,
    );
    const attached = await attachOrphans(trx, database, applied.row, now);
    return { row: attached.row, transitions: [...applied.transitions, ...attached.transitions] };
  });
}
