import { classifyTopic, type IngoWebhookEvent } from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { Database } from './db/connection.js';
import type { DatabaseSchema } from './db/schema.js';
import { type AppliedTransition, applyEventsToDisbursement, lockDisbursement } from './disbursement-lifecycle.js';

export interface VerifiedWebhook {
  event: IngoWebhookEvent;
  /** The body exactly as received; stored verbatim. */
  rawBody: string;
  receivedAt: number;
}

export type IngestOutcome = 'applied' | 'duplicate' | 'orphan';

export interface IngestResult {
  outcome: IngestOutcome;
  eventSeq: number | undefined;
  disbursementId: string | undefined;
  classification: string;
  transitions: AppliedTransition[];
}

/** What the timeline and filters call a topic: the status it leads to, or its effect kind. */
export function classificationOf(topic: string): string {
  const c = classifyTopic(topic);
  return c.effect === 'status' && c.status !== undefined ? c.status : c.effect;
}

async function ingestOne(
  trx: Kysely<DatabaseSchema>,
  dialect: Database['dialect'],
  item: VerifiedWebhook,
): Promise<IngestResult> {
  const { event } = item;
  const classification = classificationOf(event.topic);
  const notificationId = event.notificationId === '' ? null : event.notificationId;
  const puid1 = event.participantUniqueId1 === '' ? null : event.participantUniqueId1;
  const inserted = await trx
    .insertInto('events')
    .values({
      metadata_id: event.id,
      topic: event.topic,
      classification,
      notification_id: notificationId,
      participant_unique_id1: puid1,
      disbursement_id: null,
      event_timestamp: event.occurredAt?.getTime() ?? null,
      received_at: item.receivedAt,
      duplicate_count: 0,
      last_duplicate_at: null,
      raw_payload: item.rawBody,
    })
    .onConflict((oc) => oc.column('metadata_id').doNothing())
    .returning('seq')
    .executeTakeFirst();
  if (!inserted) {
    // A redelivery: count it, change nothing else.
    await trx
      .updateTable('events')
      .set((eb) => ({ duplicate_count: eb('duplicate_count', '+', 1), last_duplicate_at: item.receivedAt }))
      .where('metadata_id', '=', event.id)
      .execute();
    return { outcome: 'duplicate', eventSeq: undefined, disbursementId: undefined, classification, transitions: [] };
  }

  let row = notificationId === null ? undefined : await lockDisbursement(trx, dialect, { notificationId });
  if (!row && puid1 !== null) {
    const candidate = await lockDisbursement(trx, dialect, { participantUniqueId1: puid1 });
    // participant_unique_id1 is our idempotency key, so it identifies the disbursement, unless the
    // event names a different notification than the one Ingo gave us for it. (The row may have learnt
    // its notification_id while we waited for its lock.)
    if (
      candidate &&
      (candidate.notification_id === null || notificationId === null || candidate.notification_id === notificationId)
    ) {
      row = candidate;
    }
  }
  if (!row) {
    return { outcome: 'orphan', eventSeq: inserted.seq, disbursementId: undefined, classification, transitions: [] };
  }
  if (row.notification_id === null && notificationId !== null) {
    // The webhook beat the stage response back: learn the notification id from it.
    await trx.updateTable('disbursements').set({ notification_id: notificationId }).where('id', '=', row.id).execute();
    row = { ...row, notification_id: notificationId };
  }
  const { transitions } = await applyEventsToDisbursement(
    trx,
    row,
    [{ event, eventSeq: inserted.seq, kind: 'event', detail: { topic: event.topic } }],
    item.receivedAt,
  );
  await trx.updateTable('events').set({ disbursement_id: row.id }).where('seq', '=', inserted.seq).execute();
  return { outcome: 'applied', eventSeq: inserted.seq, disbursementId: row.id, classification, transitions };
}

/** Commits a group of verified webhooks in one transaction (see GroupCommitQueue). */
export function createWebhookBatchProcessor(database: Database) {
  return async (items: readonly VerifiedWebhook[]): Promise<IngestResult[]> =>
    database.db.transaction().execute(async (trx) => {
      const results: IngestResult[] = [];
      for (const item of items) results.push(await ingestOne(trx, database.dialect, item));
      return results;
    });
}
