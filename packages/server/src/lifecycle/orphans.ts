import { parseWebhookEvent } from '@notifykit/sdk';
import type { Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { DatabaseSchema, DisbursementRow } from '../db/schema.js';
import { applyEventsToDisbursement, lockDisbursement } from './apply.js';
import type { AppliedTransition } from './transitions.js';

// Which disbursement a webhook belongs to, decided by one rule wherever it is asked: when a webhook is
// ingested, when a disbursement is created or staged (events that came first, "orphans", are attached),
// and by the worker's sweep. The queries below only fetch candidates by either key; the rule decides.

/** The keys a webhook names (null when absent). */
export interface EventKeys {
  notificationId: string | null;
  puid1: string | null;
}

export type DisbursementKeys = Pick<DisbursementRow, 'notification_id' | 'participant_unique_id1'>;

/**
 * The one matching rule: an event belongs to a disbursement when it names the disbursement's
 * notification_id, or its participant_unique_id1 (our idempotency key) without naming a different
 * notification than the one Ingo gave us for it.
 */
export function eventBelongsTo(event: EventKeys, disbursement: DisbursementKeys): boolean {
  if (event.notificationId !== null && event.notificationId === disbursement.notification_id) return true;
  return (
    event.puid1 !== null &&
    event.puid1 === disbursement.participant_unique_id1 &&
    (event.notificationId === null || disbursement.notification_id === null)
  );
}

/**
 * The disbursement an event belongs to, given the one holding its notification_id and the one holding
 * its participant_unique_id1 (either may be absent); the notification_id match wins.
 */
export function owningDisbursement<R extends DisbursementKeys>(
  event: EventKeys,
  byNotification: R | undefined,
  byPuid: R | undefined,
): R | undefined {
  if (byNotification !== undefined && eventBelongsTo(event, byNotification)) return byNotification;
  if (byPuid !== undefined && eventBelongsTo(event, byPuid)) return byPuid;
  return undefined;
}

/**
 * Attaches the parked events that belong to this (locked) disbursement and applies them in arrival
 * order. A disbursement without a notification_id learns it from the first of them that names one,
 * exactly as when such a webhook arrives after the disbursement (ingestion).
 */
export async function attachOrphans(
  trx: Kysely<DatabaseSchema>,
  database: Database,
  row: DisbursementRow,
  now: number,
): Promise<{ row: DisbursementRow; transitions: AppliedTransition[] }> {
  const parked = (where: { notificationId: string | null; puid1: string }) =>
    trx
      .selectFrom('events')
      .select(['seq', 'raw_payload', 'notification_id', 'participant_unique_id1'])
      .where('disbursement_id', 'is', null)
      .where((eb) =>
        where.notificationId === null
          ? eb('participant_unique_id1', '=', where.puid1)
          : eb.or([eb('notification_id', '=', where.notificationId), eb('participant_unique_id1', '=', where.puid1)]),
      )
      .orderBy('seq')
      .execute();
  let candidates = await parked({ notificationId: row.notification_id, puid1: row.participant_unique_id1 });
  const keysOf = (o: (typeof candidates)[number]): EventKeys => ({
    notificationId: o.notification_id,
    puid1: o.participant_unique_id1,
  });
  let keys: DisbursementKeys = row;
  if (row.notification_id === null) {
    // The first parked event that belongs by participant_unique_id1 and names a notification teaches it,
    // as it would have taught the disbursement had it arrived later; events naming only that
    // notification belong too.
    const learned = candidates.find((o) => o.notification_id !== null && eventBelongsTo(keysOf(o), row));
    if (learned?.notification_id) {
      keys = { ...row, notification_id: learned.notification_id };
      const known = new Set(candidates.map((o) => o.seq));
      const more = await parked({ notificationId: learned.notification_id, puid1: row.participant_unique_id1 });
      candidates = [...candidates, ...more.filter((o) => !known.has(o.seq))].sort((a, b) => a.seq - b.seq);
    }
  }
  const orphans = candidates.filter((o) => eventBelongsTo(keysOf(o), keys));
  if (orphans.length === 0) return { row, transitions: [] };
  const result = await applyEventsToDisbursement(
    trx,
    database,
    { ...row, notification_id: keys.notification_id },
    orphans.map((o) => ({
      event: parseWebhookEvent(o.raw_payload),
      eventSeq: o.seq,
      kind: 'event',
      detail: { attached_orphan: true },
    })),
    now,
  );
  await trx
    .updateTable('events')
    .set({ disbursement_id: row.id })
    .where(
      'seq',
      'in',
      orphans.map((o) => o.seq),
    )
    .execute();
  return result;
}

/**
 * Attaches orphans whose disbursement exists by now. An event can be parked while the transaction that
 * creates or stages its disbursement is still uncommitted (PostgreSQL, several connections); this sweep,
 * run by the outbox worker, closes that window.
 */
export async function sweepOrphans(database: Database, now: number, limit = 100): Promise<AppliedTransition[]> {
  const { db } = database;
  // The race this closes lasts as long as a transaction; looking back ten minutes keeps each pass
  // cheap however many truly unknown events have piled up.
  const since = now - 10 * 60_000;
  const candidates = (joinOn: 'notification_id' | 'participant_unique_id1') =>
    db
      .selectFrom('events as e')
      .innerJoin('disbursements as d', `d.${joinOn}`, `e.${joinOn}`)
      .select([
        'd.id',
        'd.notification_id',
        'd.participant_unique_id1',
        'e.notification_id as event_notification_id',
        'e.participant_unique_id1 as event_puid1',
      ])
      .where('e.disbursement_id', 'is', null)
      .where('e.received_at', '>', since)
      .limit(limit)
      .execute();
  const pairs = [...(await candidates('notification_id')), ...(await candidates('participant_unique_id1'))];
  const ids = new Set(
    pairs
      .filter((p) => eventBelongsTo({ notificationId: p.event_notification_id, puid1: p.event_puid1 }, p))
      .map((p) => p.id),
  );
  const transitions: AppliedTransition[] = [];
  for (const id of ids) {
    const result = await db.transaction().execute(async (trx) => {
      const row = await lockDisbursement(trx, database, id);
      return row ? attachOrphans(trx, database, row, now) : { transitions: [] };
    });
    transitions.push(...result.transitions);
  }
  return transitions;
}
